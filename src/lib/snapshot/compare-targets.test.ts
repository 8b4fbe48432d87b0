import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTERS_DIR, LOCAL_TARGET, ROOT, snapshotFileOf, targetSnapshotsDir } from '../book/paths.ts';
import { otherTargets, PRIMARY_TARGET, TARGETS } from '../book/targets.ts';
import { compareTargets, compareTargetsCached } from './compare-targets.ts';
import { normaliseOutput } from './normalise.ts';
import { loadOtherSnapshots, loadPrimarySnapshot, primarySnapshotFile } from './recordings.ts';
import type { Snapshot } from './schema.ts';
import { loadSnapshot } from './store.ts';

// Inputs are the book's own recordings: content/snapshots (local) and the VM targets' folders.
const chapterFile = (id: string) => join(ROOT, CHAPTERS_DIR, `${id}.mdx`);
const recordedOn = (target: string): string[] => {
	const dir = join(ROOT, targetSnapshotsDir(target));
	return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')) : [];
};
/** Chapters recorded on local and on at least one other target. */
const compared = recordedOn(LOCAL_TARGET).filter((id) => otherTargets(LOCAL_TARGET).some((t) => recordedOn(t).includes(id)));
const local = (id: string): Snapshot => loadSnapshot(snapshotFileOf(chapterFile(id)))!;
const others = (id: string) => loadOtherSnapshots(chapterFile(id), LOCAL_TARGET);

/** Ping times of a text changed (what a second run on the same kernel prints). */
const otherTimes = (text: string) => text.replace(/\btime=[\d.]+ ms/g, 'time=987 ms').replace(/= [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/g, '= 9.1/9.2/9.3/0.4 ms');
const mapSteps = (s: Snapshot, f: (text: string) => string): Snapshot => ({
	...s,
	blocks: s.blocks.map((b) => ({ ...b, steps: b.steps.map((st) => ({ ...st, stdout: f(st.stdout), stderr: f(st.stderr) })) })),
});

describe('the recordings the site reads', () => {
	it('reads the primary target named in targets.ts, and every other known target that has the chapter', () => {
		expect(TARGETS.map((t) => t.id)).toContain(PRIMARY_TARGET);
		expect(compared.length).toBeGreaterThan(0);
		for (const id of compared) {
			expect(primarySnapshotFile(chapterFile(id))).toBe(snapshotFileOf(chapterFile(id), PRIMARY_TARGET));
			expect(loadPrimarySnapshot(chapterFile(id), LOCAL_TARGET)).toBe(local(id));
			const got = others(id).map((o) => o.target);
			expect(got).toEqual(otherTargets(LOCAL_TARGET).filter((t) => recordedOn(t).includes(id)));
			for (const o of others(id)) expect(o.snapshot.chapter).toBe(id);
		}
	});

	it('leaves out the targets that lack a chapter', () => {
		const lonely = recordedOn(LOCAL_TARGET).find((id) => !compared.includes(id));
		if (lonely) expect(others(lonely)).toEqual([]);
		expect(loadOtherSnapshots(chapterFile('99-no-such-chapter'))).toEqual([]);
	});
});

describe('compareTargets', () => {
	it('finds a recording equal to itself, block for block', () => {
		for (const id of compared) {
			const s = local(id);
			const result = compareTargets(s, [{ target: 'same', snapshot: s }]);
			expect(result).toHaveLength(s.blocks.length);
			expect(result.flat().map((r) => r.differing)).toEqual(s.blocks.map(() => []));
		}
	});

	it('matches outputs that differ only in what normalisation masks (ping times)', () => {
		const s = local(compared[0]!);
		const moved = mapSteps(s, otherTimes);
		// The copy really prints other MACs…
		expect(JSON.stringify(moved)).not.toBe(JSON.stringify(s));
		// …and still matches.
		expect(compareTargets(s, [{ target: 'other', snapshot: moved }]).flat().filter((r) => r.differing.length)).toEqual([]);
	});

	it('names the step that printed something else, and only that one', () => {
		const s = local(compared[0]!);
		const at = s.blocks.findIndex((b) => b.steps.length > 1);
		expect(at).toBeGreaterThanOrEqual(0);
		const changed: Snapshot = { ...s, blocks: s.blocks.map((b, i) => (i === at ? { ...b, steps: b.steps.map((st, k) => (k === 1 ? { ...st, stdout: `${st.stdout}one more line\n` } : st)) } : b)) };
		const result = compareTargets(s, [{ target: 'other', snapshot: changed }]);
		expect(result.map((r, i) => [i, r[0]!.differing]).filter(([, d]) => (d as number[]).length)).toEqual([[at, [1]]]);
		expect(result[at]![0]!.block).toBe(changed.blocks[at]);
	});

	it('leaves a target out of the blocks it did not record (commands changed since)', () => {
		const s = local(compared[0]!);
		const fewer: Snapshot = { ...s, blocks: s.blocks.slice(1) };
		const result = compareTargets(s, [{ target: 'older', snapshot: fewer }]);
		expect(result[0]).toEqual([]);
		expect(result.slice(1).map((r) => r.map((t) => t.target))).toEqual(s.blocks.slice(1).map(() => ['older']));
	});

	it('compares the book’s VM recordings with local: every block compared, some the same, some different, as normalised', () => {
		let same = 0;
		let different = 0;
		for (const id of compared) {
			const s = local(id);
			const targets = others(id);
			const result = compareTargets(s, targets);
			result.forEach((list, i) => {
				const block = s.blocks[i]!;
				expect(list.map((t) => t.target)).toEqual(targets.filter((t) => t.snapshot.blocks.some((b) => b.key === block.key)).map((t) => t.target));
				for (const t of list) {
					expect(t.block.key).toBe(block.key);
					expect(t.recorded).toBe(targets.find((o) => o.target === t.target)!.snapshot.recorded);
					if (t.differing.length === 0) same++;
					else different++;
					// A differing step differs in its raw text too; a matching one may differ raw (MACs, times) but not once normalised alone.
					for (const k of t.differing) {
						const a = block.steps[k];
						const b = t.block.steps[k];
						expect(a && b && a.stdout === b.stdout && a.stderr === b.stderr && a.exit === b.exit, `${id} block ${i} step ${k}`).toBe(false);
					}
					block.steps.forEach((step, k) => {
						if (t.differing.includes(k)) return;
						expect(normaliseOutput(t.block.steps[k]!.stdout).split('\n').length).toBe(normaliseOutput(step.stdout).split('\n').length);
						expect(t.block.steps[k]!.exit).toBe(step.exit);
					});
				}
			});
		}
		console.log(`[compare-targets] ${compared.length} chapters recorded on another target: ${same} block recordings the same as local's, ${different} different`);
		// Debian 13's iproute2 prints what Debian 12's does not (docs/verify.md, "Tool versions").
		expect(same).toBeGreaterThan(0);
		expect(different).toBeGreaterThan(0);
	});

	it('computes a chapter once while its recordings stay the same', () => {
		const id = compared[0]!;
		const first = compareTargetsCached(local(id), others(id));
		expect(compareTargetsCached(local(id), others(id))).toBe(first);
		expect(compareTargetsCached(local(id), [])).not.toBe(first);
	});
});

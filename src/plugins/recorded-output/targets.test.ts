import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTERS_DIR, LOCAL_TARGET, ROOT, snapshotFileOf, targetSnapshotsDir } from '../../lib/book/paths.ts';
import { targetLabel } from '../../lib/book/targets.ts';
import { loadChapter } from '../../lib/runbook/load.ts';
import type { ShellBlock } from '../../lib/runbook/types.ts';
import { matchedTargets, targetsText, verifiedOnText } from '../../lib/snapshot/badge.ts';
import { compareTargets } from '../../lib/snapshot/compare-targets.ts';
import { loadOtherSnapshots } from '../../lib/snapshot/recordings.ts';
import type { Snapshot, Step } from '../../lib/snapshot/schema.ts';
import { loadSnapshot } from '../../lib/snapshot/store.ts';
import { TARGET_SWITCH_JS } from './alternatives.ts';
import { renderBlock, textOf } from './render.test-helper.ts';

// The book's first chapter recorded on another target than local (content/snapshots/vm-*/),
// rendered block by block from its real source and real snapshots.
const VM = 'vm:arm64';
const id = readdirSync(join(ROOT, targetSnapshotsDir(VM))).sort()[0]!.replace(/\.json$/, '');
const file = join(ROOT, CHAPTERS_DIR, `${id}.mdx`);
const chapter = loadChapter(file, ROOT);
const source = readFileSync(file, 'utf8').split('\n');
const snapshotOf = (target: string): Snapshot => loadSnapshot(snapshotFileOf(file, target))!;

/** A block's fence as the Markdown processor hands it to Expressive Code. */
function fence(block: ShellBlock): { code: string; meta: string; file: string } {
	const start = block.line - 1;
	const end = source.findIndex((l, i) => i > start && l.trim() === '```');
	return { meta: source[start]!.trim().slice('```sh'.length).trim(), code: source.slice(start + 1, end).join('\n'), file };
}

/** The runnable blocks, each with how the other targets' recordings compare with `primary`'s. */
function compared(primary: string) {
	const snapshot = snapshotOf(primary);
	const result = compareTargets(snapshot, loadOtherSnapshots(file, primary));
	return chapter.blocks
		.filter((b) => b.runnable)
		.map((block) => {
			const i = snapshot.blocks.findIndex((b) => b.key === block.key);
			return { block, recorded: snapshot.blocks[i]!, others: result[i]!, snapshot };
		});
}

/** Lines of a step's output, as the terminal shows them (each line is somewhere in its text). */
const linesOf = (step: Step) => `${step.stdout}${step.stderr}`.split('\n').filter((l) => l.trim() !== '');
/** The block's own terminal and each alternative's, by their accessible names. */
const pres = (html: string) => [...html.matchAll(/<pre [^>]*aria-label="([^"]*)"[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => ({ name: textOf(m[1]!), text: textOf(m[2]!) }));

describe.each([LOCAL_TARGET, VM])('a chapter recorded on several targets, %s primary', (primary) => {
	const blocks = compared(primary);
	const same = blocks.filter((b) => b.others.length > 0 && b.others.every((o) => o.differing.length === 0));
	const different = blocks.filter((b) => b.others.some((o) => o.differing.length > 0));

	it('has blocks of both kinds to render', () => {
		expect(same.length).toBeGreaterThan(0);
		expect(different.length).toBeGreaterThan(0);
	});

	it('names every target that printed the same in the badge, the primary first, and adds no note', async () => {
		for (const { block, others, snapshot } of same) {
			const html = await renderBlock(fence(block), { primary });
			const badge = textOf(/<span class="nb-badge-text">([\s\S]*?)<\/span>/.exec(html)![1]!);
			expect(badge).toBe(verifiedOnText(matchedTargets(primary, snapshot.recorded, others)));
			expect(badge.startsWith(`verified on ${targetLabel(primary)} `)).toBe(true);
			for (const o of others) expect(badge).toContain(targetLabel(o.target));
			expect(html).not.toContain('nb-alts');
		}
	});

	it('says which targets printed something different, and holds each one’s terminal with its own output', async () => {
		for (const { block, recorded, others, snapshot } of different) {
			const html = await renderBlock(fence(block), { primary });
			const where = `${chapter.file}:${block.line}`;
			const differ = others.filter((o) => o.differing.length > 0);
			const badge = textOf(/<span class="nb-badge-text">([\s\S]*?)<\/span>/.exec(html)![1]!);
			expect(badge, where).toBe(verifiedOnText(matchedTargets(primary, snapshot.recorded, others)));
			for (const o of differ) expect(badge, where).not.toContain(targetLabel(o.target));
			const note = textOf(/<p class="nb-alts-note">([\s\S]*?)<\/p>/.exec(html)![1]!);
			expect(note, where).toBe(`≠ ${targetsText(differ.map((o) => ({ label: targetLabel(o.target), recorded: o.recorded })))} printed something different.`);
			for (const o of differ) expect(note, where).toContain(targetLabel(o.target));
			expect(html, where).toContain(`data-nb-primary="${targetLabel(primary).replace(/'/g, '&#x27;')}"`);
			// The block's terminal shows the primary's output; one more terminal per differing target shows its own.
			const [main, ...alts] = pres(html);
			expect(alts.map((a) => a.name), where).toEqual(differ.map((o) => `${main!.name} (output on ${targetLabel(o.target)})`));
			for (const step of recorded.steps) for (const line of linesOf(step)) expect(main!.text, where).toContain(line);
			differ.forEach((o, n) => {
				const alt = alts[n]!;
				for (const k of o.differing) {
					const theirs = linesOf(o.block.steps[k]!);
					const mine = linesOf(recorded.steps[k]!);
					for (const line of theirs) expect(alt.text, where).toContain(line);
					// Something the target printed is not in the primary's terminal, or the other way round.
					expect(theirs.some((l) => !main!.text.includes(l)) || mine.some((l) => !alt.text.includes(l)), where).toBe(true);
				}
				for (const c of block.commands) expect(alt.text, where).toContain(`root@${block.host}:~# ${c.text.split('\n')[0]}`);
			});
			expect([...html.matchAll(/<details class="nb-alt" data-nb-label="([^"]*)"><summary>([^<]*)<\/summary>/g)].map((m) => [textOf(m[1]!), textOf(m[2]!)]), where).toEqual(
				differ.map((o) => [targetLabel(o.target), `Output on ${targetLabel(o.target)}`]),
			);
		}
	});

	it('copies only the commands, whichever output is shown', async () => {
		for (const { block } of different) {
			const html = await renderBlock(fence(block), { primary });
			expect([...html.matchAll(/ data-code="([^"]*)"/g)].map((m) => m[1]!.replace(/\u007f/g, '\n').replace(/&#x26;/g, '&'))).toEqual([block.commands.map((c) => c.text).join('\n')]);
		}
	});
});

describe('the switch script', () => {
	it('is plain JavaScript that the page can run', () => {
		expect(() => new Function(TARGET_SWITCH_JS)).not.toThrow();
		expect(TARGET_SWITCH_JS).toContain("'aria-pressed'");
	});
});

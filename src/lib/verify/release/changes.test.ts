import { describe, expect, it } from 'vitest';
import { loadBook } from '../../runbook/load.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { chapterChanges, snapshotAsRun } from './changes.ts';
import { CHAPTERS, realSnapshot } from './release.test-helper.ts';

const [first, second] = CHAPTERS;
const book = loadBook();
const chapterOf = (id: string) => book.find((c) => c.id === id)!;

/** A copy of a snapshot with every occurrence of `from` in its text replaced. */
function replaced(s: Snapshot, from: RegExp, to: string): Snapshot {
	return JSON.parse(JSON.stringify(s).replace(from, to)) as Snapshot;
}

describe('snapshotAsRun', () => {
	it("gives each step its command's line in the chapter, matched by block key", () => {
		const snapshot = realSnapshot(second);
		const run = snapshotAsRun(snapshot, chapterOf(second));
		const chapter = chapterOf(second);
		expect(run.file).toBe(chapter.file);
		const runnable = chapter.blocks.filter((b) => b.runnable);
		expect(run.blocks.map((b) => b.steps.map((s) => s.line))).toEqual(runnable.map((b) => b.commands.map((c) => c.line)));
		// Without the chapter, every step falls back to its block's fence line.
		expect(snapshotAsRun(snapshot).blocks.map((b) => b.steps.map((s) => s.line))).toEqual(snapshot.blocks.map((b) => b.steps.map(() => b.line)));
	});
});

describe('chapterChanges', () => {
	it('finds no change between a recording and itself, nor where only MACs and ping times differ', () => {
		const snapshot = realSnapshot(first);
		expect(chapterChanges(snapshot, realSnapshot(first), chapterOf(first))).toEqual([]);
		const macs = [...new Set(JSON.stringify(snapshot).match(/02:00:00:00:00:0\d/g))];
		expect(macs.length).toBeGreaterThan(1);
		// Other random MACs, as another run would get, and the link-local addresses made from them.
		let other = replaced(snapshot, /02:00:00:00:00:0(\d)/g, '02:aa:bb:cc:dd:e$1');
		other = replaced(other, /fe80::ff:fe00:(\d)\b/g, 'fe80::aa:bbff:fecc:dde$1');
		other = replaced(other, /time=[\d.]+ ms/g, 'time=9.99 ms');
		expect(JSON.stringify(other)).not.toBe(JSON.stringify(snapshot));
		expect(chapterChanges(snapshot, other, chapterOf(first))).toEqual([]);
	});

	it('names the block whose exit code or state changed, with the diff of the state', () => {
		const before = realSnapshot(second);
		const after = realSnapshot(second);
		const stated = after.blocks.findIndex((b) => b.state);
		const state = after.blocks[stated]!.state!;
		const [host] = Object.keys(state);
		state[host!]![''] = { ...state[host!]!['']!, route: [] };
		const lastStep = after.blocks[0]!.steps.at(-1)!;
		lastStep.exit = 7;
		const changes = chapterChanges(before, after, chapterOf(second));
		expect(changes.map((c) => [c.status, c.line, c.problems.map((p) => p.kind)])).toEqual([
			['changed', after.blocks[0]!.line, ['exit']],
			['changed', after.blocks[stated]!.line, ['state']],
		]);
		const removedRoutes = before.blocks[stated]!.state![host!]!['']!.route.length;
		expect(removedRoutes).toBeGreaterThan(0);
		expect(changes[1]!.problems[0]!.diff!.split('\n').filter((l) => /^ {4}- \S+ \(host\) route /.test(l))).toHaveLength(removedRoutes);
	});

	it('reports an edited block as new, and the old one as removed with its commands', () => {
		const before = realSnapshot(first);
		const after = realSnapshot(first);
		const edited = after.blocks[2]!;
		const old = before.blocks[2]!;
		edited.key = 'ffffffffffffffff';
		expect(chapterChanges(before, after, chapterOf(first))).toEqual([
			{ status: 'new', line: edited.line, host: edited.host, commands: edited.steps.map((s) => s.cmd), problems: [] },
			{ status: 'removed', line: old.line, host: old.host, commands: old.steps.map((s) => s.cmd), problems: [] },
		]);
	});
});

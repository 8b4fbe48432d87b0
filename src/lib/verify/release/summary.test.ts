import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBook } from '../../runbook/load.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { readShardOutputs, writeShardOutputs, type SetReport } from './gather.ts';
import { CHAPTERS, realSnapshot, shardOutput, tempBook } from './release.test-helper.ts';
import { PR_BODY_LIMIT, recordedOn, releaseSummary } from './summary.ts';

const [first, second] = CHAPTERS;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Gathers these snapshots as shard outputs into a fresh copy of the two chapters' book. */
function gathered(sets: Record<string, Snapshot[]>): SetReport[] {
	const root = tempBook();
	const dir = shardOutput(sets);
	made.push(root, dir);
	const read = readShardOutputs([dir], CHAPTERS);
	if (!read.ok) throw new Error(read.errors.join('\n'));
	return writeShardOutputs(root, read.sets, loadBook(root));
}

/** A chapter's snapshot with `lines` more lines printed by every command. */
function louder(chapter: string, lines: number, text = 'more output'): Snapshot {
	const s = realSnapshot(chapter);
	for (const b of s.blocks) for (const step of b.steps) step.stdout += Array.from({ length: lines }, (_, i) => `${text} ${i}\n`).join('');
	return s;
}

describe('releaseSummary', () => {
	const changed = realSnapshot(first);
	const block = changed.blocks[1]!;
	block.steps[0]!.stdout += 'an extra line\n';
	const sets = gathered({ local: [changed, realSnapshot(second)], 'vm-arm64': [realSnapshot(first), realSnapshot(second)] });
	const text = releaseSummary(sets);

	it('has one overview row per set, counted from the gather', () => {
		for (const s of sets) {
			const commands = s.chapters.reduce((n, c) => n + c.commands, 0);
			const differ = s.chapters.filter((c) => c.changes.length > 0);
			const blocks = differ.reduce((n, c) => n + c.changes.length, 0);
			const firsts = s.chapters.filter((c) => c.comparedWith !== 'before').length;
			// Every machine the set's chapters were recorded on (this machine's kernel is updated now and then).
			const machine = [...new Set(s.chapters.map((c) => recordedOn(c.recorded)))].join('; ');
			expect(text).toContain(`| \`${s.set}\` | ${machine} | ${s.chapters.length} (${commands} commands) | ${firsts} | ${differ.length} | ${blocks} |`);
		}
	});

	it('shows the changed block where it is in the chapter, with a flush diff GitHub colours', () => {
		const change = sets[0]!.chapters[0]!.changes[0]!;
		const problem = change.problems[0]!;
		expect(text).toContain(`#### ${first}: 1 of ${changed.blocks.length} blocks differ\n`);
		expect(text).toContain(`- \`content/chapters/${first}.mdx:${block.line}\` [${block.host}]`);
		expect(text).toContain(`  \`$ ${block.steps[0]!.cmd}\` (line ${problem.line}): ${problem.message}`);
		const diff = problem.diff!.split('\n').map((l) => (l.slice(4) ? `  ${l.slice(4)}` : ''));
		expect(text).toContain(['  ```diff', ...diff, '  ```'].join('\n'));
		expect(text).toContain('  + an extra line');
		expect(text).toContain(`No difference: ${second}.`);
	});

	it("shows a set's first recording as compared with local", () => {
		expect(text).toContain('### `vm-arm64`: `content/snapshots/vm-arm64/`');
		expect(text).toContain(`#### ${first}: 1 of ${changed.blocks.length} blocks differ from \`local\` (the first recording of \`vm-arm64\`)`);
		expect(text).toContain('  - an extra line');
	});

	it("words blocks that differ in kind from local's as what local has, not as edits", () => {
		const edited = realSnapshot(second);
		const old = edited.blocks[2]!;
		edited.blocks[2] = { ...old, key: 'ffffffffffffffff' };
		const out = releaseSummary(gathered({ local: [realSnapshot(first), realSnapshot(second)], 'vm-arm64': [realSnapshot(first), edited] }));
		const cmds = old.steps.map((st) => `\`${st.cmd}\``).join(', ');
		expect(out).toContain(`- \`content/chapters/${second}.mdx:${old.line}\` [${old.host}]: a block that \`local\` does not have: ${cmds}`);
		expect(out).toContain(`- \`content/chapters/${second}.mdx:${old.line}\` [${old.host}] (as \`local\` has it): a block that only \`local\` has: ${cmds}`);
		expect(out).not.toContain('a new block');
	});

	it('cuts a long diff and says how many lines it left out', () => {
		const [s] = gathered({ local: [louder(first, 60), realSnapshot(second)] });
		const problem = s!.chapters[0]!.changes[0]!.problems[0]!;
		const lines = problem.diff!.split('\n').length;
		expect(lines).toBeGreaterThan(40);
		expect(releaseSummary([s!])).toContain(`  … ${lines - 40} more lines\n`);
		expect(releaseSummary([s!], { diffLines: lines })).not.toContain('more lines');
	});

	it('cuts a very long line of a diff', () => {
		const wide = realSnapshot(first);
		wide.blocks[0]!.steps[0]!.stdout += `${'x'.repeat(2000)}\n`;
		expect(releaseSummary(gathered({ local: [wide, realSnapshot(second)] }))).toContain(`  + ${'x'.repeat(498)} … (1502 more characters)\n`);
	});

	it('fences output that holds backticks with a longer fence', () => {
		const ticks = realSnapshot(first);
		ticks.blocks[0]!.steps[0]!.stdout += '```\n';
		const out = releaseSummary(gathered({ local: [ticks, realSnapshot(second)] }));
		expect(out).toContain('  ````diff\n');
		expect(out).toContain('  + ```\n');
	});

	it('fits the limit, leaving out the chapters that do not fit and naming them', () => {
		const loud = gathered({ local: [louder(first, 5), louder(second, 5)] });
		const full = releaseSummary(loud);
		expect(full).not.toContain('Left out');
		const limit = full.length - 100;
		const cut = releaseSummary(loud, { limit });
		expect(cut.length).toBeLessThanOrEqual(limit);
		expect(cut).toContain(`#### ${first}:`);
		expect(cut).not.toContain(`#### ${second}:`);
		expect(cut).toContain(`**Left out to fit a pull request body** (GitHub allows ${PR_BODY_LIMIT} characters): the diffs of \`local/${second}\`.`);
	});

	it('stays within GitHub\'s limit when every command of every set changed a lot', () => {
		const huge = gathered({ local: [louder(first, 400), louder(second, 400)], 'vm-x86_64': [louder(first, 300, 'other'), louder(second, 300, 'other')] });
		const out = releaseSummary(huge, { blocksPerChapter: 100, diffLines: 10_000 });
		expect(out.length).toBeLessThanOrEqual(PR_BODY_LIMIT);
		expect(out).toContain('Left out to fit a pull request body');
		for (const s of huge) expect(out).toContain(`### \`${s.set}\``);
	});
});

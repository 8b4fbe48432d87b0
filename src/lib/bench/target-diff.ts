/**
 * Blocks whose outputs differ between two targets' snapshots of a chapter, after normalisation:
 * the "blocks that differ between targets" figure of `npm run bench -- --only targets`. Blocks
 * are paired and normalised by the snapshot room's own functions (matchBlocks, normaliseBlock,
 * one chapter-wide context per side), as `verify --check --against local` compares a run, so a
 * block counted here is a mismatch there.
 */
import { matchBlocks, normaliseBlock } from '../snapshot/blocks.ts';
import { diffLines } from '../snapshot/diff.ts';
import { createNormaliseContext } from '../snapshot/normalise.ts';
import type { Snapshot } from '../snapshot/schema.ts';

/** The first difference of one block: where, in what, and the first line that differs on each side. */
export interface BlockDifference {
	/** Line of the block's fence in the chapter (as the target recorded it). */
	line: number;
	host: string;
	/** The command whose output differs first (absent for a state or a missing block). */
	cmd?: string;
	/**
	 * `stdout`, `stderr`, `exit`, `state` (the `ip -j` state after the block), `only-target` (a
	 * block the other snapshot lacks) or `only-local` (a block only the other snapshot has).
	 */
	what: 'stdout' | 'stderr' | 'exit' | 'state' | 'only-target' | 'only-local';
	/** The first differing line on the other side (local), normalised; absent when it has none there. */
	local?: string;
	/** The first differing line on this target's side, normalised; absent when it has none there. */
	target?: string;
}

/** One chapter of a target compared with the same chapter of another target (local). */
export interface ChapterDifferences {
	chapter: string;
	/** Blocks compared: the target's blocks, plus blocks only the other side has. */
	blocks: number;
	/** Blocks with any difference in a command's stdout, stderr or exit code, or in the state. */
	differing: number;
	/** The first difference of each differing block, in chapter order. */
	differences: BlockDifference[];
}

/** Longest a line of a difference is kept (characters); the text report shortens further. */
const KEEP = 200;

const cut = (line: string): string => (line.length > KEEP ? `${line.slice(0, KEEP - 1)}…` : line);

/** The first changed lines of two texts: the first `-` and the first `+` of the first hunk. */
export function firstDifferingLines(local: string, target: string): { local?: string; target?: string } {
	const lines = diffLines(local, target);
	const start = lines.findIndex((l) => l.op !== ' ');
	if (start < 0) return {};
	let end = start;
	while (end < lines.length && lines[end]!.op !== ' ') end++;
	const hunk = lines.slice(start, end);
	const minus = hunk.find((l) => l.op === '-');
	const plus = hunk.find((l) => l.op === '+');
	return { ...(minus ? { local: cut(minus.text) } : {}), ...(plus ? { target: cut(plus.text) } : {}) };
}

/**
 * Compares a target's snapshot of a chapter with local's, block by block, after normalisation.
 * Each side is normalised with its own chapter-wide context (so `<mac1>` is each side's first
 * MAC), in the target's block order, as verify's judge does.
 */
export function compareSnapshots(local: Snapshot, target: Snapshot): ChapterDifferences {
	const { partners, unused } = matchBlocks(target.blocks, local.blocks);
	const targetCtx = createNormaliseContext();
	const localCtx = createNormaliseContext();
	const differences: BlockDifference[] = [];
	target.blocks.forEach((block, i) => {
		const other = partners[i];
		if (!other) {
			differences.push({ line: block.line, host: block.host, what: 'only-target' });
			return;
		}
		const mine = normaliseBlock(block, targetCtx);
		const theirs = normaliseBlock(other, localCtx);
		const at = { line: block.line, host: block.host };
		for (const [k, step] of block.steps.entries()) {
			const a = theirs.steps[k];
			const b = mine.steps[k];
			if (!a || !b) continue;
			const stream = (['stdout', 'stderr'] as const).find((s) => a[s] !== b[s]);
			if (stream) {
				differences.push({ ...at, cmd: step.cmd, what: stream, ...firstDifferingLines(a[stream], b[stream]) });
				return;
			}
			if (a.exit !== b.exit) {
				differences.push({ ...at, cmd: step.cmd, what: 'exit', local: `exit ${a.exit}`, target: `exit ${b.exit}` });
				return;
			}
		}
		if (theirs.state !== mine.state) differences.push({ ...at, what: 'state', ...firstDifferingLines(theirs.state, mine.state) });
	});
	for (const block of unused) differences.push({ line: block.line, host: block.host, what: 'only-local' });
	return { chapter: target.chapter, blocks: target.blocks.length + unused.length, differing: differences.length, differences };
}

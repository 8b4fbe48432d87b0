/**
 * A chapter run in the page compared with one target's recording, block by block: what "Check
 * this chapter on the real kernel" shows. The comparison is verify's (judge.ts): blocks paired by
 * key, outputs normalised with one context per side for the whole chapter, then stdout, stderr and
 * exit code of every step compared exactly. Pure, so the page and the tests share it.
 */
import { foldNeighbourTiming, matchBlocks, normaliseBlock } from './blocks.ts';
import { formatDiff } from './diff.ts';
import { createNormaliseContext, type NormaliseContext } from './normalise.ts';
import type { Recorded, Snapshot } from './schema.ts';

/** One command as recorded or as run: what it printed and how it exited. */
export interface StepOutput {
	cmd: string;
	stdout: string;
	stderr: string;
	exit: number;
}

/**
 * A target's recording of a chapter in the shape the page fetches for a check (the build writes
 * one per chapter): each sh block's recorded steps by block index, or null when that block has no
 * recording (a `norun` block, or one whose commands changed since the target recorded it).
 */
export interface CheckRecording {
	/** verify's target name, e.g. `v86`. */
	target: string;
	/** The machine it was recorded on; absent when the target has not recorded this chapter. */
	recorded?: Recorded;
	/** By block index (the chapter's sh blocks, from 0). */
	blocks: (StepOutput[] | null)[];
}

/** What the check needs of a chapter's blocks: their index, snapshot key and whether they run. */
export interface CheckableBlock {
	index: number;
	key: string;
	runnable: boolean;
}

/**
 * The recording of `target` for a check: each runnable block paired with the snapshot's block of
 * the same key (as verify pairs them), its steps without the captured states.
 */
export function checkRecording(target: string, blocks: readonly CheckableBlock[], snapshot: Snapshot | undefined): CheckRecording {
	const out: (StepOutput[] | null)[] = blocks.map(() => null);
	if (!snapshot) return { target, blocks: out };
	const runnable = blocks.filter((b) => b.runnable);
	const { partners } = matchBlocks(runnable, snapshot.blocks);
	runnable.forEach((block, i) => {
		const partner = partners[i];
		if (partner) out[block.index] = partner.steps.map((s) => ({ cmd: s.cmd, stdout: s.stdout, stderr: s.stderr, exit: s.exit }));
	});
	return { target, recorded: snapshot.recorded, blocks: out };
}

/** How one block run in the page compares with its recording. */
export type BlockVerdict =
	| { status: 'match'; steps: number }
	| {
			status: 'differ';
			steps: number;
			/** `-` recorded, `+` this page, normalised; a few lines of context. */
			diff: string;
			/**
			 * The outputs differ only in neighbour states that time alone decides (`foldNeighbourTiming`:
			 * DELAY or REACHABLE, depending on how soon a command follows a ping): the page's kernel
			 * keeps its own pace, not the recording's.
			 */
			timing: boolean;
		  }
	| { status: 'unrecorded' };

/** A block's steps as one text: `$ command`, then stdout, stderr lines marked, a non-zero exit. */
export function stepsText(steps: readonly StepOutput[]): string {
	const lines: string[] = [];
	const body = (text: string, mark: string) => {
		if (text === '') return;
		const parts = text.split('\n');
		const complete = parts.at(-1) === '';
		if (complete) parts.pop();
		for (const p of parts) lines.push(`${mark}${p}`);
		if (!complete) lines.push('\\ no newline at the end');
	};
	for (const s of steps) {
		lines.push(`$ ${s.cmd}`);
		body(s.stdout, '');
		body(s.stderr, 'stderr: ');
		if (s.exit !== 0) lines.push(`[exit ${s.exit}]`);
	}
	return lines.join('\n');
}

/**
 * Compares a chapter run block by block with a recording, in the order the blocks ran: each side
 * keeps its own normalisation context for the whole chapter, so `<mac1>` is the first MAC each
 * side saw. Blocks without a recording are left out of both sides' numbering, as verify does.
 */
export class RunCheck {
	private readonly mine: NormaliseContext = createNormaliseContext();
	private readonly theirs: NormaliseContext = createNormaliseContext();

	constructor(private readonly recording: CheckRecording) {}

	/** The recorded steps of a block, or undefined when it has none. */
	recorded(index: number): StepOutput[] | undefined {
		return this.recording.blocks[index] ?? undefined;
	}

	/** Compares block `index` as run here (`steps`) with its recording. Call in the order blocks run. */
	compare(index: number, steps: readonly StepOutput[]): BlockVerdict {
		const recorded = this.recorded(index);
		if (!recorded) return { status: 'unrecorded' };
		const a = normaliseBlock({ steps: recorded }, this.theirs).steps;
		const b = normaliseBlock({ steps: [...steps] }, this.mine).steps;
		const same = a.length === b.length && a.every((x, k) => x.stdout === b[k]!.stdout && x.stderr === b[k]!.stderr && x.exit === b[k]!.exit);
		if (same) return { status: 'match', steps: steps.length };
		const text = (side: typeof a, commands: readonly StepOutput[]) => stepsText(side.map((s, k) => ({ ...s, cmd: commands[k]?.cmd ?? '?' })));
		const before = text(a, recorded);
		const after = text(b, steps);
		return { status: 'differ', steps: steps.length, diff: formatDiff(before, after, 2, ''), timing: foldNeighbourTiming(before) === foldNeighbourTiming(after) };
	}
}

/** Counts of a finished (or stopped) check, for its summary line. */
export interface CheckSummary {
	match: number;
	/** Blocks that differ, those that differ only in neighbour timing included. */
	differ: number;
	/** Of `differ`, those that differ only in a neighbour state that time decides. */
	timing: number;
	unrecorded: number;
}

/** Adds a verdict to a summary. */
export function tally(summary: CheckSummary, verdict: BlockVerdict): void {
	summary[verdict.status]++;
	if (verdict.status === 'differ' && verdict.timing) summary.timing++;
}

/**
 * The summary in words: "11 of 12 blocks match the recording made on v86 (the other differs only
 * in a neighbour state that time decides); 2 not recorded on v86."
 */
export function summaryText(summary: CheckSummary, target: string): string {
	const compared = summary.match + summary.differ;
	const blocks = compared === 1 ? 'block matches' : 'blocks match';
	const head = compared === 0 ? `No block of this chapter has a recording made on ${target} yet` : `${summary.match} of ${compared} ${blocks} the recording made on ${target}`;
	const timing = !summary.timing
		? ''
		: summary.timing === summary.differ
			? ` (${summary.timing === 1 ? 'the other differs' : `the other ${summary.timing} differ`} only in a neighbour state that time decides)`
			: ` (${summary.timing} of the ${summary.differ} that differ only in a neighbour state that time decides)`;
	return `${head}${timing}${summary.unrecorded ? `; ${summary.unrecorded} not recorded on ${target}` : ''}.`;
}

import type { BlockResult, ChapterResult } from '../engines/engine.ts';
import { formatDiff } from '../snapshot/diff.ts';
import { foldNeighbourTiming, matchBlocks, normaliseBlock, normaliseState } from '../snapshot/blocks.ts';
import { createNormaliseContext } from '../snapshot/normalise.ts';
import type { Snapshot } from '../snapshot/schema.ts';

/** What is wrong with a chapter's run: a difference from its snapshot, or a broken rule. */
export type ProblemKind =
	| 'missing-snapshot'
	| 'unreadable-snapshot'
	| 'new-block'
	| 'stale-block'
	| 'stdout'
	| 'stderr'
	| 'exit'
	| 'state'
	| 'timing'
	| 'failed'
	| 'succeeded'
	| 'timeout'
	| 'script';

/** Kinds that are differences from the snapshot (the rest are rule failures of the run itself). */
export const MISMATCH_KINDS: ReadonlySet<ProblemKind> = new Set([
	'missing-snapshot',
	'unreadable-snapshot',
	'new-block',
	'stale-block',
	'stdout',
	'stderr',
	'exit',
	'state',
]);

/** One problem, pinned to a chapter file, line and host, with a diff or a hint. */
export interface Problem {
	kind: ProblemKind;
	chapter: string;
	file: string;
	/** Line of the command (or of the block's fence for block-level problems). */
	line: number;
	host?: string;
	cmd?: string;
	message: string;
	/** Readable diff, `-` snapshot / `+` this run, after normalisation. */
	diff?: string;
}

function where(result: ChapterResult, block: BlockResult): Pick<Problem, 'chapter' | 'file' | 'line' | 'host'> {
	return { chapter: result.chapter, file: result.file, line: block.line, host: block.host };
}

/** Options of {@link compareWithSnapshot}. */
export interface CompareOptions {
	/**
	 * The run kept its own clock, not the recording's (the simulator's virtual clock): an output
	 * that differs only in a neighbour state that time alone decides (`foldNeighbourTiming`) is a
	 * `timing` note, not a mismatch.
	 */
	ownClock?: boolean;
	/** Where the snapshot would be, for the message when there is none (default: the local set's). */
	snapshotFile?: string;
	/** What `--update` needs besides the chapter to record that set (`--target vm:arm64`). */
	updateArgs?: string;
}

/**
 * Compares a run with its snapshot, normalised (chapter-wide numbering of MACs on both sides):
 * per block, per step stdout, stderr and exit code, then the captured state.
 */
export function compareWithSnapshot(result: ChapterResult, snapshot: Snapshot | undefined, options: CompareOptions = {}): Problem[] {
	const timingOnly = (a: string, b: string): boolean => options.ownClock === true && foldNeighbourTiming(a) === foldNeighbourTiming(b);
	const update = `run \`npm run verify -- --update --chapter ${result.chapter}${options.updateArgs ? ` ${options.updateArgs}` : ''}\` and commit the snapshot`;
	if (!snapshot)
		return [
			{
				kind: 'missing-snapshot',
				chapter: result.chapter,
				file: result.file,
				line: 1,
				message: `no snapshot ${options.snapshotFile ?? `content/snapshots/${result.chapter}.json`}`,
				diff: `    hint: ${update}`,
			},
		];
	const problems: Problem[] = [];
	const { partners, unused } = matchBlocks(result.blocks, snapshot.blocks);
	const runCtx = createNormaliseContext();
	const snapCtx = createNormaliseContext();
	result.blocks.forEach((block, i) => {
		const old = partners[i];
		if (!old) {
			problems.push({ kind: 'new-block', ...where(result, block), message: 'this block has no snapshot (a new or edited command)', diff: `    hint: ${update}` });
			return;
		}
		const mine = normaliseBlock(block, runCtx);
		const theirs = normaliseBlock(old, snapCtx);
		block.steps.forEach((step, k) => {
			const a = theirs.steps[k];
			const b = mine.steps[k];
			if (!a || !b) return;
			const at = { ...where(result, block), line: step.line, cmd: step.cmd };
			if (a.exit !== b.exit)
				problems.push({ kind: 'exit', ...at, message: `exit code ${b.exit}, the snapshot has ${a.exit}` });
			for (const stream of ['stdout', 'stderr'] as const)
				if (a[stream] !== b[stream])
					problems.push(
						timingOnly(a[stream], b[stream])
							? { kind: 'timing', ...at, message: `${stream} differs only in a neighbour state that time decides (- snapshot, + this run's clock)`, diff: formatDiff(a[stream], b[stream]) }
							: { kind: stream, ...at, message: `${stream} differs (- snapshot, + this run, normalised)`, diff: formatDiff(a[stream], b[stream]) },
					);
		});
		if (theirs.state !== mine.state)
			problems.push(
				timingOnly(theirs.state, mine.state)
					? { kind: 'timing', ...where(result, block), message: 'kernel state after the block differs only in a neighbour state that time decides (- snapshot, + this run\'s clock)', diff: formatDiff(theirs.state, mine.state, 1) }
					: { kind: 'state', ...where(result, block), message: 'kernel state after the block differs (- snapshot, + this run, normalised)', diff: formatDiff(theirs.state, mine.state, 1) },
			);
	});
	for (const old of unused)
		problems.push({
			kind: 'stale-block',
			chapter: result.chapter,
			file: result.file,
			line: old.line,
			host: old.host,
			message: `the snapshot has a block (recorded at line ${old.line}) that is no longer in the chapter`,
			diff: `    hint: ${update}`,
		});
	return problems;
}

/**
 * The chapter's own rules, whatever the snapshot says: every command succeeds, except the last
 * of a `fails` block, which must fail; no command may hit its timeout.
 */
export function checkRules(result: ChapterResult): Problem[] {
	const problems: Problem[] = [];
	for (const block of result.blocks)
		block.steps.forEach((step, k) => {
			const at = { ...where(result, block), line: step.line, cmd: step.cmd };
			const output = (step.stderr || step.stdout).trimEnd().split('\n').slice(-6).map((l) => `    | ${l}`).join('\n');
			const last = k === block.steps.length - 1;
			if (step.timedOut)
				problems.push({
					kind: 'timeout',
					...at,
					message: `timed out after ${Math.round((step.ms ?? 0) / 1000)} s and was stopped`,
					diff: `${output ? `${output}\n` : ''}    hint: give ping -c/-W, run servers in the background with output redirected (… >/dev/null 2>&1 &)`,
				});
			else if (block.fails && last && step.exit === 0)
				problems.push({
					kind: 'succeeded',
					...at,
					message: 'the block is marked fails but its last command succeeded (exit 0)',
					diff: `${output ? `${output}\n` : ''}    hint: fix the command so it fails as the prose says, or drop "fails"`,
				});
			else if (!(block.fails && last) && step.exit !== 0)
				problems.push({
					kind: 'failed',
					...at,
					message: `the command failed (exit ${step.exit})`,
					diff: `${output ? `${output}\n` : ''}    hint: ${block.fails ? 'only the last command of a fails block may fail' : 'fix the command, or mark the block fails if the failure is the point'}`,
				});
		});
	if (result.script) problems.push(...checkScript(result, result.script));
	return problems;
}

/**
 * The chapter's downloadable script, run after the chapter on the lab it cleaned up: it must
 * finish (exit 0, within its time) and leave the lab as the chapter's own cleanup left it, so
 * what readers download is what was verified and it is safe to run twice.
 */
function checkScript(result: ChapterResult, run: NonNullable<ChapterResult['script']>): Problem[] {
	const at = { chapter: result.chapter, file: result.file, line: 1, host: 'script' };
	const name = `scripts/${result.chapter}.sh`;
	const tail = (run.stderr || run.stdout).trimEnd().split('\n').slice(-8).map((l) => `    | ${l}`).join('\n');
	const hint = `    hint: run it by hand from dist/${name} in a lab; the chapter's cleanup blocks must undo everything by name`;
	if (run.timedOut) return [{ kind: 'script', ...at, message: `the chapter script ${name} timed out after ${Math.round(run.ms / 1000)} s`, diff: `${tail}\n${hint}` }];
	if (run.exit !== 0) return [{ kind: 'script', ...at, message: `the chapter script ${name} failed (exit ${run.exit})`, diff: `${tail}\n${hint}` }];
	const before = normaliseState(result.blocks.at(-1)?.state);
	const after = normaliseState(run.state);
	if (before !== after)
		return [
			{
				kind: 'script',
				...at,
				message: `the chapter script ${name} left the lab different from the chapter's cleanup (- after the chapter, + after the script)`,
				diff: `${formatDiff(before, after, 1)}\n${hint}`,
			},
		];
	return [];
}

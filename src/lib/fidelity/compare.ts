/**
 * Where a simulator run first departs from a kernel run of the same scenario, judged as verify
 * judges a chapter (src/lib/verify/judge.ts): both runs normalised block by block through one
 * context each (`normaliseBlock`), then per step exit code, stdout and stderr, then the state
 * captured after the last block; a difference only in a neighbour state that time decides
 * (`foldNeighbourTiming`) is not a divergence, as verify makes it a `~` note for the simulator.
 */
import type { ChapterResult } from '../engines/engine.ts';
import { foldNeighbourTiming, normaliseBlock, type NormalisedBlock } from '../snapshot/blocks.ts';
import { formatDiff } from '../snapshot/diff.ts';
import { createNormaliseContext } from '../snapshot/normalise.ts';

/** Which part of a command's result differs (state: the lab's state after the last command). */
export type Field = 'exit' | 'stdout' | 'stderr' | 'state';

/** One command's result, normalised. */
export interface Outcome {
	stdout: string;
	stderr: string;
	exit: number;
}

/** The first place where the two runs differ. */
export interface Divergence {
	/** Index of the command in the scenario (for `state`, the last command). */
	step: number;
	/** What differs there, in the order exit, stdout, stderr (or just `state`). */
	fields: Field[];
	/** Both sides, normalised (the state only as a diff). */
	kernel: Outcome;
	sim: Outcome;
	/** Readable diffs, `-` kernel / `+` simulator, per differing field. */
	diff: string;
}

/** Counts of a comparison: commands compared, and those that differed only in time-decided neighbour states. */
export interface Comparison {
	divergence: Divergence | undefined;
	compared: number;
	timing: number;
}

/** A diff of the kernel's text (`-`) and the simulator's (`+`), its words about a final newline theirs. */
function diff(kernel: string, sim: string, context?: number): string {
	const says = (has: string): string => (has === 'has' ? 'ends with one' : 'has none');
	return formatDiff(kernel, sim, context).replace(
		/\(the final newline differs: snapshot (has|has none), run (has|has none)\)/,
		(_, k: string, s: string) => `(the final newline differs: the kernel's text ${says(k)}, the simulator's ${says(s)})`,
	);
}

/** Each run's steps (and last state) normalised with one context for the whole run. */
function normaliseRun(result: ChapterResult): { steps: Outcome[]; state: string } {
	const ctx = createNormaliseContext();
	const blocks: NormalisedBlock[] = result.blocks.map((b) => normaliseBlock(b, ctx));
	return { steps: blocks.flatMap((b) => b.steps), state: blocks.at(-1)?.state ?? '' };
}

/** Compares a kernel run with a simulator run of the same scenario and finds the first divergence. */
export function compareRuns(kernel: ChapterResult, sim: ChapterResult): Comparison {
	const k = normaliseRun(kernel);
	const s = normaliseRun(sim);
	const same = (a: string, b: string): boolean => a === b || foldNeighbourTiming(a) === foldNeighbourTiming(b);
	let timing = 0;
	const n = Math.min(k.steps.length, s.steps.length);
	for (let i = 0; i < n; i++) {
		const a = k.steps[i] as Outcome;
		const b = s.steps[i] as Outcome;
		const fields: Field[] = [];
		if (a.exit !== b.exit) fields.push('exit');
		if (!same(a.stdout, b.stdout)) fields.push('stdout');
		if (!same(a.stderr, b.stderr)) fields.push('stderr');
		if (fields.length === 0) {
			if (a.stdout !== b.stdout || a.stderr !== b.stderr) timing++;
			continue;
		}
		const text = [
			...(fields.includes('exit') ? [`    exit: kernel ${a.exit}, simulator ${b.exit}`] : []),
			...(['stdout', 'stderr'] as const).filter((f) => fields.includes(f)).map((f) => `    ${f} (- kernel, + simulator):\n${diff(a[f], b[f])}`),
		].join('\n');
		return { divergence: { step: i, fields, kernel: a, sim: b, diff: text }, compared: i + 1, timing };
	}
	if (k.steps.length !== s.steps.length) throw new Error(`the runs have ${k.steps.length} and ${s.steps.length} commands`);
	if (!same(k.state, s.state)) {
		const empty = { stdout: '', stderr: '', exit: 0 };
		return {
			divergence: { step: n - 1, fields: ['state'], kernel: empty, sim: empty, diff: `    state after the last command (- kernel, + simulator):\n${diff(k.state, s.state, 1)}` },
			compared: n,
			timing,
		};
	}
	return { divergence: undefined, compared: n, timing };
}

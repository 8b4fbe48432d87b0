import { oneLine } from '../runbook/commands.ts';
import type { Problem } from './judge.ts';
import type { ChapterOutcome, VerifyReport } from './verify.ts';

/** One problem as a readable paragraph: `file:line [host] $ command`, what is wrong, the diff. */
function formatProblem(p: Problem): string {
	const head = `${p.file}:${p.line}${p.host ? ` [${p.host}]` : ''}${p.cmd ? ` $ ${oneLine(p.cmd)}` : ''}`;
	return [`✗ ${head}`, `  ${p.message}`, ...(p.diff ? [p.diff] : [])].join('\n');
}

/** Everything wrong with a chapter, or '' when nothing is. */
export function formatOutcome(o: ChapterOutcome): string {
	const parts: string[] = [];
	if (o.error) parts.push(`✗ ${o.file}: the engine could not run this chapter: ${o.error}`);
	for (const p of [...o.failures, ...o.mismatches]) parts.push(formatProblem(p));
	return parts.join('\n\n');
}

/**
 * The differences an engine with its own clock (the simulator) has only in neighbour states that
 * time decides, one paragraph each marked `~`, or '' when there are none. Not mismatches.
 */
export function formatTiming(o: ChapterOutcome): string {
	return (o.timing ?? []).map((p) => formatProblem(p).replace(/^✗/, '~')).join('\n\n');
}

/** The summary line: `verify: 10 chapters, 142 commands, 0 mismatches (kernel, 41.2 s)`. */
export function formatSummary(r: VerifyReport): string {
	const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
	const written = r.chapters.filter((c) => c.written).length;
	const parts = [
		plural(r.chapters.length, 'chapter'),
		plural(r.commands, 'command'),
		r.mode === 'check' ? plural(r.mismatches, 'mismatch', 'mismatches') : `${plural(written, 'snapshot')} written`,
		...(r.failures ? [plural(r.failures, 'failure')] : []),
		...(r.errors ? [plural(r.errors, 'error')] : []),
	];
	const summary = `verify${r.mode === 'update' ? ' --update' : ''}: ${parts.join(', ')} (${r.engine}, ${(r.ms / 1000).toFixed(1)} s)`;
	if (r.mode !== 'check' || r.engine !== 'sim') return summary;
	const { matching, verified } = fidelity(r);
	const timed = r.chapters.reduce((n, c) => n + (c.timing ?? []).filter((p) => p.cmd !== undefined).length, 0);
	const note = timed ? `; ${plural(timed, 'command')} of them ${timed === 1 ? 'differs' : 'differ'} only in a neighbour state that time decides (~)` : '';
	return `${summary}\nfidelity: ${matching}/${verified} commands print what the kernel printed (${((100 * matching) / Math.max(verified, 1)).toFixed(1)}%)${note}`;
}

/**
 * Commands whose stdout, stderr and exit all match the snapshot after normalisation, over the
 * commands verified: the simulator's fidelity figure. A command counts as missed once, however
 * many of its streams differ; block-level problems (a captured state) miss no command. A chapter
 * the engine could not run, or one with no (readable) snapshot, matches no command.
 */
export function fidelity(r: VerifyReport): { matching: number; verified: number } {
	const missed = new Set<string>();
	for (const c of r.chapters)
		for (const p of [...c.mismatches, ...c.failures]) if (p.cmd !== undefined) missed.add(`${c.chapter}:${p.line}`);
	// A chapter that ran without a snapshot to compare with matched nothing: no command of it counts.
	const unrun = r.chapters
		.filter((c) => c.error || c.mismatches.some((p) => p.kind === 'missing-snapshot' || p.kind === 'unreadable-snapshot'))
		.reduce((n, c) => n + c.commands, 0);
	return { matching: r.commands - missed.size - unrun, verified: r.commands };
}

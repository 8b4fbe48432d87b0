/**
 * What one invocation of a tool costs, as a program calling it pays: a child process started with
 * the shim, timed from the parent until it has exited, its journal replayed on the way. Measured at
 * several journal sizes, since every invocation replays the journal: the commands of the book's
 * chapters on the `machine` lab (4 to 10), one after another, cut at each size.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, profileFor } from '../netsim/index.ts';
import { loadBook } from '../runbook/load.ts';
import { oneLine } from '../runbook/commands.ts';
import type { Catalog } from './catalog.ts';
import { formatStateFile, resultDigest, STATE_FORMAT, type CommandEntry, type LabStateFile } from './state-file.ts';

/** Timings of one journal size, in milliseconds. */
export interface InvocationTiming {
	/** Commands in the journal each invocation replays. */
	journal: number;
	median: number;
	p90: number;
	runs: number;
}

/** Everything measured. */
export interface InvocationFigures {
	/** The invocation timed: a tool and its arguments. */
	command: string;
	/** `node -e 0` timed the same way: what starting Node costs before any of the tools' work. */
	nodeAlone: number;
	timings: InvocationTiming[];
	/** The Node that ran the tools. */
	node: string;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const round = (n: number): number => Math.round(n * 10) / 10;

/** Median and 90th percentile of running `argv` `runs` times, `before` each (untimed). */
function time(argv: readonly string[], env: NodeJS.ProcessEnv, runs: number, before: () => void = () => {}): { median: number; p90: number } {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		before();
		const t0 = performance.now();
		const r = spawnSync(argv[0] as string, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
		times.push(performance.now() - t0);
		if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
	}
	times.sort((a, b) => a - b);
	return { median: round(quantile(times, 0.5)), p90: round(quantile(times, 0.9)) };
}

/** The journal of the `machine` lab's chapters run one after another, as the tools would have recorded it. */
function bookJournal(state: Omit<LabStateFile, 'journal'>): CommandEntry[] {
	const lab = createLab(state.lab, { profile: profileFor(state.machine.recorded, state.machine.kind) });
	const entries: CommandEntry[] = [];
	for (const chapter of loadBook().filter((c) => c.lab === state.lab.name))
		for (const block of chapter.blocks.filter((b) => b.runnable))
			for (const command of block.commands) {
				const line = oneLine(command.text);
				entries.push({ host: block.host, line, out: resultDigest(lab.exec(block.host, line)) });
			}
	return entries;
}

/**
 * Times `ip -br link` through the shims in `bin` (`runs` times per size) with journals of `sizes`
 * commands, the state file put back before each run so that every run replays the same journal.
 */
export function measureInvocations(bin: string, catalog: Catalog, sizes: readonly number[], runs: number): InvocationFigures {
	const dir = mkdtempSync(join(tmpdir(), 'simtools-measure-'));
	const path = join(dir, 'state.json');
	const lab = catalog.labs['machine'];
	const machine = catalog.machines[catalog.primary];
	if (!lab || !machine) throw new Error('the catalog has no machine lab or no primary machine');
	const head = { format: STATE_FORMAT, lab, machine, host: 'pi' } as const;
	const journal = bookJournal(head);
	const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: dir, NETSIM_STATE: path };
	const command = ['ip', '-br', 'link'];
	try {
		const nodeAlone = time([process.execPath, '-e', '0'], env, runs).median;
		const timings = sizes
			.filter((n) => n <= journal.length)
			.map((n) => {
				const text = formatStateFile({ ...head, journal: journal.slice(0, n) });
				return { journal: n, runs, ...time([join(bin, 'ip'), ...command.slice(1)], env, runs, () => writeFileSync(path, text)) };
			});
		return { command: command.join(' '), nodeAlone, timings, node: process.version };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The figures as a table for the terminal and the docs. */
export function formatInvocations(f: InvocationFigures): string {
	const rows = f.timings.map((t) => `| ${t.journal} | ${t.median} | ${t.p90} |`);
	return [
		`\`${f.command}\`, ${f.timings[0]?.runs ?? 0} runs per size, Node ${f.node}; \`node -e 0\` alone: ${f.nodeAlone} ms (median)`,
		'',
		'| commands in the journal | median ms | p90 ms |',
		'|---|---|---|',
		...rows,
	].join('\n');
}

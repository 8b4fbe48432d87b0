/**
 * The built tools for tests: `npm run simtools`'s bundles and shims, built once per test file into
 * a temporary folder, and run as a program runs them (a child process, argv as given).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLab, profileFor, type SimLab } from '../netsim/index.ts';
import { loadLab } from '../book/labs.ts';
import { ROOT } from '../book/paths.ts';
import { targetKind } from '../shared/machine.ts';
import { recordedOfSet } from '../snapshot/store.ts';
import { buildSimtools } from './build.ts';
import { catalogFromBook } from './catalog-book.ts';

/** What a program printed and its exit status. */
export interface Ran {
	stdout: string;
	stderr: string;
	exit: number;
}

/** The tools, built, and a lab of their own to act on. */
export interface Tools {
	/** The folder of executables. */
	bin: string;
	/** A fresh state file path (nothing there yet), in a new folder of its own. */
	freshState(): string;
	/** The environment the tools run with: PATH with the tools first, NETSIM_STATE, HOME apart. */
	env(state: string, extra?: Record<string, string>): Record<string, string>;
	/** Runs an executable of the folder (or any program on the tools' PATH) with argv, as execFile does. */
	run(state: string, program: string, argv: readonly string[], options?: { host?: string; input?: string }): Ran;
	/** The same, without waiting: for invocations at once. */
	start(state: string, program: string, argv: readonly string[]): Promise<Ran>;
	/** Removes the build and every lab made with it. */
	dispose(): void;
}

/** Builds the tools into a temporary folder. */
export async function buildTools(): Promise<Tools> {
	const dir = mkdtempSync(join(tmpdir(), 'simtools-'));
	const { bin } = await buildSimtools(join(dir, 'out'), catalogFromBook());
	let n = 0;
	const env = (state: string, extra: Record<string, string> = {}): Record<string, string> => ({
		// The tools first, then the Node running the tests (24, the project's), then the system's.
		PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
		HOME: dir,
		NETSIM_STATE: state,
		...extra,
	});
	const ran = (r: { stdout: string; stderr: string; status: number | null }): Ran => ({ stdout: r.stdout, stderr: r.stderr, exit: r.status ?? -1 });
	return {
		bin,
		dispose: () => rmSync(dir, { recursive: true, force: true }),
		freshState: () => {
			const folder = join(dir, `lab-${++n}`);
			mkdirSync(folder);
			return join(folder, 'state.json');
		},
		env,
		run: (state, program, argv, options = {}) =>
			ran(spawnSync(program, argv, { env: env(state, options.host ? { NETSIM_HOST: options.host } : {}), input: options.input ?? '', encoding: 'utf8' })),
		start: (state, program, argv) =>
			new Promise((resolve, reject) => {
				const child = spawn(program, argv, { env: env(state), stdio: ['ignore', 'pipe', 'pipe'] });
				let stdout = '';
				let stderr = '';
				child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
				child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
				child.on('error', reject);
				child.on('close', (status) => resolve({ stdout, stderr, exit: status ?? -1 }));
			}),
	};
}

/** A lab in one session, as `netsim-lab init --lab LAB --like SET` starts it: what the tools must match. */
export function sessionLab(lab: string, set: string): SimLab {
	return createLab(loadLab(lab), { profile: profileFor(recordedOfSet(ROOT, set), targetKind(set)) });
}

/** A session's result without the simulator's extras (trace, note), as a program sees it. */
export function printed(r: { stdout: string; stderr: string; exit: number }): Ran {
	return { stdout: r.stdout, stderr: r.stderr, exit: r.exit };
}

/**
 * The argv bash would make of a line of plain words and quoted strings, or undefined for anything
 * more (expansions, operators, redirections): those are the shell's business, not a tool's.
 */
export function simpleArgv(line: string): string[] | undefined {
	const argv: string[] = [];
	let word = '';
	let inWord = false;
	for (let i = 0; i < line.length; ) {
		const c = line[i] as string;
		if (c === ' ' || c === '\t') {
			if (inWord) argv.push(word);
			word = '';
			inWord = false;
			i++;
		} else if (c === "'" || c === '"') {
			const end = line.indexOf(c, i + 1);
			const inner = line.slice(i + 1, end);
			if (end < 0 || (c === '"' && /[$`\\!]/.test(inner))) return undefined;
			word += inner;
			inWord = true;
			i = end + 1;
		} else if (/[\w@%+=:,./-]/.test(c)) {
			word += c;
			inWord = true;
			i++;
		} else return undefined;
	}
	if (inWord) argv.push(word);
	return argv;
}

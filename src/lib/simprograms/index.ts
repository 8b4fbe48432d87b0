/**
 * The book's own programs as the simulator runs them: their real code, not a model of it. The
 * CNI plugin of chapter 15 (examples/cni-plugin) takes the machine it runs on as a `System`; here
 * that machine is the simulated lab: `ip`, `nsenter`, `iptables` and `sysctl` are the simulator's
 * tools, the address files are the host's simulated files, random bytes come from the lab's seeded
 * generator. The verify engine (`--engine sim`) and the page's terminal hand these programs to
 * `createLab`; the plugin's code loads only when a line runs it (`prepare`), so a page pays for it
 * only when the reader calls the plugin.
 */
import { BOOK_PROGRAMS, TSBRIDGE, type BookProgram } from '../book/book-programs.ts';
import type { ExecResult, SimProcess, SimProgram } from '../netsim/index.ts';
import type { System } from '../../../examples/cni-plugin/src/system.ts';

type PluginModule = typeof import('../../../examples/cni-plugin/src/plugin.ts');
type Sha512 = typeof import('../netsim/util/sha512.ts');

let loaded: { plugin: PluginModule; sha512: Sha512 } | undefined;

/** Loads the plugin's code (and the simulator's SHA-512, which names its nat chains). */
export async function loadPrograms(): Promise<void> {
	if (loaded) return;
	const [plugin, sha512] = await Promise.all([import('../../../examples/cni-plugin/src/plugin.ts'), import('../netsim/util/sha512.ts')]);
	loaded = { plugin, sha512 };
}

/** True when `line` names a program of the book by its path: it needs {@link loadPrograms} first. */
export function namesProgram(line: string): boolean {
	return BOOK_PROGRAMS.some((p) => line.includes(p.path));
}

/**
 * The simulator's tools that the book's programs start, as a line would name them: the page's
 * simulator loads some tools on demand (`prepare` in src/lib/netsim) and must have these first.
 */
export const TOOLS_USED = 'ip nsenter iptables sysctl';

/** The plugin's machine: the simulated lab, as the process running it sees it. */
function systemOf(process: SimProcess, sha512Hex: (text: string) => string): System {
	return {
		run(program, args) {
			const ran = process.exec([program, ...args]);
			return { status: ran.exit, stdout: ran.stdout, stderr: ran.stderr };
		},
		files: process.files,
		randomHex: (bytes) => process.randomBytes(bytes).map((b) => b.toString(16).padStart(2, '0')).join(''),
		sha512Hex,
	};
}

/** tsbridge: main.ts's two lines, with the simulated lab as the machine. */
function runTsbridge(process: SimProcess): ExecResult {
	if (!loaded) return { stdout: '', stderr: "netsim: the book's CNI plugin is still loading; run the command again\n", exit: 1 };
	const { stdout, exit } = loaded.plugin.runPlugin(process.env, () => process.stdin, systemOf(process, loaded.sha512.sha512Hex));
	return { stdout, stderr: '', exit };
}

/**
 * The file a simulated host has at the program's path. The lab's real file is the whole bundle
 * (about 20 KB of JavaScript); the simulator runs the sources instead, so the file holds only the
 * line that says what runs it, and a line that says where the rest is.
 */
const fileText = (program: BookProgram): string =>
	`#!/usr/bin/env ${program.interpreter}\n// ${program.what}: its code is in ${program.source} (the simulator runs it from there)\n`;

const RUNNERS: ReadonlyMap<BookProgram, (process: SimProcess) => ExecResult> = new Map([[TSBRIDGE, runTsbridge]]);

/** The simulator's programs for the book's programs at `paths` (those a chapter calls); other paths are ignored. */
export function simPrograms(paths: readonly string[]): SimProgram[] {
	return BOOK_PROGRAMS.filter((p) => paths.includes(p.path)).flatMap((p) => {
		const run = RUNNERS.get(p);
		return run ? [{ path: p.path, text: fileText(p), run }] : [];
	});
}

/**
 * The simulator (src/lib/netsim) as a terminal engine. The simulator is imported only when the
 * first command runs, so a page that never opens its terminal never downloads it.
 */
import type { Lab } from '../lab/schema.ts';
import type { EngineState, RunOptions, RunResult, TerminalEngine } from './engine.ts';
import { play, timelineOf, type PlayOptions, type TimedChunk } from './pace.ts';
import { isPacketTrace } from './trace.ts';

/** What `lab.exec` answers (src/lib/netsim, DESIGN.md "Simulator contract"). */
export interface SimResult {
	stdout: string;
	stderr: string;
	exit: number;
	/** Optional: the walk of the command's first packet (see docs/terminal.md). */
	trace?: unknown;
	/** Optional: when each piece of output appeared on the virtual clock, in seconds. */
	timeline?: TimedChunk[];
}

/** A simulated lab, as `createLab(definition)` returns it. */
export interface SimLab {
	exec(host: string, line: string): SimResult | Promise<SimResult>;
	state(): EngineState | Promise<EngineState>;
}

/** src/lib/netsim's `createLab`. */
export type CreateLab = (definition: Lab) => SimLab;

/** Options of {@link createSimEngine}. */
export interface SimEngineOptions extends Pick<PlayOptions, 'msPerSecond' | 'sleep'> {
	/** Loads `createLab` (default: a lazy import of src/lib/netsim). */
	load?: () => Promise<CreateLab>;
}

/** Loads the simulator's `createLab`, with a clear error when it is not there yet. */
export async function loadNetsim(): Promise<CreateLab> {
	// Vite resolves the glob at build time into a lazy import (its own chunk): an empty record
	// while src/lib/netsim has no index.ts, so the site keeps building while it is written.
	const netsim = import.meta.glob<{ createLab?: CreateLab }>('../netsim/index.ts');
	const load = netsim['../netsim/index.ts'];
	const mod = load ? await load() : undefined;
	if (typeof mod?.createLab !== 'function') throw new Error('the simulator (src/lib/netsim) does not export createLab yet');
	return mod.createLab;
}

/** Commands the simulator answers (DESIGN.md, "Simulator contract"). */
export const SIMULATOR_COMMANDS = ['ip', 'ping', 'bridge', 'iptables', 'sysctl', 'hostname'];

/**
 * A {@link TerminalEngine} over the simulator: each command runs at once in the model, then its
 * output is played back on the virtual clock (ping replies one per interval).
 */
export function createSimEngine(definition: Lab, options: SimEngineOptions = {}): TerminalEngine {
	const load = options.load ?? loadNetsim;
	let createLab: CreateLab | undefined;
	let lab: SimLab | undefined;
	const current = async (): Promise<SimLab> => {
		createLab ??= await load();
		return (lab ??= createLab(clone(definition)));
	};
	const clone = (d: Lab): Lab => JSON.parse(JSON.stringify(d)) as Lab;

	return {
		name: 'simulator',
		hosts: () => definition.hosts.map((h) => h.name),
		commands: () => SIMULATOR_COMMANDS,
		async run(host: string, line: string, run: RunOptions = {}): Promise<RunResult> {
			const sim = await current();
			let result: SimResult;
			try {
				result = await sim.exec(host, line);
			} catch (e) {
				// The simulator promises never to throw on user input; if it does, the terminal lives on.
				result = { stdout: '', stderr: `netsim: internal error: ${(e as Error).message}\n`, exit: 1 };
			}
			const timeline = result.timeline ?? timelineOf(line, result.stdout, result.stderr);
			await play(timeline, { msPerSecond: options.msPerSecond, sleep: options.sleep, onOutput: run.onOutput, signal: run.signal });
			return isPacketTrace(result.trace) ? { exit: result.exit, trace: result.trace } : { exit: result.exit };
		},
		async state(): Promise<EngineState> {
			return (await current()).state();
		},
		async reset(): Promise<void> {
			createLab ??= await load();
			lab = createLab(clone(definition));
		},
	};
}

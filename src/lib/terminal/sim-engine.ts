/**
 * The simulator (src/lib/netsim) as a terminal engine. The simulator is imported only when the
 * first command runs, so a page that never opens its terminal never downloads it.
 */
import type { ExecResult, LabOptions, SimLab, SimProfile } from '../netsim/index.ts';
import type { MachineProvenance, TargetKind } from '../shared/machine.ts';
import type { LabState } from '../shared/lab-state.ts';
import type { Lab } from '../shared/lab.ts';
import type { TerminalRunOptions, RunResult, TerminalEngine } from './engine.ts';
import { play, timelineOf, type PlayOptions } from './pace.ts';
import { isPacketTrace } from '../shared/trace.ts';

/** What the terminal uses of a simulated lab (src/lib/netsim's `SimLab`): test doubles need no more. */
export type TerminalSimLab = Pick<SimLab, 'exec' | 'state'>;

/** src/lib/netsim's `createLab`; the terminal asks for an interactive shell. */
export type CreateLab = (definition: Lab, options?: LabOptions) => TerminalSimLab;

/** What the terminal uses of the simulator's module (src/lib/netsim/index.ts). */
export interface Netsim {
	createLab: CreateLab;
	/** Names of the commands it runs (the CNI plugins by path), for Tab completion. */
	toolNames?: () => string[];
	/** Loads the on-demand tool modules a line needs (jq) before it runs. */
	prepare?: (line: string) => Promise<void>;
	/** Loads what runs programs from outside the simulator, before a lab with some is created. */
	loadProgramSupport?: () => Promise<void>;
	/** The profile of a recorded machine (src/lib/netsim/profile/). */
	profileFor?: (recorded: MachineProvenance | undefined, kind?: TargetKind) => SimProfile;
}

/** Options of {@link createSimTerminalEngine}. */
export interface SimTerminalOptions extends Pick<PlayOptions, 'msPerSecond' | 'sleep'> {
	/** Loads the simulator (default: a lazy import of src/lib/netsim): its module, or just `createLab`. */
	load?: () => Promise<CreateLab | Netsim>;
	/**
	 * The machine to imitate: the recording the page shows (the primary target's) and its kind of
	 * target, so the terminal prints what the page shows. Absent: the simulator's default.
	 */
	machine?: { recorded: MachineProvenance; kind: TargetKind } | undefined;
	/**
	 * Paths of the book's own programs the chapter calls (its CNI plugin): the lab has them, run by
	 * their real code (src/lib/simprograms), which loads only when a line names one.
	 */
	programs?: readonly string[] | undefined;
}

type SimPrograms = typeof import('../simprograms/index.ts');

/** Loads the simulator's module (its own chunk in the page: a lazy import). */
export async function loadNetsim(): Promise<Netsim> {
	return (await import('../netsim/index.ts')) as Netsim;
}

/**
 * A {@link TerminalEngine} over the simulator: each command runs at once in the model, then its
 * output is played back on the virtual clock (ping replies one per interval).
 */
export function createSimTerminalEngine(definition: Lab, options: SimTerminalOptions = {}): TerminalEngine {
	const load = options.load ?? loadNetsim;
	const paths = options.programs ?? [];
	let netsim: Netsim | undefined;
	let programs: SimPrograms | undefined;
	let lab: TerminalSimLab | undefined;
	const loaded = async (): Promise<Netsim> => {
		if (netsim) return netsim;
		const got = await load();
		// Only a chapter that calls the book's programs loads their registry (a chunk of its own).
		const sim: Netsim = typeof got === 'function' ? { createLab: got } : got;
		if (paths.length) {
			programs ??= await import('../simprograms/index.ts');
			await sim.loadProgramSupport?.();
		}
		return (netsim = sim);
	};
	/** A fresh lab for a reader: an interactive shell, imitating the page's machine, with the chapter's programs. */
	const fresh = (sim: Netsim): TerminalSimLab => {
		const profile = options.machine && sim.profileFor ? sim.profileFor(options.machine.recorded, options.machine.kind) : undefined;
		const own = programs?.simPrograms(paths) ?? [];
		return sim.createLab(clone(definition), { interactive: true, ...(profile ? { profile } : {}), ...(own.length ? { programs: own } : {}) });
	};
	/** Loads what a line needs before it runs: tools that load on demand, and a book program's code. */
	const prepare = async (line: string): Promise<void> => {
		await netsim?.prepare?.(line);
		if (!programs?.namesProgram(line)) return;
		await programs.loadPrograms();
		await netsim?.prepare?.(programs.TOOLS_USED);
	};
	const current = async (): Promise<TerminalSimLab> => (lab ??= fresh(await loaded()));
	const clone = (d: Lab): Lab => JSON.parse(JSON.stringify(d)) as Lab;

	return {
		name: 'simulator',
		hosts: () => definition.hosts.map((h) => h.name),
		// The simulator's own list once it has loaded (the prompt waits for it anyway).
		commands: () => netsim?.toolNames?.() ?? [],
		async run(host: string, line: string, run: TerminalRunOptions = {}): Promise<RunResult> {
			const sim = await current();
			let result: ExecResult;
			try {
				await prepare(line);
				result = sim.exec(host, line);
			} catch (e) {
				// The simulator promises never to throw on user input; if it does, the terminal lives on.
				result = { stdout: '', stderr: `netsim: internal error: ${(e as Error).message}\n`, exit: 1 };
			}
			const timeline = timelineOf(line, result.stdout, result.stderr);
			await play(timeline, { msPerSecond: options.msPerSecond, sleep: options.sleep, onOutput: run.onOutput, signal: run.signal });
			const done: RunResult = isPacketTrace(result.trace) ? { exit: result.exit, trace: result.trace } : { exit: result.exit };
			if (typeof result.note === 'string' && result.note) done.note = result.note;
			return done;
		},
		async state(): Promise<LabState> {
			return (await current()).state();
		},
		async reset(): Promise<void> {
			lab = fresh(await loaded());
		},
	};
}

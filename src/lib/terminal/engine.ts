/**
 * The seam between the in-page terminal and whatever runs its commands (DESIGN.md, "Engines
 * behind the terminal"): the simulator today, a real kernel under v86 perhaps later. The widget
 * only ever talks to a {@link TerminalEngine}; nothing here knows which engine it is.
 */
import type { PacketTrace } from '../shared/trace.ts';

/** `ip -j` shaped state of one namespace (see src/lib/snapshot/schema.ts). */
export interface NetnsState {
	link: unknown[];
	addr: unknown[];
	route: unknown[];
	neigh: unknown[];
}

/** State of a whole lab: host → namespace name (`''` for the host's own) → `ip -j` output. */
export type LabState = Record<string, Record<string, NetnsState>>;

/** Which stream a piece of output belongs to. */
export type Stream = 'stdout' | 'stderr';

/** A piece of a command's output, as it arrives. */
export interface OutputChunk {
	stream: Stream;
	text: string;
}

/** Options of {@link TerminalEngine.run}. */
export interface TerminalRunOptions {
	/** Called for each piece of output, in order, as the command produces it. */
	onOutput?: (chunk: OutputChunk) => void;
	/**
	 * The reader pressed Ctrl-C or the skip key. A real engine interrupts the command. The
	 * simulator has already finished it in its model, so it prints what is left at once.
	 */
	signal?: AbortSignal;
}

/** What a command left behind once it finished. */
export interface RunResult {
	/** Exit code, as `$?` would show it. */
	exit: number;
	/** The walk of one packet, when the engine recorded one (pings in the simulator). */
	trace?: PacketTrace;
	/**
	 * The engine's own words about the command, apart from its output: what it did that the real
	 * tool would not have (the simulator stopped a ping that runs until Ctrl-C). Shown as a note.
	 */
	note?: string;
}

/**
 * What runs the terminal's commands. Commands are single lines (continuations already folded)
 * and run one at a time: the terminal never calls `run` before the previous call settled.
 */
export interface TerminalEngine {
	/** Short name shown to the reader, e.g. "simulator". */
	readonly name: string;
	/** The lab's hosts, in lab order: the hosts a reader can switch to. */
	hosts(): string[];
	/** Runs one command line as root on `host`, streaming its output. Never rejects for user input. */
	run(host: string, line: string, options?: TerminalRunOptions): Promise<RunResult>;
	/** Current network state of every host and namespace, `ip -j` shaped. */
	state(): Promise<LabState>;
	/** Throws the lab away and builds it afresh, as the chapter starts it. */
	reset(): Promise<void>;
	/** Commands this engine understands, for Tab completion (default: the book's tools). */
	commands?(): string[];
}

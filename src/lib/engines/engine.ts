import type { Chapter } from '../runbook/types.ts';
import type { CommandOutput } from '../shared/command.ts';
import type { LabState } from '../shared/lab-state.ts';
import type { Recorded } from '../snapshot/schema.ts';
import type { Lab } from '../shared/lab.ts';

/** What one command printed, raw, with where it came from in the chapter. */
export interface StepResult extends CommandOutput {
	/** The command as written (continuations joined with "\\\n"). */
	cmd: string;
	/** 1-based chapter line where the command starts. */
	line: number;
	/** True when the engine stopped the command at its timeout. */
	timedOut: boolean;
	/** Wall time of the command in milliseconds, when the engine measures it. */
	ms?: number;
}

/** One runnable block of a chapter after it ran. */
export interface BlockResult {
	/** Snapshot key (runbook blockKey: host + commands). */
	key: string;
	/** Index among the chapter's sh blocks. */
	index: number;
	/** Line of the opening fence. */
	line: number;
	host: string;
	/** The block is marked `fails`: its last command must exit non-zero. */
	fails: boolean;
	steps: StepResult[];
	/** Kernel state after the block: on `diagram` blocks and on the chapter's last block. */
	state?: LabState;
}

/** The chapter's downloadable script, run by the engine after the chapter (kernel engine only). */
export interface ScriptRun {
	exit: number;
	timedOut: boolean;
	ms: number;
	stdout: string;
	stderr: string;
	/** The lab's state after the script: it must equal the state after the chapter's cleanup. */
	state?: LabState;
}

/** A chapter run by an engine on a fresh lab. */
export interface ChapterResult {
	chapter: string;
	/** Chapter file, relative to the repository root. */
	file: string;
	/** Name of the engine that ran it, e.g. "kernel". */
	engine: string;
	recorded: Recorded;
	/** Runnable blocks, in chapter order. */
	blocks: BlockResult[];
	/** Wall time of the run in milliseconds. */
	ms: number;
	/** The chapter script's run, when the engine ran it. */
	script?: ScriptRun;
}

/** Options of {@link Engine.run}. */
export interface ChapterRunOptions {
	/** Per-command timeout in seconds (default 30). */
	timeoutSec?: number;
	/** Aborting stops the run and tears its lab down. */
	signal?: AbortSignal;
	/**
	 * The chapter's downloadable script, as readers get it, to run after the chapter on the lab
	 * its cleanup left (absent: no script run). Engines that cannot run bash ignore it.
	 */
	script?: string;
	/** Called after each command with the number of commands done and in total. */
	onProgress?: (done: number, total: number) => void;
	/**
	 * The snapshots the run will be compared with: their set (a target such as `vm:arm64`, or a set
	 * name) and the chapter's `recorded` provenance there, when it has one. An engine that imitates
	 * a machine (the simulator) imitates that one; a real kernel ignores it.
	 */
	compared?: { set: string; recorded?: Recorded | undefined };
}

/**
 * Something that runs a chapter's commands on its lab: the real kernel in a sealed sandbox
 * (`kernel`, the default) or the simulator (`sim`). Each run starts from a fresh lab.
 */
export interface Engine {
	readonly name: string;
	/** Runs every runnable block of `chapter` on a fresh `lab`, one command at a time. */
	run(chapter: Chapter, lab: Lab, options?: ChapterRunOptions): Promise<ChapterResult>;
}

/** The engine cannot run here at all (not root, not Linux, not sealed, a tool missing): one line. */
export class EngineRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EngineRefusedError';
	}
}

/** The engine failed on one chapter (lab build failed, sandbox died): names the chapter. */
export class EngineRunError extends Error {
	constructor(
		readonly chapter: string,
		message: string,
	) {
		super(`${chapter}: ${message}`);
		this.name = 'EngineRunError';
	}
}

/** The commands of a block in the order they run, with their lines. */
export function runnableBlocks(chapter: Chapter): Chapter['blocks'] {
	return chapter.blocks.filter((b) => b.runnable);
}

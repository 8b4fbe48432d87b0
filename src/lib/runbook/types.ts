import type { CheckSpec } from './checks.ts';

/** One command of a shell block: continuation lines joined, comments kept out. */
export interface Command {
	/** The command as the shell should run it, continuation lines joined with "\\\n". */
	text: string;
	/** 1-based line in the chapter file where the command starts. */
	line: number;
}

/** Attributes from a fence's meta string (see docs/writing-chapters.md). */
export interface BlockAttributes {
	host?: string;
	fails: boolean;
	/** Reason the block is not executed. */
	norun?: string;
	diagram: boolean;
	/** A "predict, then run" question: the page keeps the output folded until the reader asks for it. */
	predict?: boolean;
	title?: string;
}

/** A fenced `sh` block of a chapter. */
export interface ShellBlock {
	/** Index among the chapter's sh blocks, from 0. */
	index: number;
	/** 1-based line of the opening fence. */
	line: number;
	/** Host the block runs on: its `host=` or the lab's first host. */
	host: string;
	attributes: BlockAttributes;
	/** Raw code inside the fence, exactly as written. */
	code: string;
	commands: Command[];
	/** Snapshot key: a hash of the host and the commands (not of prose, comments or attributes). */
	key: string;
	/** True unless the block is `norun`. */
	runnable: boolean;
}

/** A chapter parsed from its MDX source. */
export interface Chapter {
	/** File name without extension, e.g. "05-veth-pairs". */
	id: string;
	file: string;
	title: string;
	description: string;
	lab: string;
	order?: number;
	/** Progress checks from the frontmatter, in the order the chapter reaches them. */
	checks: CheckSpec[];
	blocks: ShellBlock[];
}

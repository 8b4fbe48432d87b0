/**
 * A chapter's blocks as the terminal replays them ("Run in the terminal", "Run up to here"),
 * with the one-line commands the engine runs.
 */

/** One `sh` block of the chapter, as the page hands it to the terminal. */
export interface ScriptBlock {
	/** Index among the chapter's sh blocks, from 0 (runbook `ShellBlock.index`). */
	index: number;
	/** Line of the opening fence in the chapter: what the site plugin puts in `data-nb-line`. */
	line: number;
	host: string;
	/** Commands, continuation lines folded into one line each. */
	commands: string[];
	/** The last command must fail (the block is `fails`). */
	fails: boolean;
	/** False for `norun` blocks: never replayed. */
	runnable: boolean;
	title?: string;
}

/** True when a command's exit is what the chapter expects of it. */
export function exitExpected(block: ScriptBlock, command: number, exit: number): boolean {
	const last = command === block.commands.length - 1;
	return block.fails && last ? exit !== 0 : exit === 0;
}

/**
 * The one way a tool ends early: it throws a ToolExit carrying the result it ends with (exit code,
 * stderr, sometimes stdout), and the tool's top, made with defineTool, returns that result. So a
 * parser deep inside a tool stops it with the tool's exact wording, and nothing escapes as an
 * exception. Wording helpers (iproute2's invarg, ping's option errors…) all throw this type.
 */
import type { ExecResult, Tool } from './types.ts';

/**
 * A tool ending early with a result. Not an Error: it is how a tool stops, not a fault, so no
 * stack trace is captured each time a wrong command line is answered. A failure a tool meets
 * over and over at run time (curl in a retry loop) is better returned as a value.
 */
export class ToolExit {
	readonly exit: number;
	readonly stderr: string;
	readonly stdout: string;
	constructor(exit: number, stderr: string, stdout = '') {
		this.exit = exit;
		this.stderr = stderr;
		this.stdout = stdout;
	}

	/** The result the tool ends with. */
	result(): ExecResult {
		return { stdout: this.stdout, stderr: this.stderr, exit: this.exit };
	}
}

/** Ends the running tool with an exit code, a message on stderr and, rarely, output. */
export function exitWith(code: number, stderr: string, stdout = ''): never {
	throw new ToolExit(code, stderr, stdout);
}

/** A tool whose body may end early by throwing ToolExit: the exit becomes its result. */
export function defineTool(run: Tool): Tool {
	return (argv, ctx) => {
		try {
			return run(argv, ctx);
		} catch (e) {
			if (e instanceof ToolExit) return e.result();
			throw e;
		}
	};
}

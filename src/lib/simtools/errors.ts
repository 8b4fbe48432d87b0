/**
 * The tools' own failures (no lab, a broken state file, a lock never freed): a message saying
 * what failed, naming the file, and a hint saying what to do. The simulated commands' failures
 * are not these: they are results, printed as the real tools print them.
 */

/** Exit status of a tool that could not run its command at all (as `env` and `timeout` use 125). */
export const TOOLS_FAILED = 125;

/** A failure of the command-line tools themselves, with what to do about it. */
export class SimtoolsError extends Error {
	/** One line on what to do next. */
	readonly hint: string;

	constructor(message: string, hint: string) {
		super(message);
		this.name = 'SimtoolsError';
		this.hint = hint;
	}
}

/** How a failure is printed on stderr: `netsim: what failed`, then the hint indented. */
export function failureText(error: SimtoolsError): string {
	return `netsim: ${error.message}\n  ${error.hint}\n`;
}

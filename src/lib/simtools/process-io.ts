/** What the tools' entries share: printing an outcome as a process does, and saying so when the tools themselves crash. */
import { TOOLS_FAILED } from './errors.ts';
import type { Outcome } from './tool-command.ts';

/**
 * Prints an outcome and sets the exit status, leaving Node to exit once the streams have drained
 * (process.exit could cut a long output short on a pipe). A note is the simulator speaking, not
 * the tool: it is shown to a person at a terminal and never mixed into what a program reads.
 */
export function finish(outcome: Outcome): void {
	// A reader that stops early (`ip link | head -1`) closes the pipe: end quietly, as the real tool
	// would on SIGPIPE, rather than with a stack trace about EPIPE.
	for (const stream of [process.stdout, process.stderr]) stream.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code !== 'EPIPE') throw e;
	});
	if (outcome.stdout) process.stdout.write(outcome.stdout);
	if (outcome.stderr) process.stderr.write(outcome.stderr);
	if (outcome.note && process.stderr.isTTY) process.stderr.write(`netsim: ${outcome.note.replace(/\n/g, '\nnetsim: ')}\n`);
	process.exitCode = outcome.exit;
}

/** A bug in the tools: said as such, with its stack, and with what to do. */
export function crashed(e: unknown): Outcome {
	const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
	return { stdout: '', stderr: `netsim: internal error: ${detail}\n  this is a bug in the simulated tools; please report it with the command that caused it\n`, exit: TOOLS_FAILED };
}

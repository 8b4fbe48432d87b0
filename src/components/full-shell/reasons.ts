/**
 * Why "Open in a full shell" could not open, as one line for the reader. Whatever fails, the page
 * says why in one line and opens the built-in (simulated) terminal instead.
 */

/** Something that stops the full shell, with what the browser said where it said something. */
export type Failure =
	| { kind: 'not-isolated' }
	| { kind: 'no-shared-memory' }
	| { kind: 'offline' }
	| { kind: 'load'; detail: string }
	| { kind: 'files'; detail: string }
	| { kind: 'timeout'; seconds: number }
	| { kind: 'boot'; detail: string }
	| { kind: 'shell'; detail: string };

/** An error that carries its {@link Failure}, thrown by shell.ts. */
export class FullShellError extends Error {
	readonly failure: Failure;
	constructor(failure: Failure) {
		super(failure.kind);
		this.name = 'FullShellError';
		this.failure = failure;
	}
}

/** What the browser must offer before anything is loaded (a WebContainer needs all of it). */
export interface BrowserFacts {
	crossOriginIsolated: boolean;
	sharedArrayBuffer: boolean;
	onLine: boolean;
}

/** The first thing missing for a WebContainer, or nothing: checked before any download. */
export function preflight(facts: BrowserFacts): Failure | undefined {
	if (!facts.onLine) return { kind: 'offline' };
	if (!facts.crossOriginIsolated) return { kind: 'not-isolated' };
	if (!facts.sharedArrayBuffer) return { kind: 'no-shared-memory' };
	return undefined;
}

/** Any error as a Failure: a FullShellError's own, else `fallback` with the error's message. */
export function asFailure(error: unknown, fallback: 'load' | 'boot' | 'shell'): Failure {
	if (error instanceof FullShellError) return error.failure;
	const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160) || 'no message';
	return { kind: fallback, detail };
}

/** The reason, as the sentence's first half. */
function why(f: Failure): string {
	switch (f.kind) {
		case 'offline':
			return 'You are offline, and the full shell starts from stackblitz.com';
		case 'not-isolated':
			return 'This page was served without the cross-origin isolation headers that the full shell needs';
		case 'no-shared-memory':
			return 'This browser does not give the page SharedArrayBuffer, which the full shell needs';
		case 'load':
			return `The full shell’s code did not load (${f.detail})`;
		case 'files':
			return `The plugin’s files did not load (${f.detail})`;
		case 'timeout':
			return `The WebContainer did not start within ${f.seconds} s (stackblitz.com unreachable, or its frame blocked by the browser?)`;
		case 'boot':
			return `The WebContainer did not start (${f.detail})`;
		case 'shell':
			return `The shell did not start in the WebContainer (${f.detail})`;
	}
}

/** The one line: why, then what the page does instead (`terminal`: whether it has a built-in terminal to open). */
export function reasonLine(f: Failure, terminal: boolean): string {
	return `${why(f)}: ${terminal ? 'here is the simulated terminal instead.' : 'this page has no simulated terminal to offer instead.'}`;
}

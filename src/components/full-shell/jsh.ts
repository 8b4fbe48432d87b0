/**
 * The WebContainer's shell (jsh) in an xterm.js terminal: jsh's output to the screen, the keys
 * back to jsh, the size kept in step. Started with `--osc`, jsh marks the moment it reads input
 * with an OSC 654 "interactive" sequence (xterm.js ignores sequences it does not know); the first
 * line is typed only then, so that no key is lost.
 */
import type { WebContainer, WebContainerProcess } from '@webcontainer/api';
import type { Terminal } from '@xterm/xterm';

/** The WebContainer's shell: a program of the WebContainer, not of the machine that builds the book. */
const JSH = 'jsh';

/** What jsh prints once it reads input. */
const INTERACTIVE = '\x1b]654;interactive\x07';

/** How long to wait for that before typing anyway (a jsh that does not print it still gets its line). */
const INTERACTIVE_WAIT_MS = 15_000;

/**
 * Starts jsh in `term` with `env` and types `firstLine` into it, as if the reader had. Resolves
 * once the line is typed; the shell then lives as long as the page.
 */
export async function startShell(wc: WebContainer, term: Terminal, env: Record<string, string>, firstLine: string): Promise<WebContainerProcess> {
	const shell = await wc.spawn(JSH, ['--osc'], { env, terminal: { cols: term.cols, rows: term.rows } });
	const input = shell.input.getWriter();
	let markReady: () => void = () => {};
	const interactive = new Promise<void>((resolve) => (markReady = resolve));
	void shell.output.pipeTo(
		new WritableStream({
			write(chunk) {
				if (chunk.includes(INTERACTIVE)) markReady();
				term.write(chunk);
			},
		}),
	);
	// Keys typed after the shell ended have nowhere to go.
	term.onData((data) => void input.write(data).catch(() => {}));
	term.onResize(({ cols, rows }) => shell.resize({ cols, rows }));
	void shell.exit.then((code) => term.write(`\r\n\x1b[2m[the shell ended (status ${code}); reload the page for a new one]\x1b[0m\r\n`));
	await Promise.race([interactive, new Promise((resolve) => setTimeout(resolve, INTERACTIVE_WAIT_MS))]);
	await input.write(`${firstLine}\n`);
	return shell;
}

/**
 * "Open in a full shell", loaded only when the reader presses the button (loader.ts): boots a
 * WebContainer (Node.js in the browser, from stackblitz.com), mounts the plugin's folder
 * (src/lib/fullshell/tree.ts, fetched as JSON from this site), and shows an editor over the
 * plugin's sources and a terminal on the WebContainer's shell, into which it types the setup line
 * (build the plugin, start the simulated lab). Every failure is a FullShellError with its reason.
 */
import { WebContainer, type BootOptions, type FileSystemTree } from '@webcontainer/api';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
// The styles come as text, put in the page on the press: imported as stylesheets, the build would
// link them from every page up front.
import xtermStyles from '@xterm/xterm/css/xterm.css?inline';
import { SETUP_LINE, shellEnv, TRY_LINES } from '../../lib/fullshell/commands.ts';
import { COEP } from '../../lib/fullshell/headers.ts';
import { WORKDIR_NAME } from '../../lib/fullshell/layout.ts';
import { editableFiles, FIRST_EDITED } from '../../lib/fullshell/tree.ts';
import { h } from '../try-it/dom.ts';
import { mountEditor } from './editor.ts';
import { startShell } from './jsh.ts';
import { FullShellError, type Failure } from './reasons.ts';
import panelStyles from './full-shell-panel.css?inline';

/** What loader.ts hands over. */
export interface OpenOptions {
	/** Address of the folder's tree (JSON). */
	tree: string;
	/** How long the WebContainer may take to boot. */
	timeoutMs: number;
	/** Shows one line of progress to the reader. */
	say(line: string): void;
}

/** `promise`, or a FullShellError with `late`'s reason after `ms`. */
function within<T>(promise: Promise<T>, ms: number, late: (seconds: number) => Failure): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new FullShellError(late(Math.round(ms / 1000)))), ms);
		promise.then(
			(value) => (clearTimeout(timer), resolve(value)),
			(error: unknown) => (clearTimeout(timer), reject(error)),
		);
	});
}

/** The folder's tree from this site. */
async function fetchTree(url: string): Promise<FileSystemTree> {
	let response: Response;
	try {
		response = await fetch(url);
	} catch (e) {
		throw new FullShellError({ kind: 'files', detail: (e as Error).message });
	}
	if (!response.ok) throw new FullShellError({ kind: 'files', detail: `HTTP ${response.status} for ${new URL(url, location.href).pathname}` });
	return (await response.json()) as FileSystemTree;
}

/** Boots a WebContainer: StackBlitz's, unless a test hands in its own. */
export type Boot = (options: BootOptions) => Promise<WebContainer>;

/**
 * The page's one boot: a page may boot a single WebContainer, so "Try again" after a timeout waits
 * for the boot already under way instead of starting a second. A boot that failed is forgotten.
 */
let booting: Promise<WebContainer> | undefined;

/** Boots, mounts, and opens the editor and the shell in `body`. Rejects with a FullShellError. */
export async function openFullShell(body: HTMLElement, options: OpenOptions, bootWith: Boot = (o) => WebContainer.boot(o)): Promise<void> {
	options.say('Loading the plugin’s files, and starting a WebContainer from stackblitz.com…');
	const boot = (booting ??= bootWith({ coep: COEP, workdirName: WORKDIR_NAME }).catch((e: unknown) => {
		booting = undefined;
		throw new FullShellError({ kind: 'boot', detail: (e as Error).message ?? String(e) });
	}));
	const [wc, tree] = await Promise.all([within(boot, options.timeoutMs, (seconds) => ({ kind: 'timeout', seconds })), fetchTree(options.tree)]);
	options.say('Copying the plugin and the simulator into the WebContainer…');
	await wc.mount(tree);

	document.head.append(h('style', { 'data-nb-fullshell-styles': '' }, xtermStyles, panelStyles));
	const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 14, scrollback: 5000 });
	const fit = new FitAddon();
	term.loadAddon(fit);
	const editor = mountEditor(wc.fs, editableFiles(tree), FIRST_EDITED);
	const screen = h('div', { class: 'nb-fs-term' });
	body.replaceChildren(editor.element, screen);
	body.hidden = false;
	term.open(screen);
	fit.fit();
	new ResizeObserver(() => fit.fit()).observe(screen);
	term.writeln('\x1b[1mA shell in a WebContainer\x1b[0m, in the folder of the plugin; the network tools act on a simulated lab.');
	term.writeln(`Try: ${TRY_LINES.slice(0, 3).join('   ')}   (cat README.md for more)`);

	options.say('Starting the shell…');
	const env = shellEnv(wc.workdir, wc.path);
	const late = (seconds: number): Failure => ({ kind: 'shell', detail: `jsh did not start within ${seconds} s` });
	await within(startShell(wc, term, env, SETUP_LINE), options.timeoutMs, late).catch((e: unknown) => {
		throw e instanceof FullShellError ? e : new FullShellError({ kind: 'shell', detail: (e as Error).message ?? String(e) });
	});
	options.say('Ready: the shell builds the plugin and starts the lab; the editor above it writes into the same folder.');
	body.scrollIntoView({ block: 'start' });
	term.focus();
}

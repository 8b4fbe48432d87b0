/**
 * The terminal's `help`: what it is, its own commands, the commands its engine runs (from the
 * engine's own list, laid out in columns that fit the terminal), and its keys. Paragraphs are
 * single lines, so the page wraps them at word boundaries whatever the terminal's width.
 */
import { columns } from './columns.ts';

/** The terminal's own commands and what they do. */
const OWN: [string, string][] = [
	['ssh HOST', 'type on another machine of the lab (exit comes back)'],
	['@HOST CMD', 'run one command on another machine'],
	['hosts', "list the lab's machines"],
	['reset', 'start the lab afresh, as the chapter starts it'],
	['clear', 'clear the screen (Ctrl-L)'],
	['history', 'list the commands you typed'],
	['ping --trace ADDR', 'ping, then walk the first packet on the diagram'],
];

const KEYS =
	'Keys: Up/Down history, Tab completes (a second Tab lists the choices), Ctrl-A/E start/end of line, Ctrl-U/K cut before/after the cursor, Alt-Backspace cuts a word (browsers keep Ctrl-W for closing the tab), Ctrl-C stops a command or drops the line, Esc skips ahead in a running ping; Esc then Tab leaves the terminal.';

/** `text` broken at spaces into lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	return [...lines, line];
}

/** The terminal's own commands as a table; on a narrow terminal each description goes under its command. */
function table(width: number): string[] {
	const key = Math.max(...OWN.map(([k]) => k.length)) + 2;
	const beside = width - 2 - key >= 24;
	return OWN.flatMap(([k, what]) =>
		beside
			? wrap(what, width - 2 - key).map((l, i) => `  ${(i === 0 ? k : '').padEnd(key)}${l}`)
			: [`  ${k}`, ...wrap(what, width - 6).map((l) => `      ${l}`)],
	);
}

/**
 * The help text for a terminal `width` characters wide. `tools` are the engine's commands as it
 * names them (`ip`, `/usr/lib/cni/bridge`…); commands run by path are listed by folder.
 */
export function helpText(tools: readonly string[], width: number, engine = 'simulator'): string {
	const parts = [
		`This terminal runs the chapter's lab in a ${engine}, in your browser. Type the chapter's commands, or use the "Run" buttons beside its blocks.`,
		['Terminal commands:', ...table(width)].join('\n'),
	];
	// Words only: `:` and the like are shell syntax more than commands.
	const named = tools.filter((t) => /^[A-Za-z][\w.-]*$/.test(t));
	if (named.length) parts.push([`Commands the ${engine} runs:`, ...columns(named, width)].join('\n'));
	const byFolder = new Map<string, string[]>();
	for (const t of tools.filter((t) => t.startsWith('/'))) {
		const cut = t.lastIndexOf('/');
		byFolder.set(t.slice(0, cut), [...(byFolder.get(t.slice(0, cut)) ?? []), t.slice(cut + 1)]);
	}
	for (const [folder, names] of byFolder) parts.push([`Run by path, ${folder}/NAME:`, ...columns(names, width)].join('\n'));
	if (named.length) parts.push(`A common tool the ${engine} does not model says so, with what to use here and how to run it on a real Linux machine.`);
	parts.push(KEYS);
	return parts.join('\n\n');
}

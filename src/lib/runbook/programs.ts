import { bookProgram, type BookProgram } from '../book/book-programs.ts';
import { oneLine } from './commands.ts';
import type { Chapter } from './types.ts';

/**
 * Which programs a shell command line calls: the first word of every simple command, looking
 * through pipes, lists, `$(…)`, backticks, `sudo`, `ip netns exec NS`, `timeout`, `env` and
 * `sh -c '…'`. Shell builtins and keywords are not programs and are left out.
 */

/** Bash builtins and keywords that a chapter uses: never looked up on PATH. */
const SHELL_WORDS = new Set(
	('echo printf cd pwd read export test [ [[ true false kill wait set unset source . exit trap type local ' +
		'declare shift command exec eval let return break continue until while for do done if then else elif fi ' +
		'case esac { } ( ) ! time select function').split(' '),
);

/** Words after which the real command follows: keywords and simple wrappers. */
const PREFIXES = new Set(['sudo', 'exec', 'nohup', 'time', '!', 'command', 'env', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', '{']);

/** Programs that only wrap another command; they are programs too (`timeout`, `nohup`, `env`, `sudo`). */
const WRAPPER_PROGRAMS = new Set(['sudo', 'nohup', 'env', 'timeout']);

/** Strips wrappers off a simple command: `ip netns exec NS cmd`, `timeout 5 cmd`, `env X=1 cmd`. */
function unwrap(words: string[], found: string[]): string[] {
	let w = words;
	for (;;) {
		while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0]!)) w = w.slice(1);
		const [first, ...rest] = w;
		if (first !== undefined && WRAPPER_PROGRAMS.has(first)) found.push(first);
		if (first !== undefined && PREFIXES.has(first)) w = rest;
		else if (first === 'timeout') {
			let i = 0;
			while (rest[i]?.startsWith('-')) i++;
			w = rest.slice(i + 1);
		} else return w;
	}
}

/** Index of the `)` that closes a `$(` whose body starts at `from` (or the end of the line). */
function closingParen(line: string, from: number): number {
	let depth = 1;
	let quote: string | undefined;
	for (let i = from; i < line.length; i++) {
		const c = line[i]!;
		if (quote) {
			if (c === quote) quote = undefined;
			else if (c === '\\' && quote === '"') i++;
		} else if (c === "'" || c === '"') quote = c;
		else if (c === '\\') i++;
		else if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return i;
	}
	return line.length;
}

/** A simple command: its words (quotes removed) and where its output is redirected. */
export interface SimpleCommand {
	words: string[];
	/** Targets of `>` and `>>` redirections (not `>&N`), in order. */
	writes: string[];
}

/**
 * Splits a command line into simple commands on unquoted `| & ; ( ) $(`, backticks and newlines,
 * keeping quoted text; redirections are taken out of the words (their `>` targets kept apart).
 */
export function shellCommands(line: string): SimpleCommand[] {
	const commands: SimpleCommand[] = [];
	let words: string[] = [];
	let writes: string[] = [];
	let word = '';
	let quote: string | undefined;
	let quoted = false;
	const endWord = () => {
		if (word !== '' || quoted) words.push(word);
		word = '';
		quoted = false;
	};
	const endCommand = () => {
		endWord();
		if (words.length) commands.push({ words, writes });
		words = [];
		writes = [];
	};
	for (let i = 0; i < line.length; i++) {
		const c = line[i]!;
		if (quote === '"' && c === '$' && line[i + 1] === '(') {
			// a command substitution inside double quotes: its commands count too
			const end = closingParen(line, i + 2);
			commands.push(...shellCommands(line.slice(i + 2, end)));
			word += '$(…)';
			i = end;
			continue;
		}
		if (quote) {
			if (c === quote) quote = undefined;
			else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
			else word += c;
			continue;
		}
		if (c === "'" || c === '"') {
			quote = c;
			quoted = true;
		} else if (c === '\\' && i + 1 < line.length) word += line[++i];
		else if (c === '#' && word === '' && !quoted) {
			while (i + 1 < line.length && line[i + 1] !== '\n') i++;
		} else if (c === '\n') endCommand();
		else if (/\s/.test(c)) endWord();
		else if ('|&;()`'.includes(c)) endCommand();
		else if (c === '$' && line[i + 1] === '(') {
			endCommand();
			i++;
		} else if (c === '>' || c === '<') {
			// a redirection: take it and its target out of the words (`2>` drops its fd number)
			if (/^\d+$/.test(word) && !quoted) word = '';
			endWord();
			const output = c === '>';
			let dup = false;
			while (line[i + 1] === '>' || line[i + 1] === '&' || line[i + 1] === '<') if (line[++i] === '&') dup = true;
			while (/[ \t]/.test(line[i + 1] ?? '')) i++;
			let target = '';
			while (i + 1 < line.length && !/[\s|&;()<>]/.test(line[i + 1]!)) target += line[++i];
			if (output && !dup && target) writes.push(target);
		} else word += c;
	}
	endCommand();
	return commands;
}

/** Splits a command line into simple commands' words (see {@link shellCommands}). */
function simpleCommands(line: string): string[][] {
	return shellCommands(line).map((c) => c.words);
}

/**
 * The programs a command calls, in order of appearance: command names (`ip`) or absolute paths
 * (`/usr/lib/cni/bridge`). Shell builtins, keywords and `$VARIABLE` commands are left out.
 */
export function programsOf(command: string): string[] {
	const found: string[] = [];
	for (const raw of simpleCommands(oneLine(command))) {
		let words = unwrap(raw, found);
		while (words[0] === 'ip' && words[1] === 'netns' && words[2] === 'exec' && words.length > 4) {
			found.push('ip');
			words = unwrap(words.slice(4), found);
		}
		const [first, ...rest] = words;
		if (!first) continue;
		if ((first === 'sh' || first === 'bash') && rest[0] === '-c' && rest[1]) {
			found.push(first, ...programsOf(rest[1]));
			continue;
		}
		if (!SHELL_WORDS.has(first) && !/^\$/.test(first) && /^[\w./+-]+$/.test(first)) found.push(first);
	}
	return [...new Set(found)];
}

/**
 * The book's own programs (src/lib/book/book-programs.ts) that a chapter's runnable commands call,
 * in order of first use: the labs of such a chapter get them (the sandbox's job, the simulator).
 */
export function chapterBookPrograms(chapter: Chapter): BookProgram[] {
	const found = new Set<BookProgram>();
	for (const block of chapter.blocks) {
		if (!block.runnable) continue;
		for (const c of block.commands) for (const p of programsOf(c.text)) {
			const program = bookProgram(p);
			if (program) found.add(program);
		}
	}
	return [...found];
}

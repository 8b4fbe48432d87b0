/**
 * The syntax tree of a command line in the shell's subset: lists (`;`, `&&`, `||`, `&`),
 * pipelines, loops, groups and function definitions, simple commands with assignments and redirections, words made of quoted
 * text, `$VAR`, `${VAR}` and `$(…)`.
 */

/** One piece of a word, with how it was quoted. */
export type Segment =
	| { kind: 'text'; text: string; quote: 'none' | 'single' | 'double' }
	| { kind: 'var'; name: string; quote: 'none' | 'double' }
	| { kind: 'cmdsub'; source: string; quote: 'none' | 'double' };

/** A word before expansion. */
export type Word = Segment[];

/** A redirection. */
export interface Redir {
	fd: number;
	op: '>' | '>>' | '<' | '>&' | '<<<';
	target: Word;
}

/** A simple command. */
export interface SimpleCommand {
	assigns: { name: string; value: Word }[];
	words: Word[];
	redirs: Redir[];
}

/**
 * A loop (`while`/`until COND; do BODY; done`, `for NAME in WORDS; do BODY; done`), a group
 * `{ BODY; }`, or a function definition `NAME() { BODY; }`.
 */
export type Compound =
	| { kind: 'while' | 'until'; cond: ListItem[]; body: ListItem[]; redirs: Redir[] }
	| { kind: 'for'; name: string; words: Word[]; body: ListItem[]; redirs: Redir[] }
	| { kind: 'group'; body: ListItem[]; redirs: Redir[] }
	| { kind: 'function'; name: string; body: ListItem[]; redirs: Redir[] };

/** Commands joined by `|`. */
export type Pipeline = { commands: (SimpleCommand | Compound)[]; negate: boolean };

/** A list element: a pipeline and the operator that follows it. */
export interface ListItem {
	pipeline: Pipeline;
	op: ';' | '&&' | '||' | '&';
}

/** Parse failure, worded like bash. */
export class ParseError extends Error {}

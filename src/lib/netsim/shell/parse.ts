/**
 * A small POSIX-shell subset: lists (`;`, `&&`, `||`, `&`), pipelines, redirections, quotes,
 * `$VAR`, `${VAR}`, `$(…)`, assignments before a command. Enough for the book's command lines.
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

/** A loop: `while`/`until COND; do BODY; done`, or `for NAME in WORDS; do BODY; done`. */
export type Compound =
	| { kind: 'while' | 'until'; cond: ListItem[]; body: ListItem[]; redirs: Redir[] }
	| { kind: 'for'; name: string; words: Word[]; body: ListItem[]; redirs: Redir[] };

/** Commands joined by `|`. */
export type Pipeline = { commands: (SimpleCommand | Compound)[]; negate: boolean };

/** A list element: a pipeline and the operator that follows it. */
export interface ListItem {
	pipeline: Pipeline;
	op: ';' | '&&' | '||' | '&';
}

/** Parse failure, worded like bash. */
export class ParseError extends Error {}

const META = new Set([';', '&', '|', '<', '>', '(', ')', '\n']);

/** Splits a command line into list items. Throws ParseError on a syntax error. */
export function parse(src: string): ListItem[] {
	const p = new Parser(src);
	return p.list();
}

class Parser {
	private i = 0;
	constructor(private readonly s: string) {}

	private peek(n = 0): string {
		return this.s[this.i + n] ?? '';
	}

	private skipBlanks(): void {
		for (;;) {
			const c = this.peek();
			if (c === ' ' || c === '\t') this.i++;
			else if (c === '\\' && this.peek(1) === '\n') this.i += 2;
			else if (c === '#' ) {
				while (this.i < this.s.length && this.peek() !== '\n') this.i++;
			} else return;
		}
	}

	/** The bare word at the cursor, without consuming it (for reserved words). */
	private peekWord(): string {
		const m = /^[A-Za-z_]+(?=$|[\s;&|()<>])/.exec(this.s.slice(this.i));
		return m ? m[0] : '';
	}

	private expectWord(w: string): void {
		this.skipBlanks();
		while (this.peek() === '\n' || this.peek() === ';') {
			this.i++;
			this.skipBlanks();
		}
		if (this.peekWord() !== w) throw new ParseError(this.i >= this.s.length ? 'syntax error: unexpected end of file' : `syntax error near unexpected token \`${this.peekWord() || this.peek()}'`);
		this.i += w.length;
	}

	list(stop?: Set<string>): ListItem[] {
		const items: ListItem[] = [];
		for (;;) {
			this.skipBlanks();
			while (this.peek() === '\n') {
				this.i++;
				this.skipBlanks();
			}
			if (this.i >= this.s.length) break;
			if (stop?.has(this.peekWord())) break;
			if (!stop && ['do', 'done', 'then', 'fi'].includes(this.peekWord())) throw new ParseError(`syntax error near unexpected token \`${this.peekWord()}'`);
			const c = this.peek();
			if (c === ';' || c === '&' || c === '|' || c === ')') {
				const tok = c === '&' && this.peek(1) === '&' ? '&&' : c === '|' && this.peek(1) === '|' ? '||' : c === ';' && this.peek(1) === ';' ? ';;' : c;
				throw new ParseError(`syntax error near unexpected token \`${tok}'`);
			}
			const pipeline = this.pipeline();
			this.skipBlanks();
			let op: ListItem['op'] = ';';
			const c2 = this.peek();
			if (c2 === '&' && this.peek(1) === '&') {
				op = '&&';
				this.i += 2;
			} else if (c2 === '|' && this.peek(1) === '|') {
				op = '||';
				this.i += 2;
			} else if (c2 === '&') {
				op = '&';
				this.i++;
			} else if (c2 === ';' && this.peek(1) === ';') {
				// `;;` is one token to bash (it ends a case item), so it is what bash calls unexpected.
				throw new ParseError("syntax error near unexpected token `;;'");
			} else if (c2 === ';' || c2 === '\n') this.i++;
			items.push({ pipeline, op });
			if (op === '&&' || op === '||') {
				this.skipBlanks();
				while (this.peek() === '\n') {
					this.i++;
					this.skipBlanks();
				}
				if (this.i >= this.s.length) throw new ParseError('syntax error: unexpected end of file');
			}
		}
		return items;
	}

	private pipeline(): Pipeline {
		const commands: (SimpleCommand | Compound)[] = [];
		let negate = false;
		this.skipBlanks();
		if (this.peek() === '!' && (this.peek(1) === ' ' || this.peek(1) === '\t')) {
			negate = true;
			this.i++;
		}
		for (;;) {
			const kw = this.peekWord();
			commands.push(kw === 'while' || kw === 'until' || kw === 'for' ? this.compound(kw) : this.command());
			this.skipBlanks();
			if (this.peek() === '|' && this.peek(1) !== '|') {
				this.i++;
				this.skipBlanks();
				while (this.peek() === '\n') {
					this.i++;
					this.skipBlanks();
				}
				if (this.i >= this.s.length) throw new ParseError('syntax error: unexpected end of file');
				continue;
			}
			return { commands, negate };
		}
	}

	private compound(kw: 'while' | 'until' | 'for'): Compound {
		this.i += kw.length;
		let result: Compound;
		if (kw === 'for') {
			this.skipBlanks();
			const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
			if (!name) throw new ParseError(`syntax error near unexpected token \`${this.peek() || 'newline'}'`);
			this.i += name.length;
			this.skipBlanks();
			const words: Word[] = [];
			if (this.peekWord() === 'in') {
				this.i += 2;
				for (;;) {
					this.skipBlanks();
					const c = this.peek();
					if (c === '' || c === ';' || c === '\n') break;
					const w = this.word();
					if (w.length === 0) throw new ParseError(`syntax error near unexpected token \`${c}'`);
					words.push(w);
				}
			}
			this.expectWord('do');
			const body = this.list(new Set(['done']));
			this.expectWord('done');
			result = { kind: 'for', name, words, body, redirs: [] };
		} else {
			const cond = this.list(new Set(['do']));
			this.expectWord('do');
			const body = this.list(new Set(['done']));
			this.expectWord('done');
			result = { kind: kw, cond, body, redirs: [] };
		}
		for (;;) {
			this.skipBlanks();
			const r = this.redirection();
			if (!r) break;
			result.redirs.push(r);
		}
		return result;
	}

	private command(): SimpleCommand {
		const cmd: SimpleCommand = { assigns: [], words: [], redirs: [] };
		for (;;) {
			this.skipBlanks();
			const c = this.peek();
			if (c === '' || c === ';' || c === '\n' || c === '|' || (c === '&' && this.peek(1) !== '>')) break;
			if (c === '(' || c === ')') throw new ParseError(`syntax error near unexpected token \`${c}'`);
			const redir = this.redirection();
			if (redir) {
				cmd.redirs.push(redir);
				continue;
			}
			const start = this.i;
			const word = this.word();
			if (word.length === 0) throw new ParseError(`syntax error near unexpected token \`${this.s[start] ?? 'newline'}'`);
			const first = word[0];
			if (cmd.words.length === 0 && first && first.kind === 'text' && first.quote === 'none') {
				const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
				if (m) {
					const rest: Word = [{ ...first, text: first.text.slice(m[0].length) }, ...word.slice(1)];
					cmd.assigns.push({ name: m[1] as string, value: rest });
					continue;
				}
			}
			cmd.words.push(word);
		}
		if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) {
			const c = this.peek();
			throw new ParseError(`syntax error near unexpected token \`${c === '' || c === '\n' ? 'newline' : c === '&' && this.peek(1) === '&' ? '&&' : c === '|' && this.peek(1) === '|' ? '||' : c === ';' && this.peek(1) === ';' ? ';;' : c}'`);
		}
		return cmd;
	}

	private redirection(): Redir | undefined {
		const rest = this.s.slice(this.i);
		const m = /^(\d?)(>>|>&|<<<|&>|>|<)/.exec(rest);
		if (!m) return undefined;
		this.i += m[0].length;
		const op = m[2] as string;
		this.skipBlanks();
		const target = this.word();
		if (target.length === 0) {
			const c = this.peek();
			throw new ParseError(`syntax error near unexpected token \`${c === '' || c === '\n' ? 'newline' : c}'`);
		}
		if (op === '&>') return { fd: -1, op: '>', target };
		const fd = m[1] ? Number(m[1]) : op.startsWith('<') ? 0 : 1;
		return { fd, op: op as Redir['op'], target };
	}

	private word(): Word {
		const segs: Word = [];
		let text = '';
		const flush = (quote: 'none' | 'single' | 'double'): void => {
			if (text) segs.push({ kind: 'text', text, quote });
			text = '';
		};
		for (;;) {
			const c = this.peek();
			if (c === '' || c === ' ' || c === '\t' || META.has(c)) {
				if (c === '\n' || c !== '') {
					// stop
				}
				break;
			}
			if (c === '\\') {
				const n = this.peek(1);
				this.i += 2;
				if (n === '\n') continue;
				text += n;
				continue;
			}
			if (c === "'") {
				flush('none');
				const end = this.s.indexOf("'", this.i + 1);
				if (end < 0) throw new ParseError("unexpected EOF while looking for matching `''");
				segs.push({ kind: 'text', text: this.s.slice(this.i + 1, end), quote: 'single' });
				this.i = end + 1;
				continue;
			}
			if (c === '"') {
				flush('none');
				this.i++;
				this.doubleQuoted(segs);
				continue;
			}
			if (c === '$') {
				const seg = this.dollar('none');
				if (seg) {
					flush('none');
					segs.push(seg);
					continue;
				}
			}
			text += c;
			this.i++;
		}
		flush('none');
		return segs;
	}

	private doubleQuoted(segs: Word): void {
		let text = '';
		for (;;) {
			const c = this.peek();
			if (c === '') throw new ParseError('unexpected EOF while looking for matching `"\'');
			if (c === '"') {
				this.i++;
				break;
			}
			if (c === '\\' && ['"', '\\', '$', '`', '\n'].includes(this.peek(1))) {
				if (this.peek(1) !== '\n') text += this.peek(1);
				this.i += 2;
				continue;
			}
			if (c === '$') {
				const seg = this.dollar('double');
				if (seg) {
					if (text) segs.push({ kind: 'text', text, quote: 'double' });
					text = '';
					segs.push(seg);
					continue;
				}
			}
			text += c;
			this.i++;
		}
		segs.push({ kind: 'text', text, quote: 'double' });
	}

	private dollar(quote: 'none' | 'double'): Segment | undefined {
		const n = this.peek(1);
		if (n === '(') {
			let depth = 0;
			let j = this.i + 1;
			let q: string | undefined;
			for (; j < this.s.length; j++) {
				const ch = this.s[j];
				if (q) {
					if (ch === q) q = undefined;
					continue;
				}
				if (ch === "'" || ch === '"') q = ch;
				else if (ch === '(') depth++;
				else if (ch === ')') {
					depth--;
					if (depth === 0) break;
				}
			}
			if (j >= this.s.length) throw new ParseError("unexpected EOF while looking for matching `)'");
			const source = this.s.slice(this.i + 2, j);
			this.i = j + 1;
			return { kind: 'cmdsub', source, quote };
		}
		if (n === '{') {
			const end = this.s.indexOf('}', this.i);
			if (end < 0) throw new ParseError("unexpected EOF while looking for matching `}'");
			const name = this.s.slice(this.i + 2, end);
			this.i = end + 1;
			return { kind: 'var', name, quote };
		}
		const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?!$#@*-])/.exec(this.s.slice(this.i + 1));
		if (!m) return undefined;
		this.i += 1 + (m[1] as string).length;
		return { kind: 'var', name: m[1] as string, quote };
	}
}

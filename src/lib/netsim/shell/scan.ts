/** The lexical level of the shell's parser: blanks and comments, words with their quoting and expansions, redirections. */
import { ParseError, type Redir, type Segment, type Word } from './ast.ts';

/** Characters that end a word. */
const META = new Set([';', '&', '|', '<', '>', '(', ')', '\n']);

/** A cursor over a command line that reads words and redirections; the grammar (parse.ts) builds on it. */
export class Scanner {
	protected i = 0;
	constructor(protected readonly s: string) {}

	/** The character `n` after the cursor ('' past the end). */
	protected peek(n = 0): string {
		return this.s[this.i + n] ?? '';
	}

	/** Skips blanks, escaped newlines and comments. */
	protected skipBlanks(): void {
		for (;;) {
			const c = this.peek();
			if (c === ' ' || c === '\t') this.i++;
			else if (c === '\\' && this.peek(1) === '\n') this.i += 2;
			else if (c === '#') {
				while (this.i < this.s.length && this.peek() !== '\n') this.i++;
			} else return;
		}
	}

	/** The bare word at the cursor, without consuming it (for reserved words). */
	protected peekWord(): string {
		const m = /^[A-Za-z_]+(?=$|[\s;&|()<>])/.exec(this.s.slice(this.i));
		return m ? m[0] : '';
	}

	/** The redirection at the cursor (`>`, `>>`, `N>&M`, `&>`, `<`, `<<<` and its target), if there is one. */
	protected redirection(): Redir | undefined {
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

	/** One word up to a blank or an operator: plain, quoted and escaped text, `$` expansions. */
	protected word(): Word {
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

	/** The inside of double quotes (the cursor after the opening one), into `segs`. */
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

	/** `$(…)`, `${NAME}` or `$NAME` at the cursor; undefined for a `$` that is just a character. */
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

/**
 * A small POSIX-shell subset: lists (`;`, `&&`, `||`, `&`), pipelines, redirections, quotes,
 * `$VAR`, `${VAR}`, `$(…)`, assignments before a command, while/until/for loops, `{ …; }` groups
 * and POSIX function definitions `NAME() { …; }`. Enough for the
 * book's command lines. The grammar is here; words and redirections are read by scan.ts.
 */
import { ParseError, type Compound, type ListItem, type Pipeline, type Redir, type SimpleCommand, type Word } from './ast.ts';
import { Scanner } from './scan.ts';

/** Splits a command line into list items. Throws ParseError on a syntax error. */
export function parse(src: string): ListItem[] {
	const p = new Parser(src);
	return p.list();
}

/** The grammar: lists of pipelines of commands and loops. */
class Parser extends Scanner {
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
			if (stop?.has(this.peekWord()) || (stop?.has('}') && this.closeBrace())) break;
			if (!stop && (['do', 'done', 'then', 'fi'].includes(this.peekWord()) || this.closeBrace())) throw new ParseError(`syntax error near unexpected token \`${this.peekWord() || '}'}'`);
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
			const fn = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*\([ \t]*\)/.exec(this.s.slice(this.i));
			if (fn) {
				this.i += fn[0].length;
				// The body is a group with its redirections, applied at every call (as bash does).
				const group: Compound = { kind: 'group', body: this.group(), redirs: this.redirections() };
				commands.push({ kind: 'function', name: fn[1] as string, body: [{ pipeline: { commands: [group], negate: false }, op: ';' }], redirs: [] });
			} else if (this.peek() === '{' && /[\s]/.test(this.peek(1))) commands.push({ kind: 'group', body: this.group(), redirs: this.redirections() });
			else commands.push(kw === 'while' || kw === 'until' || kw === 'for' ? this.compound(kw) : this.command());
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

	/** A `}` that closes a group: a word of its own. */
	private closeBrace(): boolean {
		return this.peek() === '}' && /^($|[\s;&|)])/.test(this.s.slice(this.i + 1));
	}

	/** `{ LIST; }`, blanks and newlines before it allowed (the body of a function). */
	private group(): ListItem[] {
		this.skipBlanks();
		while (this.peek() === '\n') {
			this.i++;
			this.skipBlanks();
		}
		if (this.peek() !== '{') throw new ParseError(`syntax error near unexpected token \`${this.peekWord() || this.peek() || 'newline'}'`);
		this.i++;
		const body = this.list(new Set(['}']));
		if (!this.closeBrace()) throw new ParseError('syntax error: unexpected end of file');
		this.i++;
		return body;
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
		result.redirs = this.redirections();
		return result;
	}

	/** The redirections after a compound command. */
	private redirections(): Redir[] {
		const redirs: Redir[] = [];
		for (;;) {
			this.skipBlanks();
			const r = this.redirection();
			if (!r) return redirs;
			redirs.push(r);
		}
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
}

/** A cursor over tokens, and bison's wording when the next token is not what jq's grammar allows. */
import { JqCompileError } from './errors.ts';
import type { Tok } from './lexer.ts';

/** The token-level half of the parser; the grammar (parser.ts) extends it. */
export class TokenCursor {
	protected i = 0;
	constructor(protected readonly toks: Tok[]) {}

	protected peek(n = 0): Tok {
		return this.toks[this.i + n] ?? { k: 'eof', v: '' };
	}

	/** The next token, consumed. */
	protected take(): Tok {
		const t = this.peek();
		this.i++;
		return t;
	}

	protected isOp(v: string, n = 0): boolean {
		const t = this.peek(n);
		return t.k === 'op' && t.v === v;
	}

	protected isKw(v: string): boolean {
		const t = this.peek();
		return t.k === 'kw' && t.v === v;
	}

	/** Consumes the operator or keyword `v`, or fails on whatever is there. */
	protected expect(v: string): void {
		const t = this.peek();
		if ((t.k === 'op' || t.k === 'kw') && t.v === v) {
			this.i++;
			return;
		}
		this.unexpected();
	}

	/** Consumes a `$name` (after `as`) and returns the name. */
	protected expectVar(): string {
		const v = this.peek();
		if (v.k !== 'var') this.unexpected();
		this.i++;
		return v.v;
	}

	/** A trailing `?`, consumed if present. */
	protected optMark(): boolean {
		if (this.isOp('?')) {
			this.i++;
			return true;
		}
		return false;
	}

	/** jq's syntax error at the next token, named as bison names its token kinds. */
	protected unexpected(): never {
		const t = this.peek();
		if (t.k === 'eof') throw new JqCompileError('syntax error, unexpected $end', t.pos);
		const show = t.k === 'ident' ? `IDENT` : t.k === 'num' ? 'LITERAL' : t.k === 'str' ? 'QQSTRING_START' : t.k === 'field' ? 'FIELD' : t.v === ']' || t.v === '}' || t.v === ')' ? 'INVALID_CHARACTER' : `'${t.v}'`;
		throw new JqCompileError(`syntax error, unexpected ${show}`, t.pos);
	}
}

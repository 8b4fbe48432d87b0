/**
 * jq's grammar, by precedence from the loosest: `as … |` and `|`, `,`, `//`, `or`, `and`,
 * comparisons, `+ -`, `* / %`, unary minus, postfix (`.a`, `[…]`, `?`), then terms. Function
 * definitions and assignments are refused with a netsim message rather than misread.
 */
import type { Node, ObjectEntry } from './ast.ts';
import { TokenCursor } from './cursor.ts';
import { JqCompileError } from './errors.ts';
import { lex, type Tok } from './lexer.ts';

/** Parses a jq program; throws JqCompileError with jq's message and offset. */
export function parse(src: string): Node {
	return new JqParser(lex(src)).program();
}

class JqParser extends TokenCursor {
	program(): Node {
		if (this.peek().k === 'eof') return { t: 'identity' };
		const n = this.pipe();
		if (this.peek().k !== 'eof') this.unexpected();
		return n;
	}

	private pipe(): Node {
		if (this.isKw('def')) throw new JqCompileError('netsim: jq function definitions are not simulated');
		const l = this.comma();
		if (this.isKw('as')) {
			this.i++;
			const name = this.expectVar();
			this.expect('|');
			return { t: 'as', src: l, name, body: this.pipe() };
		}
		if (this.isOp('|')) {
			this.i++;
			return { t: 'pipe', l, r: this.pipe() };
		}
		return l;
	}

	private comma(): Node {
		let l = this.alt();
		while (this.isOp(',')) {
			this.i++;
			l = { t: 'comma', l, r: this.alt() };
		}
		return l;
	}

	private alt(): Node {
		const l = this.or();
		if (this.isOp('//')) {
			this.i++;
			return { t: 'bin', op: '//', l, r: this.alt() };
		}
		for (const op of ['|=', '+=', '-=', '*=', '/=', '%=', '//=', '=']) {
			if (this.isOp(op)) throw new JqCompileError(`netsim: jq assignment (${op}) is not simulated`);
		}
		return l;
	}

	private or(): Node {
		return this.leftAssoc('kw', ['or'], () => this.and());
	}

	private and(): Node {
		return this.leftAssoc('kw', ['and'], () => this.cmp());
	}

	/** Comparisons do not chain (`1 < 2 < 3` is a syntax error in jq). */
	private cmp(): Node {
		const l = this.add();
		for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
			if (this.isOp(op)) {
				this.i++;
				return { t: 'bin', op, l, r: this.add() };
			}
		}
		return l;
	}

	private add(): Node {
		return this.leftAssoc('op', ['+', '-'], () => this.mul());
	}

	private mul(): Node {
		return this.leftAssoc('op', ['*', '/', '%'], () => this.unary());
	}

	/** A left-associative level: `next (op next)*`. */
	private leftAssoc(kind: 'op' | 'kw', ops: readonly string[], next: () => Node): Node {
		let l = next();
		for (;;) {
			const t = this.peek();
			if (t.k !== kind || !ops.includes(t.v)) return l;
			this.i++;
			l = { t: 'bin', op: t.v, l, r: next() };
		}
	}

	private unary(): Node {
		if (this.isOp('-')) {
			this.i++;
			return { t: 'neg', e: this.postfix() };
		}
		return this.postfix();
	}

	private postfix(): Node {
		let n = this.primary();
		for (;;) {
			const t = this.peek();
			if (t.k === 'field') {
				this.i++;
				n = { t: 'field', of: n, name: { t: 'lit', v: t.v }, opt: this.optMark() };
			} else if (this.isOp('.') && this.peek(1).k === 'str') {
				this.i++;
				n = this.quotedField(n);
			} else if (this.isOp('[') || (this.isOp('.') && this.isOp('[', 1))) {
				if (this.isOp('.')) this.i++;
				n = this.bracket(n);
			} else if (this.isOp('?')) {
				this.i++;
				n = { t: 'try', body: n };
			} else return n;
		}
	}

	/** `[]`, `[e]`, `[e:]`, `[:e]` or `[e:e]` after `of`. */
	private bracket(of: Node): Node {
		this.expect('[');
		if (this.isOp(']')) {
			this.i++;
			return { t: 'iter', of, opt: this.optMark() };
		}
		if (this.isOp(':')) {
			this.i++;
			const to = this.pipe();
			this.expect(']');
			return { t: 'slice', of, to, opt: this.optMark() };
		}
		const e = this.pipe();
		if (this.isOp(':')) {
			this.i++;
			const to = this.isOp(']') ? undefined : this.pipe();
			this.expect(']');
			return { t: 'slice', of, from: e, to, opt: this.optMark() };
		}
		this.expect(']');
		return { t: 'field', of, name: e, opt: this.optMark() };
	}

	/** `."key"` on `of`, the `.` consumed; the key may interpolate. */
	private quotedField(of: Node): Node {
		return { t: 'field', of, name: this.strNode(this.take()), opt: this.optMark() };
	}

	/** A string token as a literal, or as an interpolation (always one when it has a format). */
	private strNode(t: Tok, format?: string): Node {
		const parts = (t.parts ?? [t.v]).map((p) => (typeof p === 'string' ? p : new JqParser([...p, { k: 'eof', v: '' }]).program()));
		if (parts.every((p) => typeof p === 'string') && !format) return { t: 'lit', v: parts.join('') };
		return { t: 'str', parts, format };
	}

	private primary(): Node {
		const t = this.peek();
		if (t.k === 'op') return this.primaryOp(t);
		if (t.k === 'kw') return this.primaryKeyword(t);
		if (t.k === 'ident') return this.callExpr(t);
		if (t.k === 'eof') this.unexpected();
		this.i++;
		if (t.k === 'num') return { t: 'lit', v: Number(t.v) };
		if (t.k === 'str') return this.strNode(t);
		if (t.k === 'var') return { t: 'var', name: t.v };
		if (t.k === 'field') return { t: 'field', of: { t: 'identity' }, name: { t: 'lit', v: t.v }, opt: this.optMark() };
		// A format: `@base64` alone, or `@base64 "…\(x)"` applying it to each interpolation.
		if (this.peek().k === 'str') return this.strNode(this.take(), t.v);
		return { t: 'format', name: t.v };
	}

	/** Terms that start with an operator: `.`, `."key"`, `.[…]`, `..`, `(…)`, `[…]`, `{…}`. */
	private primaryOp(t: Tok): Node {
		if (t.v === '.') {
			this.i++;
			if (this.peek().k === 'str') return this.quotedField({ t: 'identity' });
			if (this.isOp('[')) return this.bracket({ t: 'identity' });
			return { t: 'identity' };
		}
		if (t.v === '..') {
			this.i++;
			return { t: 'recurse' };
		}
		if (t.v === '(') {
			this.i++;
			const e = this.pipe();
			this.expect(')');
			return e;
		}
		if (t.v === '[') {
			this.i++;
			if (this.isOp(']')) {
				this.i++;
				return { t: 'array' };
			}
			const e = this.pipe();
			this.expect(']');
			return { t: 'array', e };
		}
		if (t.v === '{') return this.object();
		return this.unexpected();
	}

	/** Terms that start with a keyword: `if`, `not`, `reduce`, `try`. */
	private primaryKeyword(t: Tok): Node {
		if (t.v === 'if') return this.ifExpr();
		if (t.v === 'not') {
			this.i++;
			return { t: 'call', name: 'not', args: [] };
		}
		if (t.v === 'reduce') return this.reduceExpr();
		if (t.v === 'try') return this.tryExpr();
		return this.unexpected();
	}

	/** `name` or `name(a; b; …)`. */
	private callExpr(t: Tok): Node {
		this.i++;
		const args: Node[] = [];
		if (this.isOp('(')) {
			this.i++;
			args.push(this.pipe());
			while (this.isOp(';')) {
				this.i++;
				args.push(this.pipe());
			}
			this.expect(')');
		}
		return { t: 'call', name: t.v, args };
	}

	private reduceExpr(): Node {
		this.expect('reduce');
		const src = this.postfix();
		this.expect('as');
		const name = this.expectVar();
		this.expect('(');
		const init = this.pipe();
		this.expect(';');
		const update = this.pipe();
		this.expect(')');
		return { t: 'reduce', src, name, init, update };
	}

	private tryExpr(): Node {
		this.expect('try');
		const body = this.postfix();
		if (this.isKw('catch')) {
			this.i++;
			return { t: 'try', body, catch: this.postfix() };
		}
		return { t: 'try', body };
	}

	private ifExpr(): Node {
		this.expect('if');
		const cond = this.pipe();
		this.expect('then');
		const then = this.pipe();
		const elifs: [Node, Node][] = [];
		while (this.isKw('elif')) {
			this.i++;
			const c = this.pipe();
			this.expect('then');
			elifs.push([c, this.pipe()]);
		}
		let els: Node | undefined;
		if (this.isKw('else')) {
			this.i++;
			els = this.pipe();
		}
		this.expect('end');
		return { t: 'if', cond, then, elifs, else: els };
	}

	private object(): Node {
		this.expect('{');
		const entries: ObjectEntry[] = [];
		while (!this.isOp('}')) {
			const t = this.peek();
			if (t.k === 'var' && !this.isOp(':', 1)) {
				// `{$x}` is `{x: $x}`.
				this.i++;
				entries.push({ key: { t: 'lit', v: t.v }, value: { t: 'var', name: t.v } });
				if (this.isOp(',')) this.i++;
				continue;
			}
			const key = this.objectKey(t);
			if (this.isOp(':')) {
				this.i++;
				entries.push({ key, value: this.objVal() });
			} else entries.push({ key });
			if (this.isOp(',')) this.i++;
			else if (!this.isOp('}')) this.unexpected();
		}
		this.i++;
		return { t: 'object', entries };
	}

	/** An object key: a name (keywords too), `$var`, a string, `@fmt "…"` or `(expr)`. */
	private objectKey(t: Tok): Node {
		if (t.k === 'ident' || t.k === 'kw') {
			this.i++;
			return { t: 'lit', v: t.v };
		}
		if (t.k === 'var') {
			this.i++;
			return { t: 'var', name: t.v };
		}
		if (t.k === 'str') {
			this.i++;
			return this.strNode(t);
		}
		if (t.k === 'format' && this.peek(1).k === 'str') {
			this.i += 2;
			return this.strNode(this.toks[this.i - 1] as Tok, t.v);
		}
		if (t.k === 'num') throw new JqCompileError('Object keys must be strings');
		if (this.isOp('(')) {
			this.i++;
			const key = this.pipe();
			this.expect(')');
			return key;
		}
		return this.unexpected();
	}

	/** An object value: a term with pipes only inside parentheses (`{a: 1 | 2}` is an error). */
	private objVal(): Node {
		let l = this.alt();
		while (this.isOp('|')) {
			this.i++;
			l = { t: 'pipe', l, r: this.alt() };
		}
		return l;
	}
}

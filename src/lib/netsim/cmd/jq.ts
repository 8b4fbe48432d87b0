/**
 * jq 1.6, the part of the language the book and everyday CNI debugging use: paths (`.a.b[0]`,
 * `.[]`, `.a?`), pipes, `,`, object and array construction (with `{name}` shorthand), `+ - * /`,
 * comparisons, `and`/`or`/`not`, `//`, `if … then … else … end`, `$var`, `@base64`/`@json`/`@text`,
 * and builtins such as `del`, `length`, `keys`, `map`, `select`, `has`, `to_entries`. Options:
 * -r -j -c -n -s -e -S --tab --indent N --arg --argjson --slurpfile --rawfile.
 */
import type { Vfs } from '../shell/vfs.ts';
import { jqDump, jqString, jsonEqual, jsonType, JObject, JsonSyntaxError, lineCol, parseJson, parseJsonStream, type Json } from './json.ts';
import type { Context, ExecResult, Tool } from './types.ts';

type Node =
	| { t: 'identity' }
	| { t: 'recurse' }
	| { t: 'lit'; v: Json }
	| { t: 'var'; name: string }
	| { t: 'field'; of: Node; name: Node; opt: boolean }
	| { t: 'iter'; of: Node; opt: boolean }
	| { t: 'slice'; of: Node; from?: Node | undefined; to?: Node | undefined; opt: boolean }
	| { t: 'pipe'; l: Node; r: Node }
	| { t: 'comma'; l: Node; r: Node }
	| { t: 'bin'; op: string; l: Node; r: Node }
	| { t: 'neg'; e: Node }
	| { t: 'array'; e?: Node | undefined }
	| { t: 'object'; entries: { key: Node; value?: Node | undefined }[] }
	| { t: 'format'; name: string; str?: Node | undefined }
	| { t: 'call'; name: string; args: Node[] }
	| { t: 'if'; cond: Node; then: Node; elifs: [Node, Node][]; else?: Node | undefined }
	| { t: 'as'; src: Node; name: string; body: Node }
	| { t: 'reduce'; src: Node; name: string; init: Node; update: Node }
	| { t: 'try'; body: Node; catch?: Node | undefined }
	| { t: 'str'; parts: (string | Node)[]; format?: string | undefined };

/** A jq runtime error (exit 5). */
class JqError extends Error {
	constructor(readonly value: Json) {
		super(typeof value === 'string' ? value : jqDump(value, 0));
	}
}

/** A jq compile error (exit 3); syntax errors point at a program offset. */
class JqCompileError extends Error {
	constructor(
		message: string,
		readonly pos?: number,
	) {
		super(message);
	}
}

interface Tok {
	k: 'num' | 'str' | 'ident' | 'var' | 'field' | 'format' | 'op' | 'kw' | 'eof';
	v: string;
	/** Offset in the program (jq points at it under a syntax error). */
	pos?: number | undefined;
	parts?: (string | Tok[])[];
}

const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'end', 'and', 'or', 'not', 'as', 'reduce', 'foreach', 'try', 'catch', 'def', 'import', 'include', 'label', '__loc__']);

function lex(src: string): Tok[] {
	const out: Tok[] = [];
	let i = 0;
	const push = out.push.bind(out);
	out.push = (...toks: Tok[]): number => {
		for (const t of toks) if (t.pos === undefined) t.pos = i;
		return push(...toks);
	};
	const ident = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/;
	while (i < src.length) {
		const c = src[i] as string;
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '#') {
			while (i < src.length && src[i] !== '\n') i++;
			continue;
		}
		if (c === '"') {
			const r = lexString(src, i);
			out.push(r.tok);
			i = r.end;
			continue;
		}
		const rest = src.slice(i);
		let m = /^(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)/.exec(rest);
		if (m && !(c === '.' && !/^\.\d/.test(rest))) {
			out.push({ k: 'num', v: m[0] });
			i += m[0].length;
			continue;
		}
		if (c === '.' && /^\.[A-Za-z_]/.test(rest)) {
			m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(rest) as RegExpExecArray;
			out.push({ k: 'field', v: m[0].slice(1) });
			i += m[0].length;
			continue;
		}
		if (c === '.' && src[i + 1] === '"') {
			const r = lexString(src, i + 1);
			out.push({ k: 'op', v: '.' });
			out.push(r.tok);
			i = r.end;
			continue;
		}
		if (c === '$') {
			m = /^\$(__loc__|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
			if (!m) throw new JqCompileError('syntax error, unexpected \'$\'');
			out.push({ k: 'var', v: m[1] as string });
			i += m[0].length;
			continue;
		}
		if (c === '@') {
			m = /^@[A-Za-z0-9_]+/.exec(rest);
			if (!m) throw new JqCompileError('syntax error, unexpected INVALID_CHARACTER');
			out.push({ k: 'format', v: m[0].slice(1) });
			i += m[0].length;
			continue;
		}
		m = ident.exec(rest);
		if (m) {
			out.push({ k: KEYWORDS.has(m[0]) ? 'kw' : 'ident', v: m[0] });
			i += m[0].length;
			continue;
		}
		const ops = ['?//', '|=', '+=', '-=', '*=', '/=', '%=', '//=', '==', '!=', '<=', '>=', '//', '..', '|', ',', '+', '-', '*', '/', '%', '<', '>', '=', '.', '[', ']', '{', '}', '(', ')', ':', ';', '?'];
		const op = ops.find((o) => rest.startsWith(o));
		if (!op) throw new JqCompileError('syntax error, unexpected INVALID_CHARACTER');
		out.push({ k: 'op', v: op });
		i += op.length;
	}
	out.push({ k: 'eof', v: '', pos: out.length > 0 ? (out[out.length - 1] as Tok).pos : 0 });
	return out;
}

/** A string literal, with `\(…)` interpolations lexed recursively. */
function lexString(src: string, start: number): { tok: Tok; end: number } {
	let i = start + 1;
	let cur = '';
	const parts: (string | Tok[])[] = [];
	for (;;) {
		const c = src[i];
		if (c === undefined) throw new JqCompileError('syntax error, unexpected $end, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END');
		if (c === '"') {
			i++;
			break;
		}
		if (c === '\\') {
			const e = src[i + 1];
			const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
			if (e !== undefined && map[e] !== undefined) {
				cur += map[e];
				i += 2;
				continue;
			}
			if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
				cur += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
				i += 6;
				continue;
			}
			if (e === '(') {
				let depth = 1;
				let j = i + 2;
				while (j < src.length && depth > 0) {
					if (src[j] === '"') {
						j = lexString(src, j).end;
						continue;
					}
					if (src[j] === '(') depth++;
					else if (src[j] === ')') depth--;
					j++;
				}
				if (depth > 0) throw new JqCompileError('syntax error, unexpected $end');
				if (cur) parts.push(cur);
				cur = '';
				parts.push(lex(src.slice(i + 2, j - 1)));
				i = j;
				continue;
			}
			throw new JqCompileError(`invalid escape at line 1, column ${i + 2} (while parsing '"${src.slice(start + 1, i + 2)}"')`);
		}
		cur += c;
		i++;
	}
	if (cur || parts.length === 0) parts.push(cur);
	return { tok: { k: 'str', v: parts.every((p) => typeof p === 'string') ? parts.join('') : '', parts }, end: i };
}

class JqParser {
	private i = 0;
	constructor(private readonly toks: Tok[]) {}

	private peek(n = 0): Tok {
		return this.toks[this.i + n] ?? { k: 'eof', v: '' };
	}
	private isOp(v: string, n = 0): boolean {
		const t = this.peek(n);
		return t.k === 'op' && t.v === v;
	}
	private isKw(v: string): boolean {
		const t = this.peek();
		return t.k === 'kw' && t.v === v;
	}
	private expect(v: string): void {
		const t = this.peek();
		if ((t.k === 'op' || t.k === 'kw') && t.v === v) {
			this.i++;
			return;
		}
		this.unexpected();
	}
	private unexpected(): never {
		const t = this.peek();
		if (t.k === 'eof') throw new JqCompileError('syntax error, unexpected $end', t.pos);
		const show = t.k === 'ident' ? `IDENT` : t.k === 'num' ? 'LITERAL' : t.k === 'str' ? 'QQSTRING_START' : t.k === 'field' ? 'FIELD' : t.v === ']' || t.v === '}' || t.v === ')' ? 'INVALID_CHARACTER' : `'${t.v}'`;
		throw new JqCompileError(`syntax error, unexpected ${show}`, t.pos);
	}

	program(): Node {
		if (this.peek().k === 'eof') return { t: 'identity' };
		const n = this.pipe();
		if (this.peek().k !== 'eof') this.unexpected();
		return n;
	}

	pipe(): Node {
		if (this.isKw('def')) throw new JqCompileError('netsim: jq function definitions are not simulated');
		const l = this.comma();
		if (this.isKw('as')) {
			this.i++;
			const v = this.peek();
			if (v.k !== 'var') this.unexpected();
			this.i++;
			this.expect('|');
			return { t: 'as', src: l, name: v.v, body: this.pipe() };
		}
		if (this.isOp('|')) {
			this.i++;
			return { t: 'pipe', l, r: this.pipe() };
		}
		return l;
	}

	comma(): Node {
		let l = this.alt();
		while (this.isOp(',')) {
			this.i++;
			l = { t: 'comma', l, r: this.alt() };
		}
		return l;
	}

	alt(): Node {
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

	or(): Node {
		let l = this.and();
		while (this.isKw('or')) {
			this.i++;
			l = { t: 'bin', op: 'or', l, r: this.and() };
		}
		return l;
	}

	and(): Node {
		let l = this.cmp();
		while (this.isKw('and')) {
			this.i++;
			l = { t: 'bin', op: 'and', l, r: this.cmp() };
		}
		return l;
	}

	cmp(): Node {
		const l = this.add();
		for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
			if (this.isOp(op)) {
				this.i++;
				return { t: 'bin', op, l, r: this.add() };
			}
		}
		return l;
	}

	add(): Node {
		let l = this.mul();
		while (this.isOp('+') || this.isOp('-')) {
			const op = this.peek().v;
			this.i++;
			l = { t: 'bin', op, l, r: this.mul() };
		}
		return l;
	}

	mul(): Node {
		let l = this.unary();
		while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
			const op = this.peek().v;
			this.i++;
			l = { t: 'bin', op, l, r: this.unary() };
		}
		return l;
	}

	unary(): Node {
		if (this.isOp('-')) {
			this.i++;
			return { t: 'neg', e: this.postfix() };
		}
		return this.postfix();
	}

	postfix(): Node {
		let n = this.primary();
		for (;;) {
			const t = this.peek();
			if (t.k === 'field') {
				this.i++;
				n = { t: 'field', of: n, name: { t: 'lit', v: t.v }, opt: this.optMark() };
			} else if (this.isOp('.') && this.peek(1).k === 'str') {
				this.i++;
				const s = this.peek();
				this.i++;
				n = { t: 'field', of: n, name: this.strNode(s), opt: this.optMark() };
			} else if (this.isOp('[') || (this.isOp('.') && this.isOp('[', 1))) {
				if (this.isOp('.')) this.i++;
				n = this.bracket(n);
			} else if (this.isOp('?')) {
				this.i++;
				n = { t: 'try', body: n };
			} else return n;
		}
	}

	private optMark(): boolean {
		if (this.isOp('?')) {
			this.i++;
			return true;
		}
		return false;
	}

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

	private strNode(t: Tok, format?: string): Node {
		const parts = (t.parts ?? [t.v]).map((p) => (typeof p === 'string' ? p : new JqParser([...p, { k: 'eof', v: '' }]).program()));
		if (parts.every((p) => typeof p === 'string') && !format) return { t: 'lit', v: parts.join('') };
		return { t: 'str', parts, format };
	}

	primary(): Node {
		const t = this.peek();
		if (t.k === 'num') {
			this.i++;
			return { t: 'lit', v: Number(t.v) };
		}
		if (t.k === 'str') {
			this.i++;
			return this.strNode(t);
		}
		if (t.k === 'format') {
			this.i++;
			if (this.peek().k === 'str') {
				const s = this.peek();
				this.i++;
				return this.strNode(s, t.v);
			}
			return { t: 'format', name: t.v };
		}
		if (t.k === 'var') {
			this.i++;
			return { t: 'var', name: t.v };
		}
		if (t.k === 'field') {
			this.i++;
			return { t: 'field', of: { t: 'identity' }, name: { t: 'lit', v: t.v }, opt: this.optMark() };
		}
		if (t.k === 'op') {
			if (t.v === '.') {
				this.i++;
				if (this.peek().k === 'str') {
					const s = this.peek();
					this.i++;
					return { t: 'field', of: { t: 'identity' }, name: this.strNode(s), opt: this.optMark() };
				}
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
		}
		if (t.k === 'kw') {
			if (t.v === 'if') return this.ifExpr();
			if (t.v === 'not') {
				this.i++;
				return { t: 'call', name: 'not', args: [] };
			}
			if (t.v === 'reduce') {
				this.i++;
				const src = this.postfix();
				this.expect('as');
				const v = this.peek();
				if (v.k !== 'var') this.unexpected();
				this.i++;
				this.expect('(');
				const init = this.pipe();
				this.expect(';');
				const update = this.pipe();
				this.expect(')');
				return { t: 'reduce', src, name: v.v, init, update };
			}
			if (t.v === 'try') {
				this.i++;
				const body = this.postfix();
				if (this.isKw('catch')) {
					this.i++;
					return { t: 'try', body, catch: this.postfix() };
				}
				return { t: 'try', body };
			}
		}
		if (t.k === 'ident') {
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
		this.unexpected();
	}

	private ifExpr(): Node {
		this.expect('if');
		const cond = this.pipe();
		this.expect('then');
		const then = this.pipe();
		const elifs: [Node, Node][] = [];
		let els: Node | undefined;
		for (;;) {
			if (this.isKw('elif')) {
				this.i++;
				const c = this.pipe();
				this.expect('then');
				elifs.push([c, this.pipe()]);
				continue;
			}
			if (this.isKw('else')) {
				this.i++;
				els = this.pipe();
			}
			this.expect('end');
			return { t: 'if', cond, then, elifs, else: els };
		}
	}

	private object(): Node {
		this.expect('{');
		const entries: { key: Node; value?: Node | undefined }[] = [];
		while (!this.isOp('}')) {
			const t = this.peek();
			let key: Node;
			if (t.k === 'ident' || t.k === 'kw') {
				this.i++;
				key = { t: 'lit', v: t.v };
			} else if (t.k === 'var') {
				this.i++;
				if (!this.isOp(':')) {
					entries.push({ key: { t: 'lit', v: t.v }, value: { t: 'var', name: t.v } });
					if (this.isOp(',')) this.i++;
					continue;
				}
				key = { t: 'var', name: t.v };
			} else if (t.k === 'str') {
				this.i++;
				key = this.strNode(t);
			} else if (t.k === 'format' && this.peek(1).k === 'str') {
				this.i += 2;
				key = this.strNode(this.toks[this.i - 1] as Tok, t.v);
			} else if (t.k === 'num') {
				throw new JqCompileError('Object keys must be strings');
			} else if (this.isOp('(')) {
				this.i++;
				key = this.pipe();
				this.expect(')');
			} else this.unexpected();
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

type Env = Map<string, Json>;

function typeErr(msg: string): never {
	throw new JqError(msg);
}

/** How jq names a value in an error: type and a truncated dump. */
function desc(v: Json): string {
	const d = jqDump(v, 0);
	return `${jsonType(v)} (${d.length > 11 ? `${d.slice(0, 10)}...` : d})`;
}

function truthy(v: Json): boolean {
	return v !== null && v !== false;
}

const ORDER = ['null', 'boolean', 'number', 'string', 'array', 'object'];

/** jq's total order of values. */
function compare(a: Json, b: Json): number {
	const ta = jsonType(a);
	const tb = jsonType(b);
	if (ta !== tb) return ORDER.indexOf(ta) - ORDER.indexOf(tb);
	if (ta === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
	if (ta === 'number') return (a as number) - (b as number);
	if (ta === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
	if (ta === 'array') {
		const x = a as Json[];
		const y = b as Json[];
		for (let i = 0; i < Math.min(x.length, y.length); i++) {
			const c = compare(x[i] as Json, y[i] as Json);
			if (c !== 0) return c;
		}
		return x.length - y.length;
	}
	if (ta === 'object') {
		const x = a as JObject;
		const y = b as JObject;
		const kc = compare(x.keys().sort(), y.keys().sort());
		if (kc !== 0) return kc;
		for (const k of x.keys().sort()) {
			const c = compare(x.get(k) as Json, y.get(k) as Json);
			if (c !== 0) return c;
		}
	}
	return 0;
}

function binop(op: string, a: Json, b: Json): Json {
	switch (op) {
		case '==':
			return jsonEqual(a, b);
		case '!=':
			return !jsonEqual(a, b);
		case '<':
			return compare(a, b) < 0;
		case '<=':
			return compare(a, b) <= 0;
		case '>':
			return compare(a, b) > 0;
		case '>=':
			return compare(a, b) >= 0;
		case '+':
			if (a === null) return b;
			if (b === null) return a;
			if (typeof a === 'number' && typeof b === 'number') return a + b;
			if (typeof a === 'string' && typeof b === 'string') return a + b;
			if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
			if (a instanceof JObject && b instanceof JObject) return new JObject([...a.entries(), ...b.entries()]);
			return typeErr(`${desc(a)} and ${desc(b)} cannot be added`);
		case '-':
			if (typeof a === 'number' && typeof b === 'number') return a - b;
			if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => jsonEqual(x, y)));
			return typeErr(`${desc(a)} and ${desc(b)} cannot be subtracted`);
		case '*':
			if (typeof a === 'number' && typeof b === 'number') return a * b;
			if (typeof a === 'string' && typeof b === 'number') return b > 0 ? a.repeat(Math.ceil(b)) : null;
			if (a instanceof JObject && b instanceof JObject) return deepMerge(a, b);
			return typeErr(`${desc(a)} and ${desc(b)} cannot be multiplied`);
		case '/':
			if (typeof a === 'number' && typeof b === 'number') {
				if (b === 0) typeErr(`${desc(a)} and ${desc(b)} cannot be divided because the divisor is zero`);
				return a / b;
			}
			if (typeof a === 'string' && typeof b === 'string') return a.split(b);
			return typeErr(`${desc(a)} and ${desc(b)} cannot be divided`);
		case '%':
			if (typeof a === 'number' && typeof b === 'number') {
				if (Math.trunc(b) === 0) typeErr(`${desc(a)} and ${desc(b)} cannot be divided because the divisor is zero`);
				return Math.trunc(a) % Math.trunc(b);
			}
			return typeErr(`${desc(a)} and ${desc(b)} cannot be divided`);
	}
	return null;
}

function deepMerge(a: JObject, b: JObject): JObject {
	const out = new JObject(a.entries());
	for (const [k, v] of b.entries()) {
		const old = out.get(k);
		out.set(k, old instanceof JObject && v instanceof JObject ? deepMerge(old, v) : v);
	}
	return out;
}

function index(v: Json, k: Json, opt: boolean): Json[] {
	if (v === null && (typeof k === 'string' || typeof k === 'number')) return [null];
	if (typeof k === 'string' && v instanceof JObject) return [v.get(k) ?? null];
	if (typeof k === 'number' && Array.isArray(v)) {
		const i = Math.floor(k < 0 ? v.length + k : k);
		return [v[i] ?? null];
	}
	if (opt) return [];
	if (typeof k === 'string') return typeErr(`Cannot index ${jsonType(v)} with string "${k}"`);
	return typeErr(`Cannot index ${jsonType(v)} with ${jsonType(k)}`);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8(s: string): number[] {
	const out: number[] = [];
	for (const ch of s) {
		const c = ch.codePointAt(0) ?? 0;
		if (c < 0x80) out.push(c);
		else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
		else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
		else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
	}
	return out;
}

/** Base64 of a string's UTF-8 bytes. */
export function base64(s: string): string {
	const b = utf8(s);
	let out = '';
	for (let i = 0; i < b.length; i += 3) {
		const n = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
		out += BASE64[(n >> 18) & 63] as string;
		out += BASE64[(n >> 12) & 63] as string;
		out += i + 1 < b.length ? (BASE64[(n >> 6) & 63] as string) : '=';
		out += i + 2 < b.length ? (BASE64[n & 63] as string) : '=';
	}
	return out;
}

function base64d(s: string): string {
	const clean = s.replace(/=+$/, '');
	const bytes: number[] = [];
	let acc = 0;
	let bits = 0;
	for (const c of clean) {
		const v = BASE64.indexOf(c);
		if (v < 0) typeErr(`${desc(s)} is not valid base64 data`);
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((acc >> bits) & 255);
		}
	}
	let out = '';
	for (let i = 0; i < bytes.length; ) {
		const b = bytes[i] as number;
		const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
		let c = n === 1 ? b : b & (0xff >> (n + 1));
		for (let k = 1; k < n; k++) c = (c << 6) | ((bytes[i + k] ?? 0) & 63);
		out += String.fromCodePoint(c);
		i += n;
	}
	return out;
}

function tostring(v: Json): string {
	return typeof v === 'string' ? v : jqDump(v, 0);
}

function format(name: string, v: Json): string {
	switch (name) {
		case 'text':
			return tostring(v);
		case 'json':
			return jqDump(v, 0);
		case 'base64':
			return base64(tostring(v));
		case 'base64d':
			return base64d(tostring(v));
		case 'uri':
			return [...utf8(tostring(v))].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
		case 'html':
			return tostring(v).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c] as string);
		case 'sh': {
			const q = (x: Json): string => {
				if (typeof x === 'string') return `'${x.replace(/'/g, "'\\''")}'`;
				if (Array.isArray(x) || x instanceof JObject) typeErr(`${desc(x)} can not be escaped for shell`);
				return jqDump(x, 0);
			};
			return Array.isArray(v) ? v.map(q).join(' ') : q(v);
		}
		case 'csv':
		case 'tsv': {
			if (!Array.isArray(v)) typeErr(`${desc(v)} cannot be ${name}-formatted, only an array can be`);
			return v
				.map((x) => {
					if (typeof x === 'string') return name === 'csv' ? `"${x.replace(/"/g, '""')}"` : x.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
					if (Array.isArray(x) || x instanceof JObject) typeErr(`${desc(x)} is not valid in a csv row`);
					return x === null ? '' : jqDump(x, 0);
				})
				.join(name === 'csv' ? ',' : '\t');
		}
	}
	throw new JqError(`${name} is not a valid format`);
}

/** Paths a path expression designates (for del, paths, to_entries on paths). */
function paths(n: Node, v: Json, env: Env): (string | number)[][] {
	switch (n.t) {
		case 'identity':
			return [[]];
		case 'field': {
			const out: (string | number)[][] = [];
			for (const base of paths(n.of, v, env)) {
				const at = getPath(v, base);
				for (const k of evaluate(n.name, v, env)) {
					if (typeof k !== 'string' && typeof k !== 'number') typeErr(`Cannot index ${jsonType(at)} with ${jsonType(k)}`);
					if (at !== null && !(typeof k === 'string' && at instanceof JObject) && !(typeof k === 'number' && Array.isArray(at))) {
						if (n.opt) continue;
						typeErr(typeof k === 'string' ? `Cannot index ${jsonType(at)} with string "${k}"` : `Cannot index ${jsonType(at)} with number`);
					}
					out.push([...base, k]);
				}
			}
			return out;
		}
		case 'iter': {
			const out: (string | number)[][] = [];
			for (const base of paths(n.of, v, env)) {
				const at = getPath(v, base);
				if (Array.isArray(at)) at.forEach((_, i) => out.push([...base, i]));
				else if (at instanceof JObject) for (const k of at.keys()) out.push([...base, k]);
				else if (at !== null && !n.opt) typeErr(`Cannot iterate over ${desc(at)}`);
			}
			return out;
		}
		case 'pipe': {
			const out: (string | number)[][] = [];
			for (const base of paths(n.l, v, env)) for (const rest of paths(n.r, getPath(v, base), env)) out.push([...base, ...rest]);
			return out;
		}
		case 'comma':
			return [...paths(n.l, v, env), ...paths(n.r, v, env)];
		case 'call':
			if (n.name === 'select' && n.args[0]) return evaluate(n.args[0], v, env).some(truthy) ? [[]] : [];
			if (n.name === 'empty') return [];
			break;
		case 'try':
			try {
				return paths(n.body, v, env);
			} catch (e) {
				if (e instanceof JqError) return [];
				throw e;
			}
	}
	return typeErr(`Invalid path expression with result ${jqDump(evaluate(n, v, env)[0] ?? null, 0).slice(0, 11)}`);
}

function getPath(v: Json, p: (string | number)[]): Json {
	let cur: Json = v;
	for (const k of p) {
		if (cur === null) return null;
		cur = typeof k === 'number' ? (Array.isArray(cur) ? (cur[k] ?? null) : null) : cur instanceof JObject ? (cur.get(k) ?? null) : null;
	}
	return cur;
}

function deletePaths(v: Json, ps: (string | number)[][]): Json {
	// Longest paths first, array indexes in descending order, as jq's delpaths sorts them.
	const sorted = [...ps].sort((a, b) => compare(b as Json, a as Json));
	let out = clone(v);
	for (const p of sorted) out = deleteOne(out, p);
	return out;
}

function clone(v: Json): Json {
	if (Array.isArray(v)) return v.map(clone);
	if (v instanceof JObject) return new JObject(v.entries().map(([k, x]) => [k, clone(x)]));
	return v;
}

function deleteOne(v: Json, p: (string | number)[]): Json {
	if (p.length === 0) return null;
	const [k, ...rest] = p as [string | number, ...(string | number)[]];
	if (v === null) return null;
	if (rest.length === 0) {
		if (typeof k === 'number' && Array.isArray(v)) {
			const i = k < 0 ? v.length + k : k;
			return v.filter((_, j) => j !== i);
		}
		if (typeof k === 'string' && v instanceof JObject) {
			const o = new JObject(v.entries());
			o.delete(k);
			return o;
		}
		return typeErr(`Cannot delete field at ${typeof k === 'number' ? 'index' : 'object'} of ${jsonType(v)}`);
	}
	if (typeof k === 'number' && Array.isArray(v)) {
		const a = [...v];
		if (a[k] !== undefined) a[k] = deleteOne(a[k] as Json, rest);
		return a;
	}
	if (typeof k === 'string' && v instanceof JObject) {
		const o = new JObject(v.entries());
		if (o.has(k)) o.set(k, deleteOne(o.get(k) as Json, rest));
		return o;
	}
	return v;
}

function length(v: Json): Json {
	if (v === null) return 0;
	if (typeof v === 'boolean') typeErr(`boolean (${v}) has no length`);
	if (typeof v === 'number') return Math.abs(v);
	if (typeof v === 'string') return [...v].length;
	if (Array.isArray(v)) return v.length;
	return v.size;
}

function keysOf(v: Json, sorted: boolean): Json {
	if (v instanceof JObject) return sorted ? v.keys().sort() : v.keys();
	if (Array.isArray(v)) return v.map((_, i) => i);
	return typeErr(`${desc(v)} has no keys`);
}

/** Evaluates a filter on one input; returns every output. */
function evaluate(n: Node, v: Json, env: Env): Json[] {
	switch (n.t) {
		case 'identity':
			return [v];
		case 'recurse': {
			const out: Json[] = [];
			const walk = (x: Json): void => {
				out.push(x);
				if (Array.isArray(x)) x.forEach(walk);
				else if (x instanceof JObject) for (const [, y] of x.entries()) walk(y);
			};
			walk(v);
			return out;
		}
		case 'lit':
			return [n.v];
		case 'var': {
			if (n.name === 'ENV' || n.name === '__loc__') return [new JObject()];
			const x = env.get(n.name);
			if (x === undefined) throw new JqCompileError(`$${n.name} is not defined`);
			return [x];
		}
		case 'field': {
			const out: Json[] = [];
			for (const base of evaluate(n.of, v, env)) {
				for (const k of evaluate(n.name, v, env)) {
					try {
						out.push(...index(base, k, n.opt));
					} catch (e) {
						if (!n.opt) throw e;
					}
				}
			}
			return out;
		}
		case 'iter': {
			const out: Json[] = [];
			for (const base of evaluate(n.of, v, env)) {
				if (Array.isArray(base)) out.push(...base);
				else if (base instanceof JObject) out.push(...base.entries().map((e) => e[1]));
				else if (!n.opt) typeErr(`Cannot iterate over ${base === null ? 'null' : desc(base)}`);
			}
			return out;
		}
		case 'slice': {
			const out: Json[] = [];
			for (const base of evaluate(n.of, v, env)) {
				const from = n.from ? evaluate(n.from, v, env)[0] : null;
				const to = n.to ? evaluate(n.to, v, env)[0] : null;
				if (base === null) {
					out.push(null);
					continue;
				}
				if (typeof base !== 'string' && !Array.isArray(base)) {
					if (n.opt) continue;
					typeErr(`Cannot index ${jsonType(base)} with object`);
				}
				const len = typeof base === 'string' ? [...base].length : base.length;
				const clamp = (x: Json, d: number): number => {
					if (x === null) return d;
					const k = Math.floor(x as number);
					return Math.max(0, Math.min(len, k < 0 ? len + k : k));
				};
				const a = clamp(from ?? null, 0);
				const b = clamp(to ?? null, len);
				out.push(typeof base === 'string' ? [...base].slice(a, b).join('') : base.slice(a, Math.max(a, b)));
			}
			return out;
		}
		case 'pipe':
			return evaluate(n.l, v, env).flatMap((x) => evaluate(n.r, x, env));
		case 'comma':
			return [...evaluate(n.l, v, env), ...evaluate(n.r, v, env)];
		case 'neg':
			return evaluate(n.e, v, env).map((x) => (typeof x === 'number' ? -x : typeErr(`${desc(x)} cannot be negated`)));
		case 'bin': {
			if (n.op === 'and' || n.op === 'or') {
				const out: Json[] = [];
				for (const a of evaluate(n.l, v, env)) {
					if (n.op === 'and' && !truthy(a)) out.push(false);
					else if (n.op === 'or' && truthy(a)) out.push(true);
					else for (const b of evaluate(n.r, v, env)) out.push(truthy(b));
				}
				return out;
			}
			if (n.op === '//') {
				let l: Json[] = [];
				try {
					l = evaluate(n.l, v, env).filter(truthy);
				} catch (e) {
					if (!(e instanceof JqError)) throw e;
				}
				return l.length > 0 ? l : evaluate(n.r, v, env);
			}
			const out: Json[] = [];
			for (const b of evaluate(n.r, v, env)) for (const a of evaluate(n.l, v, env)) out.push(binop(n.op, a, b));
			return out;
		}
		case 'array':
			return [n.e ? evaluate(n.e, v, env) : []];
		case 'object': {
			let acc: JObject[] = [new JObject()];
			for (const e of n.entries) {
				const keys = evaluate(e.key, v, env);
				const next: JObject[] = [];
				for (const o of acc) {
					for (const k of keys) {
						if (typeof k !== 'string') typeErr(`Object keys must be strings`);
						const vals = e.value ? evaluate(e.value, v, env) : index(v, k, false);
						for (const val of vals) next.push(new JObject([...o.entries(), [k, val]]));
					}
				}
				acc = next;
			}
			return acc;
		}
		case 'format':
			return [format(n.name, v)];
		case 'str': {
			let acc = [''];
			for (const p of n.parts) {
				if (typeof p === 'string') acc = acc.map((s) => s + p);
				else {
					const vals = evaluate(p, v, env);
					acc = acc.flatMap((s) => vals.map((x) => s + (n.format ? format(n.format, x) : tostring(x))));
				}
			}
			return acc;
		}
		case 'if': {
			const out: Json[] = [];
			for (const c of evaluate(n.cond, v, env)) {
				if (truthy(c)) out.push(...evaluate(n.then, v, env));
				else if (n.elifs.length > 0) {
					const [[c2, t2], ...rest] = n.elifs as [[Node, Node], ...[Node, Node][]];
					out.push(...evaluate({ t: 'if', cond: c2, then: t2, elifs: rest, else: n.else }, v, env));
				} else out.push(...(n.else ? evaluate(n.else, v, env) : [v]));
			}
			return out;
		}
		case 'as':
			return evaluate(n.src, v, env).flatMap((x) => evaluate(n.body, v, new Map(env).set(n.name, x)));
		case 'reduce': {
			let accs = evaluate(n.init, v, env);
			for (const x of evaluate(n.src, v, env)) {
				const e2 = new Map(env).set(n.name, x);
				accs = accs.flatMap((a) => evaluate(n.update, a, e2));
			}
			return accs;
		}
		case 'try':
			try {
				return evaluate(n.body, v, env);
			} catch (e) {
				if (!(e instanceof JqError)) throw e;
				return n.catch ? evaluate(n.catch, e.value, env) : [];
			}
		case 'call':
			return call(n.name, n.args, v, env);
	}
}

function arg(args: Node[], i: number, v: Json, env: Env): Json[] {
	return evaluate(args[i] as Node, v, env);
}

function call(name: string, args: Node[], v: Json, env: Env): Json[] {
	const arity = `${name}/${args.length}`;
	switch (arity) {
		case 'empty/0':
			return [];
		case 'not/0':
			return [!truthy(v)];
		case 'length/0':
			return [length(v)];
		case 'utf8bytelength/0':
			return [typeof v === 'string' ? utf8(v).length : typeErr(`${desc(v)} only strings have UTF-8 byte length`)];
		case 'keys/0':
			return [keysOf(v, true)];
		case 'keys_unsorted/0':
			return [keysOf(v, false)];
		case 'values/0':
			return v === null ? [] : [v];
		case 'has/1':
			return arg(args, 0, v, env).map((k) => {
				if (v instanceof JObject && typeof k === 'string') return v.has(k);
				if (Array.isArray(v) && typeof k === 'number') return k >= 0 && k < v.length;
				return typeErr(`Cannot check whether ${jsonType(v)} has a ${jsonType(k)} key`);
			});
		case 'in/1':
			return arg(args, 0, v, env).flatMap((o) => call('has', [{ t: 'lit', v }], o, env));
		case 'map/1': {
			if (!Array.isArray(v) && !(v instanceof JObject)) typeErr(`Cannot iterate over ${desc(v)}`);
			const items = Array.isArray(v) ? v : v.entries().map((e) => e[1]);
			return [items.flatMap((x) => evaluate(args[0] as Node, x, env))];
		}
		case 'map_values/1': {
			if (v instanceof JObject) return [new JObject(v.entries().flatMap(([k, x]) => evaluate(args[0] as Node, x, env).slice(0, 1).map((y): [string, Json] => [k, y])))];
			if (Array.isArray(v)) return [v.flatMap((x) => evaluate(args[0] as Node, x, env).slice(0, 1))];
			return typeErr(`Cannot iterate over ${desc(v)}`);
		}
		case 'select/1':
			return arg(args, 0, v, env).filter(truthy).map(() => v);
		case 'del/1':
			return [deletePaths(v, paths(args[0] as Node, v, env))];
		case 'to_entries/0':
			if (!(v instanceof JObject)) return typeErr(`${desc(v)} has no keys`);
			return [v.entries().map(([k, x]) => new JObject([['key', k], ['value', x]]))];
		case 'from_entries/0': {
			if (!Array.isArray(v)) return typeErr(`Cannot iterate over ${desc(v)}`);
			const o = new JObject();
			for (const e of v) {
				if (!(e instanceof JObject)) typeErr(`Cannot index ${jsonType(e)} with "key"`);
				const k = e.get('key') ?? e.get('k') ?? e.get('name') ?? e.get('Name') ?? e.get('Key') ?? e.get('K') ?? null;
				const val = e.has('value') ? (e.get('value') as Json) : e.has('v') ? (e.get('v') as Json) : (e.get('Value') ?? e.get('V') ?? null);
				const key = typeof k === 'string' ? k : typeof k === 'number' || typeof k === 'boolean' ? jqDump(k, 0) : k === null ? 'null' : typeErr(`Cannot use ${desc(k)} as object key`);
				o.set(key, val);
			}
			return [o];
		}
		case 'with_entries/1':
			return call('to_entries', [], v, env).flatMap((e) => call('map', args, e, env)).flatMap((e) => call('from_entries', [], e, env));
		case 'add/0': {
			const items = Array.isArray(v) ? v : v instanceof JObject ? v.entries().map((e) => e[1]) : v === null ? [] : typeErr(`Cannot iterate over ${desc(v)}`);
			return [items.reduce<Json>((a, b) => binop('+', a, b), null)];
		}
		case 'any/0':
			return [Array.isArray(v) ? v.some(truthy) : typeErr(`Cannot iterate over ${desc(v)}`)];
		case 'all/0':
			return [Array.isArray(v) ? v.every(truthy) : typeErr(`Cannot iterate over ${desc(v)}`)];
		case 'range/1': {
			const out: Json[] = [];
			for (const n of arg(args, 0, v, env)) for (let i = 0; i < (n as number); i++) out.push(i);
			return out;
		}
		case 'range/2': {
			const out: Json[] = [];
			for (const a of arg(args, 0, v, env)) for (const b of arg(args, 1, v, env)) for (let i = a as number; i < (b as number); i++) out.push(i);
			return out;
		}
		case 'type/0':
			return [jsonType(v)];
		case 'tostring/0':
			return [tostring(v)];
		case 'tonumber/0':
			if (typeof v === 'number') return [v];
			if (typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return [Number(v)];
			return typeErr(`Cannot parse '${tostring(v)}' as JSON`);
		case 'tojson/0':
			return [jqDump(v, 0)];
		case 'fromjson/0':
			try {
				return [parseJson(tostring(v))];
			} catch {
				return typeErr(`${tostring(v)} (while parsing '${tostring(v)}')`);
			}
		case 'ascii_downcase/0':
			return [typeof v === 'string' ? v.toLowerCase() : typeErr(`${desc(v)} cannot be ascii_downcased`)];
		case 'ascii_upcase/0':
			return [typeof v === 'string' ? v.toUpperCase() : typeErr(`${desc(v)} cannot be ascii_upcased`)];
		case 'join/1':
			return arg(args, 0, v, env).map((sep) => {
				if (!Array.isArray(v)) typeErr(`Cannot iterate over ${desc(v)}`);
				return v.map((x) => (x === null ? '' : typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? jqDump(x, 0) : typeErr(`Cannot join with ${jsonType(x)}`))).join(tostring(sep));
			});
		case 'split/1':
			return arg(args, 0, v, env).map((sep) => (typeof v === 'string' && typeof sep === 'string' ? v.split(sep) : typeErr('split input and separator must be strings')));
		case 'startswith/1':
			return arg(args, 0, v, env).map((s) => (typeof v === 'string' && typeof s === 'string' ? v.startsWith(s) : typeErr('startswith() requires string inputs')));
		case 'endswith/1':
			return arg(args, 0, v, env).map((s) => (typeof v === 'string' && typeof s === 'string' ? v.endsWith(s) : typeErr('endswith() requires string inputs')));
		case 'ltrimstr/1':
			return arg(args, 0, v, env).map((s) => (typeof v === 'string' && typeof s === 'string' && v.startsWith(s) ? v.slice(s.length) : v));
		case 'rtrimstr/1':
			return arg(args, 0, v, env).map((s) => (typeof v === 'string' && typeof s === 'string' && v.endsWith(s) && s.length > 0 ? v.slice(0, -s.length) : v));
		case 'contains/1':
			return arg(args, 0, v, env).map((b) => contains(v, b));
		case 'sort/0':
			return [Array.isArray(v) ? [...v].sort(compare) : typeErr(`${desc(v)} cannot be sorted, as it is not an array`)];
		case 'sort_by/1': {
			if (!Array.isArray(v)) return typeErr(`${desc(v)} cannot be sorted, as it is not an array`);
			const keyed = v.map((x) => ({ x, k: evaluate(args[0] as Node, x, env) as Json }));
			return [keyed.sort((a, b) => compare(a.k, b.k)).map((e) => e.x)];
		}
		case 'group_by/1': {
			if (!Array.isArray(v)) return typeErr(`Cannot index ${jsonType(v)} with number`);
			const keyed = v.map((x) => ({ x, k: evaluate(args[0] as Node, x, env) as Json })).sort((a, b) => compare(a.k, b.k));
			const groups: Json[][] = [];
			let last: Json | undefined;
			for (const e of keyed) {
				if (groups.length === 0 || !jsonEqual(last as Json, e.k)) groups.push([]);
				(groups[groups.length - 1] as Json[]).push(e.x);
				last = e.k;
			}
			return [groups];
		}
		case 'unique/0':
			return [Array.isArray(v) ? [...v].sort(compare).filter((x, i, a) => i === 0 || !jsonEqual(x, a[i - 1] as Json)) : typeErr(`${desc(v)} cannot be sorted, as it is not an array`)];
		case 'reverse/0':
			return [Array.isArray(v) ? [...v].reverse() : typeof v === 'string' ? [...v].reverse().join('') : v === null ? [] : typeErr(`Cannot index ${jsonType(v)} with number`)];
		case 'min/0':
		case 'max/0':
			if (!Array.isArray(v)) return typeErr(`${desc(v)} cannot be sorted, as it is not an array`);
			if (v.length === 0) return [null];
			return [[...v].sort(compare)[name === 'min' ? 0 : v.length - 1] as Json];
		case 'first/0':
			return index(v, 0, false);
		case 'last/0':
			return index(v, -1, false);
		case 'first/1':
			return arg(args, 0, v, env).slice(0, 1);
		case 'last/1':
			return arg(args, 0, v, env).slice(-1);
		case 'flatten/0': {
			const flat = (x: Json[]): Json[] => x.flatMap((y) => (Array.isArray(y) ? flat(y) : [y]));
			return [Array.isArray(v) ? flat(v) : typeErr(`Cannot iterate over ${desc(v)}`)];
		}
		case 'paths/0': {
			const out: Json[] = [];
			const walk = (x: Json, p: (string | number)[]): void => {
				if (p.length) out.push(p);
				if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...p, i]));
				else if (x instanceof JObject) for (const [k, y] of x.entries()) walk(y, [...p, k]);
			};
			walk(v, []);
			return out;
		}
		case 'path/1':
			return paths(args[0] as Node, v, env);
		case 'getpath/1':
			return arg(args, 0, v, env).map((p) => (Array.isArray(p) ? getPath(v, p as (string | number)[]) : typeErr('Path must be specified as an array')));
		case 'error/0':
			throw new JqError(v);
		case 'error/1':
			throw new JqError(arg(args, 0, v, env)[0] ?? null);
		case 'null/0':
			return [null];
		case 'true/0':
			return [true];
		case 'false/0':
			return [false];
		case 'env/0':
			return [new JObject()];
		case 'input/0':
		case 'inputs/0':
			return [];
		case 'recurse/0':
			return evaluate({ t: 'recurse' }, v, env);
		case 'arrays/0':
		case 'objects/0':
		case 'strings/0':
		case 'numbers/0':
		case 'booleans/0':
		case 'nulls/0':
		case 'iterables/0':
		case 'scalars/0': {
			const t = jsonType(v);
			const want: Record<string, (x: string) => boolean> = {
				arrays: (x) => x === 'array',
				objects: (x) => x === 'object',
				strings: (x) => x === 'string',
				numbers: (x) => x === 'number',
				booleans: (x) => x === 'boolean',
				nulls: (x) => x === 'null',
				iterables: (x) => x === 'array' || x === 'object',
				scalars: (x) => x !== 'array' && x !== 'object',
			};
			return (want[name] as (x: string) => boolean)(t) ? [v] : [];
		}
		case 'test/1':
		case 'test/2':
			return arg(args, 0, v, env).map((re) => {
				if (typeof v !== 'string' || typeof re !== 'string') return typeErr(`${desc(v)} cannot be matched, as it is not a string`);
				const flags = args[1] ? tostring(arg(args, 1, v, env)[0] ?? '') : '';
				try {
					return new RegExp(re, flags.replace(/[^ixs]/g, '')).test(v);
				} catch {
					return typeErr(`${re} (at offset 0) is not a valid regex`);
				}
			});
		case 'floor/0':
			return [typeof v === 'number' ? Math.floor(v) : typeErr(`${desc(v)} number required`)];
		case 'sqrt/0':
			return [typeof v === 'number' ? Math.sqrt(v) : typeErr(`${desc(v)} number required`)];
		case 'now/0':
			return [0];
	}
	throw new JqCompileError(`${arity} is not defined`);
}

function contains(a: Json, b: Json): boolean {
	if (a instanceof JObject && b instanceof JObject) return b.entries().every(([k, y]) => a.has(k) && contains(a.get(k) as Json, y));
	if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => a.some((x) => contains(x, y)));
	if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
	if (jsonType(a) === jsonType(b)) return jsonEqual(a, b);
	return typeErr(`${desc(a)} and ${desc(b)} cannot have their containment checked`);
}

const USAGE = `Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n\nThe simplest filter is ., which copies jq's input to its output\nunmodified (except for formatting, but note that IEEE754 is used\nfor number representation internally, with all that that implies).\n\nFor more advanced filters see the jq(1) manpage ("man jq")\nand/or https://stedolan.github.io/jq\n\nExample:\n\n\t$ echo '{"foo": 0}' | jq .\n\t{\n\t\t"foo": 0\n\t}\n\nFor a listing of options, use jq --help.\n`;

/** Where jq reads files from. */
export type JqVfs = (ctx: Context) => Vfs;

/** jq's message for invalid JSON input (jv_parse's wording is close enough for the common cases). */
function inputError(e: JsonSyntaxError, text: string): string {
	if (e.kind === 'eof' || e.offset >= text.length) {
		const { line, col } = lineCol(text, text.length);
		return `Unfinished JSON term at EOF at line ${line}, column ${col}`;
	}
	// jq notices a bad literal at the delimiter after it, and reports the position past that.
	let i = e.offset;
	while (i < text.length && /[A-Za-z0-9.+-]/.test(text[i] as string)) i++;
	const { line, col } = lineCol(text, Math.min(i + 1, text.length));
	return `Invalid ${'tfn'.includes(text[e.offset] ?? '') ? 'literal' : 'numeric literal'} at line ${line}, column ${col}`;
}

/** Builds the jq tool. */
export function jq(vfsOf: JqVfs): Tool {
	return (argv, ctx): ExecResult => {
		let raw = false;
		let join = false;
		let compact = false;
		let nullInput = false;
		let slurp = false;
		let exitStatus = false;
		let sortKeys = false;
		let rawInput = false;
		let indent = 2;
		let filter: string | undefined;
		const files: string[] = [];
		const vars = new Map<string, Json>();
		const readFile = (f: string): string | undefined => {
			const d = vfsOf(ctx).read(f, ctx.ns);
			return typeof d === 'string' && !/^E[A-Z]+$/.test(d) ? d : undefined;
		};
		const bad = (msg: string, code = 2): ExecResult => ({ stdout: '', stderr: msg, exit: code });
		for (let i = 0; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a.startsWith('-') && a.length > 1 && !(filter !== undefined && a === '-')) {
				if (a === '--arg' || a === '--argjson' || a === '--slurpfile' || a === '--rawfile') {
					const name = argv[i + 1];
					const val = argv[i + 2];
					if (name === undefined || val === undefined) return bad(`jq: error: ${a} takes two parameters (e.g. ${a} varname ${a === '--arg' ? 'value' : a === '--argjson' ? 'text' : 'filename'})\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n`);
					i += 2;
					if (a === '--arg') vars.set(name, val);
					else if (a === '--argjson') {
						try {
							vars.set(name, parseJson(val));
						} catch {
							return bad(`jq: invalid JSON text passed to --argjson\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n`);
						}
					} else {
						const text = readFile(val);
						if (text === undefined) return bad(`jq: Bad JSON in ${a} ${name} ${val}: Could not open ${val}: No such file or directory\n`);
						if (a === '--rawfile') vars.set(name, text);
						else {
							try {
								vars.set(name, parseJsonStream(text));
							} catch (e) {
								const msg = e instanceof JsonSyntaxError ? inputError(e, text) : 'Invalid JSON';
								return bad(`jq: Bad JSON in --slurpfile ${name} ${val}: ${msg}\n`);
							}
						}
					}
					continue;
				}
				if (a === '--indent') {
					const n = Number(argv[++i]);
					if (!Number.isInteger(n) || n < 0 || n > 7) return bad(`jq: Cannot indent more than 7 characters\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n`);
					indent = n;
					continue;
				}
				const longs: Record<string, string> = { '--raw-output': 'r', '--join-output': 'j', '--compact-output': 'c', '--null-input': 'n', '--slurp': 's', '--exit-status': 'e', '--sort-keys': 'S', '--raw-input': 'R', '--tab': 't', '--monochrome-output': 'M', '--color-output': 'C', '--ascii-output': 'a' };
				const flags = a.startsWith('--') ? longs[a] : a.slice(1);
				if (a === '--help' || a === '-h') return { stdout: USAGE.replace('For a listing of options, use jq --help.\n', ''), stderr: '', exit: 0 };
				if (a === '--version') return { stdout: 'jq-1.6\n', stderr: '', exit: 0 };
				if (flags === undefined || !/^[rjcnseSRtMCa]+$/.test(flags)) return bad(`jq: Unknown option: ${a}\n${USAGE}`);
				for (const f of flags) {
					if (f === 'r') raw = true;
					else if (f === 'j') raw = join = true;
					else if (f === 'c') compact = true;
					else if (f === 'n') nullInput = true;
					else if (f === 's') slurp = true;
					else if (f === 'e') exitStatus = true;
					else if (f === 'S') sortKeys = true;
					else if (f === 'R') rawInput = true;
					else if (f === 't') indent = -1;
				}
				continue;
			}
			if (filter === undefined) filter = a;
			else files.push(a);
		}
		if (filter === undefined) return bad(USAGE);
		let program: Node;
		try {
			program = new JqParser(lex(filter)).program();
			// Undefined variables are compile errors in jq: check the ones the program names.
			const names = [...filter.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
			const bound = new Set([...filter.matchAll(/\bas\s+\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
			for (const n of names) if (!vars.has(n) && !bound.has(n) && n !== 'ENV' && n !== '__loc__') throw new JqCompileError(`$${n} is not defined at <top-level>, line 1:`);
		} catch (e) {
			if (e instanceof JqCompileError) {
				const syntax = e.message.startsWith('syntax error');
				const msg = e.message.includes('line 1') ? e.message : `${e.message}${syntax ? ' (Unix shell quoting issues?)' : ''} at <top-level>, line 1:`;
				return { stdout: '', stderr: `jq: error: ${msg}\n${filter}${syntax ? ' '.repeat(e.pos ?? 0) : ''}\njq: 1 compile error\n`, exit: 3 };
			}
			throw e;
		}
		// Inputs.
		let inputs: Json[] = [];
		let stderr = '';
		let exit = 0;
		let inputFailure: string | undefined;
		const texts: { name: string; text: string }[] = [];
		if (files.length === 0) texts.push({ name: '<stdin>', text: ctx.stdin });
		for (const f of files) {
			const text = readFile(f);
			if (text === undefined) {
				stderr += `jq: error: Could not open file ${f}: No such file or directory\n`;
				exit = 2;
				continue;
			}
			texts.push({ name: f, text });
		}
		if (!nullInput || slurp) {
			for (const { text } of texts) {
				if (rawInput) {
					if (slurp) inputs.push(text);
					else inputs.push(...text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''));
					continue;
				}
				try {
					inputs.push(...parseJsonStream(text));
				} catch (e) {
					if (!(e instanceof JsonSyntaxError)) throw e;
					inputFailure = `parse error: ${inputError(e, text)}\n`;
					break;
				}
			}
			if (slurp && !rawInput) inputs = [inputs];
			else if (slurp && rawInput) inputs = [inputs.join('')];
		}
		if (nullInput) inputs = [null];
		let stdout = '';
		let last: Json | undefined;
		const width = compact ? 0 : indent;
		for (const input of inputs) {
			try {
				for (const out of evaluate(program, input, vars)) {
					last = out;
					stdout += raw && typeof out === 'string' ? out : jqDump(out, width, sortKeys);
					if (!join) stdout += '\n';
				}
			} catch (e) {
				if (e instanceof JqError) {
					const v = e.value;
					const where = nullInput ? '<unknown>' : `${texts[texts.length - 1]?.name ?? '<unknown>'}:${Math.max(0, (texts[texts.length - 1]?.text ?? '').split('\n').length - 1)}`;
					stderr += `jq: error (at ${where}): ${typeof v === 'string' ? v : `${jqDump(v, 0)} (not a string)`}\n`;
					exit = 5;
					continue;
				}
				if (e instanceof JqCompileError) return { stdout, stderr: `jq: error: ${e.message} at <top-level>, line 1:\n${filter}\njq: 1 compile error\n`, exit: 3 };
				if (e instanceof RangeError) return { stdout, stderr: `${stderr}jq: error: program too deep\n`, exit: 5 };
				throw e;
			}
		}
		if (inputFailure) return { stdout, stderr: stderr + inputFailure, exit: 4 };
		if (exit === 0 && exitStatus) exit = last === undefined ? 4 : truthy(last) ? 0 : 1;
		return { stdout, stderr, exit };
	};
}

export { jqString };

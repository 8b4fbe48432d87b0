/** jq's tokens: numbers, strings (with `\(…)` interpolations lexed recursively), names, operators. */
import { JqCompileError } from './errors.ts';

/** A token. A string's `parts` are its text pieces and the tokens of each interpolation. */
export interface Tok {
	k: 'num' | 'str' | 'ident' | 'var' | 'field' | 'format' | 'op' | 'kw' | 'eof';
	v: string;
	/** Offset in the program (jq points at it under a syntax error). */
	pos?: number | undefined;
	parts?: (string | Tok[])[];
}

const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'end', 'and', 'or', 'not', 'as', 'reduce', 'foreach', 'try', 'catch', 'def', 'import', 'include', 'label', '__loc__']);

/** Longest first, so `//=` is not read as `//` then `=`. */
const OPS = ['?//', '|=', '+=', '-=', '*=', '/=', '%=', '//=', '==', '!=', '<=', '>=', '//', '..', '|', ',', '+', '-', '*', '/', '%', '<', '>', '=', '.', '[', ']', '{', '}', '(', ')', ':', ';', '?'];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/;
const NUMBER = /^(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)/;

/** Splits a program into tokens, ending with `eof`; throws JqCompileError as jq words it. */
export function lex(src: string): Tok[] {
	const out: Tok[] = [];
	let i = 0;
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
		const { toks, end } = c === '"' ? lexString(src, i) : lexToken(src, i);
		for (const t of toks) out.push({ ...t, pos: t.pos ?? i });
		i = end;
	}
	out.push({ k: 'eof', v: '', pos: out.length > 0 ? (out[out.length - 1] as Tok).pos : 0 });
	return out;
}

/** The token (or two, for `."key"`) at `i`, which is not a space, comment or string. */
function lexToken(src: string, i: number): { toks: Tok[]; end: number } {
	const c = src[i] as string;
	const rest = src.slice(i);
	let m = NUMBER.exec(rest);
	if (m && !(c === '.' && !/^\.\d/.test(rest))) return { toks: [{ k: 'num', v: m[0] }], end: i + m[0].length };
	if (c === '.' && /^\.[A-Za-z_]/.test(rest)) {
		m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(rest) as RegExpExecArray;
		return { toks: [{ k: 'field', v: m[0].slice(1) }], end: i + m[0].length };
	}
	if (c === '.' && src[i + 1] === '"') {
		const r = lexString(src, i + 1);
		return { toks: [{ k: 'op', v: '.' }, ...r.toks], end: r.end };
	}
	if (c === '$') {
		m = /^\$(__loc__|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
		if (!m) throw new JqCompileError("syntax error, unexpected '$'");
		return { toks: [{ k: 'var', v: m[1] as string }], end: i + m[0].length };
	}
	if (c === '@') {
		m = /^@[A-Za-z0-9_]+/.exec(rest);
		if (!m) throw new JqCompileError('syntax error, unexpected INVALID_CHARACTER');
		return { toks: [{ k: 'format', v: m[0].slice(1) }], end: i + m[0].length };
	}
	m = IDENT.exec(rest);
	if (m) return { toks: [{ k: KEYWORDS.has(m[0]) ? 'kw' : 'ident', v: m[0] }], end: i + m[0].length };
	const op = OPS.find((o) => rest.startsWith(o));
	if (!op) throw new JqCompileError('syntax error, unexpected INVALID_CHARACTER');
	return { toks: [{ k: 'op', v: op }], end: i + op.length };
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A string literal starting at the quote `start`; an interpolation's tokens become one part. */
function lexString(src: string, start: number): { toks: Tok[]; end: number } {
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
		if (c !== '\\') {
			cur += c;
			i++;
			continue;
		}
		const e = src[i + 1];
		if (e !== undefined && ESCAPES[e] !== undefined) {
			cur += ESCAPES[e];
			i += 2;
		} else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
			cur += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
			i += 6;
		} else if (e === '(') {
			const close = interpolationEnd(src, i + 2);
			if (cur) parts.push(cur);
			cur = '';
			parts.push(lex(src.slice(i + 2, close - 1)));
			i = close;
		} else throw new JqCompileError(`invalid escape at line 1, column ${i + 2} (while parsing '"${src.slice(start + 1, i + 2)}"')`);
	}
	if (cur || parts.length === 0) parts.push(cur);
	return { toks: [{ k: 'str', v: parts.every((p) => typeof p === 'string') ? parts.join('') : '', parts }], end: i };
}

/** The offset just past the `)` closing an interpolation whose body starts at `from`. */
function interpolationEnd(src: string, from: number): number {
	let depth = 1;
	let j = from;
	while (j < src.length && depth > 0) {
		// A string inside the interpolation may hold parentheses of its own.
		if (src[j] === '"') {
			j = lexString(src, j).end;
			continue;
		}
		if (src[j] === '(') depth++;
		else if (src[j] === ')') depth--;
		j++;
	}
	if (depth > 0) throw new JqCompileError('syntax error, unexpected $end');
	return j;
}

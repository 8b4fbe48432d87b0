/**
 * JSON values with their key order kept (a Map, so "8080" stays where it was, unlike a plain
 * object), one parser that reports errors the way Go's encoding/json words them, and the two
 * printers the book's tools need: Go's json.Marshal/MarshalIndent (CNI plugins) and jq 1.6's.
 */

/** An object: keys in insertion order; a repeated key keeps its place and takes the last value. */
export class JObject {
	readonly map = new Map<string, Json>();
	constructor(entries?: Iterable<[string, Json]>) {
		if (entries) for (const [k, v] of entries) this.map.set(k, v);
	}
	get(key: string): Json | undefined {
		return this.map.get(key);
	}
	set(key: string, value: Json): this {
		this.map.set(key, value);
		return this;
	}
	has(key: string): boolean {
		return this.map.has(key);
	}
	delete(key: string): void {
		this.map.delete(key);
	}
	keys(): string[] {
		return [...this.map.keys()];
	}
	entries(): [string, Json][] {
		return [...this.map.entries()];
	}
	get size(): number {
		return this.map.size;
	}
}

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | JObject;

/** Type name as jq says it. */
export function jsonType(v: Json): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (v instanceof JObject) return 'object';
	return typeof v as 'boolean' | 'number' | 'string';
}

/** Deep equality (object key order does not matter). */
export function jsonEqual(a: Json, b: Json): boolean {
	if (a === b) return true;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as Json));
	if (a instanceof JObject) {
		if (!(b instanceof JObject) || a.size !== b.size) return false;
		for (const [k, v] of a.map) {
			const w = b.map.get(k);
			if (w === undefined || !jsonEqual(v, w)) return false;
		}
		return true;
	}
	return false;
}

/** A parse failure: Go's message, and the position (1-based line/column, for jq's message). */
export class JsonSyntaxError extends Error {
	constructor(
		message: string,
		readonly offset: number,
		readonly kind: 'eof' | 'char' | 'literal' | 'number',
	) {
		super(message);
	}
}

/** Go's quoteChar: how encoding/json shows an offending character. */
function goQuoteChar(c: string): string {
	if (c === "'") return "'\\''";
	if (c === '"') return '\'"\'';
	const code = c.codePointAt(0) ?? 0;
	const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\\': '\\\\', '\x07': '\\a', '\x0b': '\\v' };
	if (named[c]) return `'${named[c]}'`;
	if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
	return `'${c}'`;
}

class Parser {
	i = 0;
	constructor(readonly s: string) {}

	ws(): void {
		while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] as string)) this.i++;
	}

	fail(context: string): never {
		if (this.i >= this.s.length) throw new JsonSyntaxError('unexpected end of JSON input', this.i, 'eof');
		const c = String.fromCodePoint(this.s.codePointAt(this.i) ?? 0);
		throw new JsonSyntaxError(`invalid character ${goQuoteChar(c)} ${context}`, this.i, 'char');
	}

	value(): Json {
		this.ws();
		const c = this.s[this.i];
		if (c === '{') return this.object();
		if (c === '[') return this.array();
		if (c === '"') return this.string();
		if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
		for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
			if (c === word[0]) {
				for (let k = 0; k < word.length; k++) {
					if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting '${word[k]}')`);
					this.i++;
				}
				return v;
			}
		}
		return this.fail('looking for beginning of value');
	}

	object(): JObject {
		this.i++;
		const o = new JObject();
		this.ws();
		if (this.s[this.i] === '}') {
			this.i++;
			return o;
		}
		for (;;) {
			this.ws();
			if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
			const k = this.string();
			this.ws();
			if (this.s[this.i] !== ':') this.fail('after object key');
			this.i++;
			o.set(k, this.value());
			this.ws();
			if (this.s[this.i] === ',') {
				this.i++;
				continue;
			}
			if (this.s[this.i] === '}') {
				this.i++;
				return o;
			}
			this.fail('after object key:value pair');
		}
	}

	array(): Json[] {
		this.i++;
		const a: Json[] = [];
		this.ws();
		if (this.s[this.i] === ']') {
			this.i++;
			return a;
		}
		for (;;) {
			a.push(this.value());
			this.ws();
			if (this.s[this.i] === ',') {
				this.i++;
				continue;
			}
			if (this.s[this.i] === ']') {
				this.i++;
				return a;
			}
			this.fail('after array element');
		}
	}

	string(): string {
		this.i++;
		let out = '';
		for (;;) {
			const c = this.s[this.i];
			if (c === undefined) this.fail('');
			if (c === '"') {
				this.i++;
				return out;
			}
			if (c < ' ') this.fail('in string literal');
			if (c === '\\') {
				const e = this.s[this.i + 1];
				const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
				if (e !== undefined && map[e] !== undefined) {
					out += map[e];
					this.i += 2;
					continue;
				}
				if (e === 'u') {
					const hex = this.s.slice(this.i + 2, this.i + 6);
					if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
						this.i += 2;
						while (/[0-9a-fA-F]/.test(this.s[this.i] ?? '')) this.i++;
						this.fail('in \\u hexadecimal character escape');
					}
					out += String.fromCharCode(parseInt(hex, 16));
					this.i += 6;
					continue;
				}
				this.i++;
				this.fail('in string escape code');
			}
			out += c;
			this.i++;
		}
	}

	number(): number {
		const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
		if (!m || m[0] === '-') {
			this.i++;
			this.fail('in numeric literal');
		}
		this.i += m[0].length;
		return Number(m[0]);
	}
}

/** Parses one JSON document (Go semantics: one value, then only whitespace). Throws JsonSyntaxError. */
export function parseJson(text: string): Json {
	const p = new Parser(text);
	p.ws();
	if (p.i >= text.length) throw new JsonSyntaxError('unexpected end of JSON input', p.i, 'eof');
	const v = p.value();
	p.ws();
	if (p.i < text.length) p.fail('after top-level value');
	return v;
}

/** Parses a stream of JSON values separated by whitespace (jq's input). Throws JsonSyntaxError. */
export function parseJsonStream(text: string): Json[] {
	const p = new Parser(text);
	const out: Json[] = [];
	for (;;) {
		p.ws();
		if (p.i >= text.length) return out;
		out.push(p.value());
	}
}

/** Line and column (jq counts from 1) of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	return { line, col: offset - before.lastIndexOf('\n') - 1 };
}

/** A string literal as Go's encoding/json writes it (HTML-safe: <, >, & escaped). */
export function goString(s: string): string {
	let out = '"';
	for (const c of s) {
		const code = c.codePointAt(0) ?? 0;
		if (c === '"') out += '\\"';
		else if (c === '\\') out += '\\\\';
		else if (c === '\n') out += '\\n';
		else if (c === '\r') out += '\\r';
		else if (c === '\t') out += '\\t';
		else if (code < 0x20 || c === '<' || c === '>' || c === '&' || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += c;
	}
	return `${out}"`;
}

function goNumber(n: number): string {
	if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
	const abs = Math.abs(n);
	if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
	return String(n);
}

/** Go's json.Marshal (indent '') or json.MarshalIndent(v, "", indent). */
export function goMarshal(v: Json, indent = '', level = 0): string {
	if (v === null) return 'null';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	if (typeof v === 'number') return goNumber(v);
	if (typeof v === 'string') return goString(v);
	const pad = indent ? `\n${indent.repeat(level + 1)}` : '';
	const end = indent ? `\n${indent.repeat(level)}` : '';
	if (Array.isArray(v)) {
		if (v.length === 0) return '[]';
		return `[${v.map((x) => pad + goMarshal(x, indent, level + 1)).join(',')}${end}]`;
	}
	if (v.size === 0) return '{}';
	const sep = indent ? ': ' : ':';
	return `{${v.entries().map(([k, x]) => `${pad}${goString(k)}${sep}${goMarshal(x, indent, level + 1)}`).join(',')}${end}}`;
}

/** A string literal as jq 1.6 writes it. */
export function jqString(s: string): string {
	let out = '"';
	for (const c of s) {
		const code = c.codePointAt(0) ?? 0;
		if (c === '"') out += '\\"';
		else if (c === '\\') out += '\\\\';
		else if (c === '\n') out += '\\n';
		else if (c === '\r') out += '\\r';
		else if (c === '\t') out += '\\t';
		else if (c === '\b') out += '\\b';
		else if (c === '\f') out += '\\f';
		else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += c;
	}
	return `${out}"`;
}

function jqNumber(n: number): string {
	if (Number.isNaN(n)) return 'null';
	if (!Number.isFinite(n)) return n > 0 ? '1.7976931348623157e+308' : '-1.7976931348623157e+308';
	if (Object.is(n, -0)) return '-0';
	// Shortest round-trip digits (as jq's dtoa), laid out like printf's %.17g.
	const [mant, e] = n.toExponential().split('e') as [string, string];
	const exp = Number(e);
	if (exp < -4 || exp >= 17) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
	return String(n);
}

/** jq 1.6's dump: `indent` spaces (0 = compact, -1 = tabs), keys in order unless sorted. */
export function jqDump(v: Json, indent: number, sortKeys = false, level = 0): string {
	if (v === null) return 'null';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	if (typeof v === 'number') return jqNumber(v);
	if (typeof v === 'string') return jqString(v);
	// indent -1: one tab per level (--tab)
	const unit = indent < 0 ? '\t' : ' '.repeat(indent);
	const pad = indent ? `\n${unit.repeat(level + 1)}` : '';
	const end = indent ? `\n${unit.repeat(level)}` : '';
	if (Array.isArray(v)) {
		if (v.length === 0) return '[]';
		return `[${v.map((x) => pad + jqDump(x, indent, sortKeys, level + 1)).join(',')}${end}]`;
	}
	if (v.size === 0) return '{}';
	const entries = v.entries();
	if (sortKeys) entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	const sep = indent ? ': ' : ':';
	return `{${entries.map(([k, x]) => `${pad}${jqString(k)}${sep}${jqDump(x, indent, sortKeys, level + 1)}`).join(',')}${end}}`;
}

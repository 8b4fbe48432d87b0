/** jq's `@name` formats (`@base64`, `@csv`, `@sh`, …) and the UTF-8 and base64 coding they need. */
import { jqDump, JObject, type Json } from '../json.ts';
import { desc, JqError, typeErr } from './errors.ts';
import { tostring } from './values.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A string's UTF-8 bytes (jq works on bytes for base64, URIs and `utf8bytelength`). */
export function utf8(s: string): number[] {
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

/** The string whose UTF-8 bytes a base64 text holds (`@base64d`). */
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

/** `@sh`: a string single-quoted, an array as quoted words; objects and nested arrays fail. */
function shellQuote(v: Json): string {
	const q = (x: Json): string => {
		if (typeof x === 'string') return `'${x.replace(/'/g, "'\\''")}'`;
		if (Array.isArray(x) || x instanceof JObject) typeErr(`${desc(x)} can not be escaped for shell`);
		return jqDump(x, 0);
	};
	return Array.isArray(v) ? v.map(q).join(' ') : q(v);
}

/** `@csv` and `@tsv`: one row from an array of scalars. */
function row(name: 'csv' | 'tsv', v: Json): string {
	if (!Array.isArray(v)) typeErr(`${desc(v)} cannot be ${name}-formatted, only an array can be`);
	return v
		.map((x) => {
			if (typeof x === 'string') return name === 'csv' ? `"${x.replace(/"/g, '""')}"` : x.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
			if (Array.isArray(x) || x instanceof JObject) typeErr(`${desc(x)} is not valid in a csv row`);
			return x === null ? '' : jqDump(x, 0);
		})
		.join(name === 'csv' ? ',' : '\t');
}

/** Applies the format `@name` to a value; an unknown name is a runtime error, as in jq. */
export function format(name: string, v: Json): string {
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
		case 'sh':
			return shellQuote(v);
		case 'csv':
		case 'tsv':
			return row(name, v);
	}
	throw new JqError(`${name} is not a valid format`);
}

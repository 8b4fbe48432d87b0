/** Reading and deleting inside a value by key, index or path (`.k`, `.[i]`, `getpath`, `del`). */
import { jsonType, JObject, type Json } from '../json.ts';
import { typeErr } from './errors.ts';
import { clone, compare } from './values.ts';

/** A path: keys and indexes from the top of a value. */
export type Path = (string | number)[];

/** `.[k]` on `v`: null through null, negative indexes from the end; `opt` yields nothing on error. */
export function index(v: Json, k: Json, opt: boolean): Json[] {
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

/** The value at a path, null where the path leaves the value. */
export function getPath(v: Json, p: Path): Json {
	let cur: Json = v;
	for (const k of p) {
		if (cur === null) return null;
		cur = typeof k === 'number' ? (Array.isArray(cur) ? (cur[k] ?? null) : null) : cur instanceof JObject ? (cur.get(k) ?? null) : null;
	}
	return cur;
}

/** A copy of `v` without the given paths (`del`). */
export function deletePaths(v: Json, ps: Path[]): Json {
	// Longest paths first, array indexes in descending order, as jq's delpaths sorts them.
	const sorted = [...ps].sort((a, b) => compare(b as Json, a as Json));
	let out = clone(v);
	for (const p of sorted) out = deleteOne(out, p);
	return out;
}

function deleteOne(v: Json, p: Path): Json {
	if (p.length === 0) return null;
	const [k, ...rest] = p as [string | number, ...Path];
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

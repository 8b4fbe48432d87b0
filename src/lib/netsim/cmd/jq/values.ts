/** jq's view of values: truth, total order, containment, and the small queries builtins share. */
import { jqDump, jsonEqual, jsonType, JObject, type Json } from '../json.ts';
import { desc, typeErr } from './errors.ts';

/** Everything but `null` and `false` is true. */
export function truthy(v: Json): boolean {
	return v !== null && v !== false;
}

const ORDER = ['null', 'boolean', 'number', 'string', 'array', 'object'];

/** jq's total order of values: by type first, objects by their sorted keys, then values. */
export function compare(a: Json, b: Json): number {
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

/** A string as itself, anything else as compact JSON (`tostring`, string interpolation). */
export function tostring(v: Json): string {
	return typeof v === 'string' ? v : jqDump(v, 0);
}

/** `length`: characters of a string, elements, keys, a number's absolute value, 0 for null. */
export function length(v: Json): Json {
	if (v === null) return 0;
	if (typeof v === 'boolean') typeErr(`boolean (${v}) has no length`);
	if (typeof v === 'number') return Math.abs(v);
	if (typeof v === 'string') return [...v].length;
	if (Array.isArray(v)) return v.length;
	return v.size;
}

/** `keys` (sorted) and `keys_unsorted`; an array's keys are its indexes. */
export function keysOf(v: Json, sorted: boolean): Json {
	if (v instanceof JObject) return sorted ? v.keys().sort() : v.keys();
	if (Array.isArray(v)) return v.map((_, i) => i);
	return typeErr(`${desc(v)} has no keys`);
}

/** `contains`: substrings, every element somewhere, every key recursively. */
export function contains(a: Json, b: Json): boolean {
	if (a instanceof JObject && b instanceof JObject) return b.entries().every(([k, y]) => a.has(k) && contains(a.get(k) as Json, y));
	if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => a.some((x) => contains(x, y)));
	if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
	if (jsonType(a) === jsonType(b)) return jsonEqual(a, b);
	return typeErr(`${desc(a)} and ${desc(b)} cannot have their containment checked`);
}

/** `a * b` on objects: b's keys win, except that two objects under one key merge in turn. */
export function deepMerge(a: JObject, b: JObject): JObject {
	const out = new JObject(a.entries());
	for (const [k, v] of b.entries()) {
		const old = out.get(k);
		out.set(k, old instanceof JObject && v instanceof JObject ? deepMerge(old, v) : v);
	}
	return out;
}

/** A deep copy, so that deleting paths never changes a value another output shares. */
export function clone(v: Json): Json {
	if (Array.isArray(v)) return v.map(clone);
	if (v instanceof JObject) return new JObject(v.entries().map(([k, x]) => [k, clone(x)]));
	return v;
}

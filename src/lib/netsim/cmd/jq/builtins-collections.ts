/** Builtins on arrays and objects: keys, `map`, entries, `add`, ranges, sorting and grouping. */
import { jqDump, jsonEqual, jsonType, JObject, type Json } from '../json.ts';
import { index } from './access.ts';
import type { Node } from './ast.ts';
import { desc, typeErr } from './errors.ts';
import { add } from './operators.ts';
import { arg, type Builtin, type Env, type Interpreter } from './runtime.ts';
import { compare, contains, keysOf, truthy } from './values.ts';

const notSortable = (v: Json): never => typeErr(`${desc(v)} cannot be sorted, as it is not an array`);

/** `has(k)`: a key of an object, an index inside an array. */
const has: Builtin = (args, v, env, jq) =>
	arg(args, 0, v, env, jq).map((k) => {
		if (v instanceof JObject && typeof k === 'string') return v.has(k);
		if (Array.isArray(v) && typeof k === 'number') return k >= 0 && k < v.length;
		return typeErr(`Cannot check whether ${jsonType(v)} has a ${jsonType(k)} key`);
	});

const map: Builtin = (args, v, env, jq) => {
	if (!Array.isArray(v) && !(v instanceof JObject)) typeErr(`Cannot iterate over ${desc(v)}`);
	const items = Array.isArray(v) ? v : v.entries().map((e) => e[1]);
	return [items.flatMap((x) => jq.evaluate(args[0] as Node, x, env))];
};

/** `map_values(f)`: each value replaced by f's first output. */
const mapValues: Builtin = (args, v, env, jq) => {
	const first = (x: Json): Json[] => jq.evaluate(args[0] as Node, x, env).slice(0, 1);
	if (v instanceof JObject) return [new JObject(v.entries().flatMap(([k, x]) => first(x).map((y): [string, Json] => [k, y])))];
	if (Array.isArray(v)) return [v.flatMap(first)];
	return typeErr(`Cannot iterate over ${desc(v)}`);
};

/** `from_entries`: accepts jq 1.6's spellings of key and value (`k`, `name`, `Name`, `v`, …). */
const fromEntries: Builtin = (_args, v) => {
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
};

/** `sort_by(f)` and `group_by(f)` key each element by all of f's outputs. */
const keyed = (v: Json[], args: Node[], env: Env, jq: Interpreter): { x: Json; k: Json }[] =>
	v.map((x) => ({ x, k: jq.evaluate(args[0] as Node, x, env) as Json }));

const groupBy: Builtin = (args, v, env, jq) => {
	if (!Array.isArray(v)) return typeErr(`Cannot index ${jsonType(v)} with number`);
	const groups: Json[][] = [];
	let last: Json | undefined;
	for (const e of keyed(v, args, env, jq).sort((a, b) => compare(a.k, b.k))) {
		if (groups.length === 0 || !jsonEqual(last as Json, e.k)) groups.push([]);
		(groups[groups.length - 1] as Json[]).push(e.x);
		last = e.k;
	}
	return [groups];
};

const extreme =
	(which: 'min' | 'max'): Builtin =>
	(_args, v) => {
		if (!Array.isArray(v)) return notSortable(v);
		if (v.length === 0) return [null];
		return [[...v].sort(compare)[which === 'min' ? 0 : v.length - 1] as Json];
	};

const range: Builtin = (args, v, env, jq) => {
	const out: Json[] = [];
	if (args.length === 1) for (const n of arg(args, 0, v, env, jq)) for (let i = 0; i < (n as number); i++) out.push(i);
	else for (const a of arg(args, 0, v, env, jq)) for (const b of arg(args, 1, v, env, jq)) for (let i = a as number; i < (b as number); i++) out.push(i);
	return out;
};

const flatten = (x: Json[]): Json[] => x.flatMap((y) => (Array.isArray(y) ? flatten(y) : [y]));

/** Keyed by `name/arity`. */
export const COLLECTIONS: Record<string, Builtin> = {
	'keys/0': (_args, v) => [keysOf(v, true)],
	'keys_unsorted/0': (_args, v) => [keysOf(v, false)],
	'values/0': (_args, v) => (v === null ? [] : [v]),
	'has/1': has,
	'in/1': (args, v, env, jq) => arg(args, 0, v, env, jq).flatMap((o) => jq.call('has', [{ t: 'lit', v }], o, env)),
	'contains/1': (args, v, env, jq) => arg(args, 0, v, env, jq).map((b) => contains(v, b)),
	'map/1': map,
	'map_values/1': mapValues,
	'select/1': (args, v, env, jq) => arg(args, 0, v, env, jq).filter(truthy).map(() => v),
	'to_entries/0': (_args, v) => {
		if (!(v instanceof JObject)) return typeErr(`${desc(v)} has no keys`);
		return [v.entries().map(([k, x]) => new JObject([['key', k], ['value', x]]))];
	},
	'from_entries/0': fromEntries,
	'with_entries/1': (args, v, env, jq) =>
		jq
			.call('to_entries', [], v, env)
			.flatMap((e) => jq.call('map', args, e, env))
			.flatMap((e) => jq.call('from_entries', [], e, env)),
	'add/0': (_args, v) => {
		const items = Array.isArray(v) ? v : v instanceof JObject ? v.entries().map((e) => e[1]) : v === null ? [] : typeErr(`Cannot iterate over ${desc(v)}`);
		return [items.reduce<Json>((a, b) => add(a, b), null)];
	},
	'any/0': (_args, v) => [Array.isArray(v) ? v.some(truthy) : typeErr(`Cannot iterate over ${desc(v)}`)],
	'all/0': (_args, v) => [Array.isArray(v) ? v.every(truthy) : typeErr(`Cannot iterate over ${desc(v)}`)],
	'range/1': range,
	'range/2': range,
	'sort/0': (_args, v) => [Array.isArray(v) ? [...v].sort(compare) : notSortable(v)],
	'sort_by/1': (args, v, env, jq) => {
		if (!Array.isArray(v)) return notSortable(v);
		return [keyed(v, args, env, jq).sort((a, b) => compare(a.k, b.k)).map((e) => e.x)];
	},
	'group_by/1': groupBy,
	'unique/0': (_args, v) => [Array.isArray(v) ? [...v].sort(compare).filter((x, i, a) => i === 0 || !jsonEqual(x, a[i - 1] as Json)) : notSortable(v)],
	'reverse/0': (_args, v) => [Array.isArray(v) ? [...v].reverse() : typeof v === 'string' ? [...v].reverse().join('') : v === null ? [] : typeErr(`Cannot index ${jsonType(v)} with number`)],
	'min/0': extreme('min'),
	'max/0': extreme('max'),
	'first/0': (_args, v) => index(v, 0, false),
	'last/0': (_args, v) => index(v, -1, false),
	'first/1': (args, v, env, jq) => arg(args, 0, v, env, jq).slice(0, 1),
	'last/1': (args, v, env, jq) => arg(args, 0, v, env, jq).slice(-1),
	'flatten/0': (_args, v) => [Array.isArray(v) ? flatten(v) : typeErr(`Cannot iterate over ${desc(v)}`)],
};

/** Builtins on strings and conversions: `tostring`, `tonumber`, JSON text, case, split/join, `test`. */
import { jqDump, jsonType, parseJson, type Json } from '../json.ts';
import { desc, typeErr } from './errors.ts';
import { arg, type Builtin } from './runtime.ts';
import { tostring } from './values.ts';

/** A builtin taking one string argument, applied to a string input. */
const withString =
	(f: (v: Json, s: Json) => Json): Builtin =>
	(args, v, env, jq) =>
		arg(args, 0, v, env, jq).map((s) => f(v, s));

/** `test(re)` and `test(re; flags)`, with the flags JavaScript shares with Oniguruma. */
const test: Builtin = (args, v, env, jq) =>
	arg(args, 0, v, env, jq).map((re) => {
		if (typeof v !== 'string' || typeof re !== 'string') return typeErr(`${desc(v)} cannot be matched, as it is not a string`);
		const flags = args[1] ? tostring(arg(args, 1, v, env, jq)[0] ?? '') : '';
		try {
			return new RegExp(re, flags.replace(/[^ixs]/g, '')).test(v);
		} catch {
			return typeErr(`${re} (at offset 0) is not a valid regex`);
		}
	});

/** `join(sep)`: null as empty, numbers and booleans as JSON, anything else fails. */
const join: Builtin = (args, v, env, jq) =>
	arg(args, 0, v, env, jq).map((sep) => {
		if (!Array.isArray(v)) typeErr(`Cannot iterate over ${desc(v)}`);
		return v.map((x) => (x === null ? '' : typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? jqDump(x, 0) : typeErr(`Cannot join with ${jsonType(x)}`))).join(tostring(sep));
	});

/** Keyed by `name/arity`. */
export const STRINGS: Record<string, Builtin> = {
	'tostring/0': (_args, v) => [tostring(v)],
	'tonumber/0': (_args, v) => {
		if (typeof v === 'number') return [v];
		if (typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return [Number(v)];
		return typeErr(`Cannot parse '${tostring(v)}' as JSON`);
	},
	'tojson/0': (_args, v) => [jqDump(v, 0)],
	'fromjson/0': (_args, v) => {
		try {
			return [parseJson(tostring(v))];
		} catch {
			return typeErr(`${tostring(v)} (while parsing '${tostring(v)}')`);
		}
	},
	'ascii_downcase/0': (_args, v) => [typeof v === 'string' ? v.toLowerCase() : typeErr(`${desc(v)} cannot be ascii_downcased`)],
	'ascii_upcase/0': (_args, v) => [typeof v === 'string' ? v.toUpperCase() : typeErr(`${desc(v)} cannot be ascii_upcased`)],
	'join/1': join,
	'split/1': withString((v, sep) => (typeof v === 'string' && typeof sep === 'string' ? v.split(sep) : typeErr('split input and separator must be strings'))),
	'startswith/1': withString((v, s) => (typeof v === 'string' && typeof s === 'string' ? v.startsWith(s) : typeErr('startswith() requires string inputs'))),
	'endswith/1': withString((v, s) => (typeof v === 'string' && typeof s === 'string' ? v.endsWith(s) : typeErr('endswith() requires string inputs'))),
	'ltrimstr/1': withString((v, s) => (typeof v === 'string' && typeof s === 'string' && v.startsWith(s) ? v.slice(s.length) : v)),
	'rtrimstr/1': withString((v, s) => (typeof v === 'string' && typeof s === 'string' && v.endsWith(s) && s.length > 0 ? v.slice(0, -s.length) : v)),
	'test/1': test,
	'test/2': test,
};

/** Builtins about the value itself: constants, errors, types, `length`, numbers. */
import { jsonType, JObject } from '../json.ts';
import { desc, JqError, typeErr } from './errors.ts';
import { utf8 } from './formats.ts';
import { arg, type Builtin } from './runtime.ts';
import { length, truthy } from './values.ts';

/** `arrays`, `strings`, …: the input if its type fits, else nothing. */
const selectType =
	(fits: (type: string) => boolean): Builtin =>
	(_args, v) =>
		fits(jsonType(v)) ? [v] : [];

const numeric =
	(f: (x: number) => number): Builtin =>
	(_args, v) => [typeof v === 'number' ? f(v) : typeErr(`${desc(v)} number required`)];

/** Keyed by `name/arity`. */
export const BASICS: Record<string, Builtin> = {
	'empty/0': () => [],
	'not/0': (_args, v) => [!truthy(v)],
	'null/0': () => [null],
	'true/0': () => [true],
	'false/0': () => [false],
	// No environment and no further inputs are modelled: the book's programs read one document.
	'env/0': () => [new JObject()],
	'input/0': () => [],
	'inputs/0': () => [],
	// The virtual clock is not jq's business; a fixed time keeps outputs reproducible.
	'now/0': () => [0],
	'error/0': (_args, v) => {
		throw new JqError(v);
	},
	'error/1': (args, v, env, jq) => {
		throw new JqError(arg(args, 0, v, env, jq)[0] ?? null);
	},
	'type/0': (_args, v) => [jsonType(v)],
	'length/0': (_args, v) => [length(v)],
	'utf8bytelength/0': (_args, v) => [typeof v === 'string' ? utf8(v).length : typeErr(`${desc(v)} only strings have UTF-8 byte length`)],
	'recurse/0': (_args, v, env, jq) => jq.evaluate({ t: 'recurse' }, v, env),
	'arrays/0': selectType((x) => x === 'array'),
	'objects/0': selectType((x) => x === 'object'),
	'strings/0': selectType((x) => x === 'string'),
	'numbers/0': selectType((x) => x === 'number'),
	'booleans/0': selectType((x) => x === 'boolean'),
	'nulls/0': selectType((x) => x === 'null'),
	'iterables/0': selectType((x) => x === 'array' || x === 'object'),
	'scalars/0': selectType((x) => x !== 'array' && x !== 'object'),
	'floor/0': numeric(Math.floor),
	'sqrt/0': numeric(Math.sqrt),
};

/** jq's binary operators on two values: comparison and arithmetic with its type rules. */
import { jsonEqual, JObject, type Json } from '../json.ts';
import { desc, typeErr } from './errors.ts';
import { compare, deepMerge } from './values.ts';

/** `a op b` for `== != < <= > >= + - * / %`; `and`, `or` and `//` are evaluated lazily elsewhere. */
export function binop(op: string, a: Json, b: Json): Json {
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
			return add(a, b);
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

/** `a + b`: null is the identity; numbers, strings, arrays and objects add within their type. */
export function add(a: Json, b: Json): Json {
	if (a === null) return b;
	if (b === null) return a;
	if (typeof a === 'number' && typeof b === 'number') return a + b;
	if (typeof a === 'string' && typeof b === 'string') return a + b;
	if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
	if (a instanceof JObject && b instanceof JObject) return new JObject([...a.entries(), ...b.entries()]);
	return typeErr(`${desc(a)} and ${desc(b)} cannot be added`);
}

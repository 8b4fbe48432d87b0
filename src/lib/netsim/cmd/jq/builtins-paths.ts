/** Builtins on paths: `del`, `path`, `paths`, `getpath`. */
import { JObject, type Json } from '../json.ts';
import { deletePaths, getPath, type Path } from './access.ts';
import type { Node } from './ast.ts';
import { typeErr } from './errors.ts';
import { paths } from './path-expr.ts';
import { arg, type Builtin } from './runtime.ts';

/** `paths`: every path into the value, parents before children, the empty path left out. */
const allPaths: Builtin = (_args, v) => {
	const out: Json[] = [];
	const walk = (x: Json, p: Path): void => {
		if (p.length) out.push(p);
		if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...p, i]));
		else if (x instanceof JObject) for (const [k, y] of x.entries()) walk(y, [...p, k]);
	};
	walk(v, []);
	return out;
};

/** Keyed by `name/arity`. */
export const PATHS: Record<string, Builtin> = {
	'del/1': (args, v, env, jq) => [deletePaths(v, paths(args[0] as Node, v, env, jq))],
	'paths/0': allPaths,
	'path/1': (args, v, env, jq) => paths(args[0] as Node, v, env, jq),
	'getpath/1': (args, v, env, jq) => arg(args, 0, v, env, jq).map((p) => (Array.isArray(p) ? getPath(v, p as Path) : typeErr('Path must be specified as an array'))),
};

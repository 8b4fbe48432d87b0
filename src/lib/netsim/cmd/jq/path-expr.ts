/** Path expressions: which paths a filter such as `.a[0]`, `.[]` or `select(…)` designates (`del`, `path`). */
import { jqDump, jsonType, JObject, type Json } from '../json.ts';
import type { Node, NodeOf } from './ast.ts';
import { getPath, type Path } from './access.ts';
import { desc, JqError, typeErr } from './errors.ts';
import type { Env, Interpreter } from './runtime.ts';
import { truthy } from './values.ts';

/** Every path filter `n` designates in `v`; a filter that is not a path fails as in jq. */
export function paths(n: Node, v: Json, env: Env, jq: Interpreter): Path[] {
	switch (n.t) {
		case 'identity':
			return [[]];
		case 'field':
			return fieldPaths(n, v, env, jq);
		case 'iter': {
			const out: Path[] = [];
			for (const base of paths(n.of, v, env, jq)) {
				const at = getPath(v, base);
				if (Array.isArray(at)) at.forEach((_, i) => out.push([...base, i]));
				else if (at instanceof JObject) for (const k of at.keys()) out.push([...base, k]);
				else if (at !== null && !n.opt) typeErr(`Cannot iterate over ${desc(at)}`);
			}
			return out;
		}
		case 'pipe': {
			const out: Path[] = [];
			for (const base of paths(n.l, v, env, jq)) for (const rest of paths(n.r, getPath(v, base), env, jq)) out.push([...base, ...rest]);
			return out;
		}
		case 'comma':
			return [...paths(n.l, v, env, jq), ...paths(n.r, v, env, jq)];
		case 'call':
			if (n.name === 'select' && n.args[0]) return jq.evaluate(n.args[0], v, env).some(truthy) ? [[]] : [];
			if (n.name === 'empty') return [];
			break;
		case 'try':
			try {
				return paths(n.body, v, env, jq);
			} catch (e) {
				if (e instanceof JqError) return [];
				throw e;
			}
	}
	return typeErr(`Invalid path expression with result ${jqDump(jq.evaluate(n, v, env)[0] ?? null, 0).slice(0, 11)}`);
}

/** `.k` / `.[e]`: each base path extended by each key, checked against what is there. */
function fieldPaths(n: NodeOf<'field'>, v: Json, env: Env, jq: Interpreter): Path[] {
	const out: Path[] = [];
	for (const base of paths(n.of, v, env, jq)) {
		const at = getPath(v, base);
		for (const k of jq.evaluate(n.name, v, env)) {
			if (typeof k !== 'string' && typeof k !== 'number') typeErr(`Cannot index ${jsonType(at)} with ${jsonType(k)}`);
			if (at !== null && !(typeof k === 'string' && at instanceof JObject) && !(typeof k === 'number' && Array.isArray(at))) {
				if (n.opt) continue;
				typeErr(typeof k === 'string' ? `Cannot index ${jsonType(at)} with string "${k}"` : `Cannot index ${jsonType(at)} with number`);
			}
			out.push([...base, k]);
		}
	}
	return out;
}

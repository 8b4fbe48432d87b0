/**
 * Runs a parsed program on one input and returns every output (jq filters are generators; an
 * array of outputs is enough for the book's programs). Builtins come from a dispatch table that
 * receives this evaluator as an argument, so the two never import each other.
 */
import { jsonType, JObject, type Json } from '../json.ts';
import { index } from './access.ts';
import type { Node, NodeOf } from './ast.ts';
import { BUILTINS } from './builtins.ts';
import { desc, JqCompileError, JqError, typeErr } from './errors.ts';
import { format } from './formats.ts';
import { binop } from './operators.ts';
import type { Env, Interpreter } from './runtime.ts';
import { tostring, truthy } from './values.ts';

/** Evaluates a filter on one input; returns every output. Runtime errors throw JqError. */
export function evaluate(n: Node, v: Json, env: Env): Json[] {
	switch (n.t) {
		case 'identity':
			return [v];
		case 'recurse':
			return recurse(v);
		case 'lit':
			return [n.v];
		case 'var':
			return variable(n, env);
		case 'field':
			return field(n, v, env);
		case 'iter':
			return iterate(n, v, env);
		case 'slice':
			return slice(n, v, env);
		case 'pipe':
			return evaluate(n.l, v, env).flatMap((x) => evaluate(n.r, x, env));
		case 'comma':
			return [...evaluate(n.l, v, env), ...evaluate(n.r, v, env)];
		case 'neg':
			return evaluate(n.e, v, env).map((x) => (typeof x === 'number' ? -x : typeErr(`${desc(x)} cannot be negated`)));
		case 'bin':
			return binary(n, v, env);
		case 'array':
			return [n.e ? evaluate(n.e, v, env) : []];
		case 'object':
			return object(n, v, env);
		case 'format':
			return [format(n.name, v)];
		case 'str':
			return interpolate(n, v, env);
		case 'if':
			return conditional(n, v, env);
		case 'as':
			return evaluate(n.src, v, env).flatMap((x) => evaluate(n.body, v, new Map(env).set(n.name, x)));
		case 'reduce':
			return reduce(n, v, env);
		case 'try':
			return attempt(n, v, env);
		case 'call':
			return call(n.name, n.args, v, env);
	}
}

/** Calls a builtin by `name/arity`; an unknown one fails as jq's compiler would have. */
function call(name: string, args: Node[], v: Json, env: Env): Json[] {
	const arity = `${name}/${args.length}`;
	const builtin = BUILTINS.get(arity);
	if (!builtin) throw new JqCompileError(`${arity} is not defined`);
	return builtin(args, v, env, INTERPRETER);
}

const INTERPRETER: Interpreter = { evaluate, call };

/** `..`: the value and everything inside it, depth first. */
function recurse(v: Json): Json[] {
	const out: Json[] = [];
	const walk = (x: Json): void => {
		out.push(x);
		if (Array.isArray(x)) x.forEach(walk);
		else if (x instanceof JObject) for (const [, y] of x.entries()) walk(y);
	};
	walk(v);
	return out;
}

function variable(n: NodeOf<'var'>, env: Env): Json[] {
	// The environment and `$__loc__` are not modelled: an empty object stands in for both.
	if (n.name === 'ENV' || n.name === '__loc__') return [new JObject()];
	const x = env.get(n.name);
	if (x === undefined) throw new JqCompileError(`$${n.name} is not defined`);
	return [x];
}

function field(n: NodeOf<'field'>, v: Json, env: Env): Json[] {
	const out: Json[] = [];
	for (const base of evaluate(n.of, v, env)) {
		for (const k of evaluate(n.name, v, env)) {
			try {
				out.push(...index(base, k, n.opt));
			} catch (e) {
				if (!n.opt) throw e;
			}
		}
	}
	return out;
}

function iterate(n: NodeOf<'iter'>, v: Json, env: Env): Json[] {
	const out: Json[] = [];
	for (const base of evaluate(n.of, v, env)) {
		if (Array.isArray(base)) out.push(...base);
		else if (base instanceof JObject) out.push(...base.entries().map((e) => e[1]));
		else if (!n.opt) typeErr(`Cannot iterate over ${base === null ? 'null' : desc(base)}`);
	}
	return out;
}

/** `.[a:b]` on a string (by characters) or an array; bounds clamp, negatives count from the end. */
function slice(n: NodeOf<'slice'>, v: Json, env: Env): Json[] {
	const out: Json[] = [];
	for (const base of evaluate(n.of, v, env)) {
		const from = n.from ? evaluate(n.from, v, env)[0] : null;
		const to = n.to ? evaluate(n.to, v, env)[0] : null;
		if (base === null) {
			out.push(null);
			continue;
		}
		if (typeof base !== 'string' && !Array.isArray(base)) {
			if (n.opt) continue;
			typeErr(`Cannot index ${jsonType(base)} with object`);
		}
		const len = typeof base === 'string' ? [...base].length : base.length;
		const clamp = (x: Json, d: number): number => {
			if (x === null) return d;
			const k = Math.floor(x as number);
			return Math.max(0, Math.min(len, k < 0 ? len + k : k));
		};
		const a = clamp(from ?? null, 0);
		const b = clamp(to ?? null, len);
		out.push(typeof base === 'string' ? [...base].slice(a, b).join('') : base.slice(a, Math.max(a, b)));
	}
	return out;
}

/** Binary operators; `and`/`or` short-circuit, `//` takes the left's truthy outputs or the right. */
function binary(n: NodeOf<'bin'>, v: Json, env: Env): Json[] {
	if (n.op === 'and' || n.op === 'or') {
		const out: Json[] = [];
		for (const a of evaluate(n.l, v, env)) {
			if (n.op === 'and' && !truthy(a)) out.push(false);
			else if (n.op === 'or' && truthy(a)) out.push(true);
			else for (const b of evaluate(n.r, v, env)) out.push(truthy(b));
		}
		return out;
	}
	if (n.op === '//') {
		let l: Json[] = [];
		try {
			l = evaluate(n.l, v, env).filter(truthy);
		} catch (e) {
			if (!(e instanceof JqError)) throw e;
		}
		return l.length > 0 ? l : evaluate(n.r, v, env);
	}
	// jq loops over the right operand's outputs outside the left's.
	const out: Json[] = [];
	for (const b of evaluate(n.r, v, env)) for (const a of evaluate(n.l, v, env)) out.push(binop(n.op, a, b));
	return out;
}

/** `{…}`: one object per combination of the entries' key and value outputs. */
function object(n: NodeOf<'object'>, v: Json, env: Env): Json[] {
	let acc: JObject[] = [new JObject()];
	for (const e of n.entries) {
		const keys = evaluate(e.key, v, env);
		const next: JObject[] = [];
		for (const o of acc) {
			for (const k of keys) {
				if (typeof k !== 'string') typeErr(`Object keys must be strings`);
				const vals = e.value ? evaluate(e.value, v, env) : index(v, k, false);
				for (const val of vals) next.push(new JObject([...o.entries(), [k, val]]));
			}
		}
		acc = next;
	}
	return acc;
}

/** `"a\(x)b"`, and `@fmt "…"` which formats each interpolated value. */
function interpolate(n: NodeOf<'str'>, v: Json, env: Env): Json[] {
	let acc = [''];
	for (const p of n.parts) {
		if (typeof p === 'string') acc = acc.map((s) => s + p);
		else {
			const vals = evaluate(p, v, env);
			acc = acc.flatMap((s) => vals.map((x) => s + (n.format ? format(n.format, x) : tostring(x))));
		}
	}
	return acc;
}

/** `if … then … elif … else … end`; a missing `else` passes the input through. */
function conditional(n: NodeOf<'if'>, v: Json, env: Env): Json[] {
	const out: Json[] = [];
	for (const c of evaluate(n.cond, v, env)) {
		if (truthy(c)) out.push(...evaluate(n.then, v, env));
		else if (n.elifs.length > 0) {
			const [[c2, t2], ...rest] = n.elifs as [[Node, Node], ...[Node, Node][]];
			out.push(...evaluate({ t: 'if', cond: c2, then: t2, elifs: rest, else: n.else }, v, env));
		} else out.push(...(n.else ? evaluate(n.else, v, env) : [v]));
	}
	return out;
}

function reduce(n: NodeOf<'reduce'>, v: Json, env: Env): Json[] {
	let accs = evaluate(n.init, v, env);
	for (const x of evaluate(n.src, v, env)) {
		const e2 = new Map(env).set(n.name, x);
		accs = accs.flatMap((a) => evaluate(n.update, a, e2));
	}
	return accs;
}

/** `try body catch handler` and `body?`: a runtime error stops the body; the handler gets its value. */
function attempt(n: NodeOf<'try'>, v: Json, env: Env): Json[] {
	try {
		return evaluate(n.body, v, env);
	} catch (e) {
		if (!(e instanceof JqError)) throw e;
		return n.catch ? evaluate(n.catch, e.value, env) : [];
	}
}

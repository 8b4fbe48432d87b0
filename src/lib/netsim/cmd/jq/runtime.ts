/**
 * The evaluator's contract with builtins and path expressions: they receive it as an argument,
 * so they never import the evaluator and the modules import one way only.
 */
import type { Json } from '../json.ts';
import type { Node } from './ast.ts';

/** Variables in scope (`$name` → value), including `--arg` and friends. */
export type Env = Map<string, Json>;

/** Runs filters: what a builtin may ask of the evaluator. */
export interface Interpreter {
	/** Every output of filter `n` on input `v`. */
	evaluate(n: Node, v: Json, env: Env): Json[];
	/** Calls builtin `name` with filter arguments, as `name(args…)` in a program would. */
	call(name: string, args: Node[], v: Json, env: Env): Json[];
}

/** A builtin: its filter arguments (unevaluated), the input, the scope; returns every output. */
export type Builtin = (args: Node[], v: Json, env: Env, jq: Interpreter) => Json[];

/** The outputs of a builtin's `i`-th argument on the input. */
export function arg(args: Node[], i: number, v: Json, env: Env, jq: Interpreter): Json[] {
	return jq.evaluate(args[i] as Node, v, env);
}

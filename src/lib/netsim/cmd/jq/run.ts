/** Running the program over the inputs and printing each output as jq's options say. */
import { jqDump, type Json } from '../json.ts';
import type { ExecResult } from '../../tool/types.ts';
import type { Node } from './ast.ts';
import { JqCompileError, JqError } from './errors.ts';
import { evaluate } from './evaluator.ts';
import type { Inputs } from './inputs.ts';
import type { JqOptions } from './options.ts';
import { lateCompileError } from './program.ts';
import { truthy } from './values.ts';

/** One output as text: a raw string with -r/-j, else JSON indented or compact. */
function print(out: Json, o: JqOptions): string {
	const text = o.raw && typeof out === 'string' ? out : jqDump(out, o.compact ? 0 : o.indent, o.sortKeys);
	return o.join ? text : `${text}\n`;
}

/** jq's runtime error line; it names the last input text and its line count, as jq 1.6 does. */
function runtimeError(e: JqError, o: JqOptions, inputs: Inputs): string {
	const v = e.value;
	const last = inputs.texts[inputs.texts.length - 1];
	const where = o.nullInput ? '<unknown>' : `${last?.name ?? '<unknown>'}:${Math.max(0, (last?.text ?? '').split('\n').length - 1)}`;
	return `jq: error (at ${where}): ${typeof v === 'string' ? v : `${jqDump(v, 0)} (not a string)`}\n`;
}

/** Runs the program on every input; a runtime error skips to the next input (exit 5). */
export function run(program: Node, o: JqOptions, inputs: Inputs): ExecResult {
	let stdout = '';
	let { stderr, exit } = inputs;
	let last: Json | undefined;
	for (const input of inputs.values) {
		try {
			for (const out of evaluate(program, input, o.vars)) {
				last = out;
				stdout += print(out, o);
			}
		} catch (e) {
			if (e instanceof JqError) {
				stderr += runtimeError(e, o, inputs);
				exit = 5;
				continue;
			}
			if (e instanceof JqCompileError) return lateCompileError(e, o.filter, stdout);
			// JavaScript's limits (stack depth, string length) end the run as jq's depth limit would.
			if (e instanceof RangeError) return { stdout, stderr: `${stderr}jq: error: program too deep\n`, exit: 5 };
			throw e;
		}
	}
	if (inputs.failure) return { stdout, stderr: stderr + inputs.failure, exit: 4 };
	if (exit === 0 && o.exitStatus) exit = last === undefined ? 4 : truthy(last) ? 0 : 1;
	return { stdout, stderr, exit };
}

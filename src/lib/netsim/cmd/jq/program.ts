/** Compiling the filter: parse it, check its variables, and word a failure as jq does (exit 3). */
import type { Json } from '../json.ts';
import type { ExecResult } from '../../tool/types.ts';
import type { Node } from './ast.ts';
import { JqCompileError } from './errors.ts';
import { parse } from './parser.ts';

/** The program, or jq's compile error for it. */
export function compile(filter: string, vars: Map<string, Json>): { program: Node } | { result: ExecResult } {
	try {
		const program = parse(filter);
		checkVariables(filter, vars);
		return { program };
	} catch (e) {
		if (!(e instanceof JqCompileError)) throw e;
		const syntax = e.message.startsWith('syntax error');
		const msg = e.message.includes('line 1') ? e.message : `${e.message}${syntax ? ' (Unix shell quoting issues?)' : ''} at <top-level>, line 1:`;
		return { result: { stdout: '', stderr: `jq: error: ${msg}\n${filter}${syntax ? ' '.repeat(e.pos ?? 0) : ''}\njq: 1 compile error\n`, exit: 3 } };
	}
}

/** Undefined variables are compile errors in jq: check the ones the program names. */
function checkVariables(filter: string, vars: Map<string, Json>): void {
	const names = [...filter.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
	const bound = new Set([...filter.matchAll(/\bas\s+\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
	for (const n of names) if (!vars.has(n) && !bound.has(n) && n !== 'ENV' && n !== '__loc__') throw new JqCompileError(`$${n} is not defined at <top-level>, line 1:`);
}

/** jq's report of a compile error found only while running (an unknown function or variable). */
export function lateCompileError(e: JqCompileError, filter: string, stdout: string): ExecResult {
	return { stdout, stderr: `jq: error: ${e.message} at <top-level>, line 1:\n${filter}\njq: 1 compile error\n`, exit: 3 };
}

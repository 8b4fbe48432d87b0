/**
 * jq 1.6, the part of the language the book and everyday CNI debugging use: paths (`.a.b[0]`,
 * `.[]`, `.a?`), pipes, `,`, object and array construction (with `{name}` shorthand), `+ - * /`,
 * comparisons, `and`/`or`/`not`, `//`, `if … then … else … end`, `$var`, `@base64`/`@json`/`@text`,
 * and builtins such as `del`, `length`, `keys`, `map`, `select`, `has`, `to_entries`. Options:
 * -r -j -c -n -s -e -S --tab --indent N --arg --argjson --slurpfile --rawfile.
 *
 * command line (options) → program (parser ← lexer) → inputs → run (evaluator ← builtins/*)
 */
import type { Vfs } from '../../shell/vfs.ts';
import type { Context, ExecResult, Tool } from '../../tool/types.ts';
import { readInputs } from './inputs.ts';
import { parseOptions } from './options.ts';
import { compile } from './program.ts';
import { run } from './run.ts';

/** Where jq reads files from. */
export type JqVfs = (ctx: Context) => Vfs;

/** Builds the jq tool. */
export function jq(vfsOf: JqVfs): Tool {
	return (argv, ctx): ExecResult => {
		const readFile = (f: string): string | undefined => {
			const r = vfsOf(ctx).readFile(f, ctx.ns);
			return r.ok ? r.value : undefined;
		};
		const parsed = parseOptions(argv, readFile);
		if ('result' in parsed) return parsed.result;
		const o = parsed.options;
		const compiled = compile(o.filter, o.vars);
		if ('result' in compiled) return compiled.result;
		return run(compiled.program, o, readInputs(o, ctx.stdin, readFile));
	};
}

/**
 * The handful of coreutils (and bash builtins) the book's lines use, by family: text (echo,
 * printf), files (cat, ls, mkdir, rm, rmdir, tee), filters (grep, head, tail, wc, sort, uniq),
 * processes (sleep, timeout, sh, bash, xargs, true, false, :) and hostname.
 */
import type { RunLine } from '../../shell/exec.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';
import { fileTools } from './files.ts';
import { grepTool, headTail, sort, uniq, wc } from './filters.ts';
import { hostname } from './hostname.ts';
import { shellTool, sleep, timeout, xargs } from './process.ts';
import { echo, printf } from './text.ts';

/** The coreutils table for a host's files and its shell. */
export function coreutils(vfsOf: VfsOf, runLine: RunLine): Record<string, Tool> {
	const grep = grepTool(vfsOf);
	return {
		echo,
		printf,
		...fileTools(vfsOf),
		grep,
		egrep: (argv, ctx) => grep(['-E', ...argv], ctx),
		head: headTail(false, vfsOf),
		tail: headTail(true, vfsOf),
		wc,
		sort,
		sleep,
		hostname,
		timeout,
		sh: shellTool('sh', runLine),
		bash: shellTool('bash', runLine),
		xargs,
		uniq,
		true: () => ({ stdout: '', stderr: '', exit: 0 }),
		false: () => ({ stdout: '', stderr: '', exit: 1 }),
		':': () => ({ stdout: '', stderr: '', exit: 0 }),
	};
}

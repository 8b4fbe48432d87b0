/** The filters of the book's pipes: grep, head, tail, wc, sort, uniq. */
import { fsMessage, type VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';

/** The lines of a text, without the empty one after a final newline. */
function lines(text: string): string[] {
	const l = text.split('\n');
	if (l[l.length - 1] === '') l.pop();
	return l;
}

/** grep (-v -c -E -i -q -F -o -w -x, -e PATTERN) over files or stdin; files that cannot be read are skipped. */
export function grepTool(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		let invert = false;
		let count = false;
		let ignoreCase = false;
		let quiet = false;
		let only = false;
		let pattern: string | undefined;
		const files: string[] = [];
		for (let i = 0; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a === '-e') pattern = argv[++i];
			else if (/^-[vcEiqFowx]+$/.test(a)) {
				if (a.includes('v')) invert = true;
				if (a.includes('c')) count = true;
				if (a.includes('i')) ignoreCase = true;
				if (a.includes('q')) quiet = true;
				if (a.includes('o')) only = true;
			} else if (pattern === undefined) pattern = a;
			else files.push(a);
		}
		if (pattern === undefined) return { stdout: '', stderr: 'Usage: grep [OPTION]... PATTERNS [FILE]...\nTry \'grep --help\' for more information.\n', exit: 2 };
		let re: RegExp;
		try {
			re = new RegExp(pattern.replace(/\\\|/g, '|').replace(/\\\(/g, '(').replace(/\\\)/g, ')'), ignoreCase ? 'i' : '');
		} catch {
			return { stdout: '', stderr: 'grep: Unmatched ( or \\(\n', exit: 2 };
		}
		const input = files.length ? files.map((f) => vfsOf(ctx).readFile(f, ctx.ns)).flatMap((r) => (r.ok ? [r.value] : [])).join('') : ctx.stdin;
		const hits = lines(input).filter((l) => re.test(l) !== invert);
		if (quiet) return { stdout: '', stderr: '', exit: hits.length ? 0 : 1 };
		if (count) return { stdout: `${hits.length}\n`, stderr: '', exit: hits.length ? 0 : 1 };
		const out = only ? hits.map((l) => (l.match(re) ?? [''])[0]) : hits;
		return { stdout: out.map((l) => `${l}\n`).join(''), stderr: '', exit: hits.length ? 0 : 1 };
	};
}

/**
 * head or tail: -n N, -N, over standard input or files (with `==> FILE <==` before each when there
 * are several, as coreutils prints them; one that cannot be read is reported and skipped, exit 1).
 */
export const headTail = (tail: boolean, vfsOf: VfsOf): Tool => (argv, ctx) => {
	const name = tail ? 'tail' : 'head';
	let n = 10;
	const files: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '-n') n = Number(argv[++i]);
		else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''));
		else files.push(a);
	}
	const pick = (text: string): string => {
		const l = lines(text);
		return (tail ? l.slice(Math.max(0, l.length - n)) : l.slice(0, n)).map((x) => `${x}\n`).join('');
	};
	if (files.length === 0) return { stdout: pick(ctx.stdin), stderr: '', exit: 0 };
	let stdout = '';
	let stderr = '';
	let shown = 0;
	for (const f of files) {
		const r = vfsOf(ctx).readFile(f, ctx.ns);
		if (!r.ok) {
			stderr += `${name}: cannot open '${f}' for reading: ${fsMessage(r.error)}\n`;
			continue;
		}
		if (files.length > 1) stdout += `${shown++ ? '\n' : ''}==> ${f} <==\n`;
		stdout += pick(r.value);
	}
	return { stdout, stderr, exit: stderr ? 1 : 0 };
};

/** wc: lines with -l, else lines, words and characters. */
export const wc: Tool = (argv, ctx) => {
	const l = lines(ctx.stdin).length;
	if (argv.includes('-l')) return { stdout: `${l}\n`, stderr: '', exit: 0 };
	const words = ctx.stdin.split(/\s+/).filter(Boolean).length;
	return { stdout: `${String(l).padStart(7)} ${String(words).padStart(7)} ${String(ctx.stdin.length).padStart(7)}\n`, stderr: '', exit: 0 };
};

/** sort: -r, -u. */
export const sort: Tool = (argv, ctx) => {
	const l = lines(ctx.stdin).sort();
	if (argv.includes('-r')) l.reverse();
	const out = argv.includes('-u') ? [...new Set(l)] : l;
	return { stdout: out.map((x) => `${x}\n`).join(''), stderr: '', exit: 0 };
};

/** uniq: -c. */
export const uniq: Tool = (argv, ctx) => {
	const count = argv.includes('-c');
	const out: [string, number][] = [];
	for (const l of lines(ctx.stdin)) {
		const last = out[out.length - 1];
		if (last && last[0] === l) last[1]++;
		else out.push([l, 1]);
	}
	return { stdout: out.map(([l, n]) => (count ? `${String(n).padStart(7)} ${l}\n` : `${l}\n`)).join(''), stderr: '', exit: 0 };
};

/** The tools that read and change the host's files: cat, ls, mkdir, rm, rmdir, tee. */
import { fsMessage, type VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';

/** cat: files (`-` is stdin) or stdin; -v/-A/-e/-T show control characters as ^X. */
function cat(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const files = argv.filter((a) => !/^-[vAenET]+$/.test(a));
		const showNonPrinting = argv.some((a) => /^-[vAeT]+$/.test(a) && /[vAeT]/.test(a));
		if (files.length === 0) return { stdout: ctx.stdin, stderr: '', exit: 0 };
		let stdout = '';
		let stderr = '';
		let exit = 0;
		for (const f of files) {
			const read = f === '-' ? { ok: true as const, value: ctx.stdin } : vfs.readFile(f, ctx.ns);
			if (!read.ok) {
				stderr += `cat: ${f}: ${fsMessage(read.error)}\n`;
				exit = 1;
				continue;
			}
			const data = read.value;
			stdout += showNonPrinting ? data.replace(/[\x00-\x08\x0b-\x1f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) + 64)}`) : data;
		}
		return { stdout, stderr, exit };
	};
}

/** ls: the names in each directory (a file lists itself), sorted. */
function ls(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const paths = argv.filter((a) => !a.startsWith('-'));
		if (paths.length === 0) paths.push('/root');
		let stdout = '';
		let stderr = '';
		let exit = 0;
		for (const p of paths) {
			const r = vfs.list(p, ctx.ns);
			if (!r.ok) {
				stderr += `ls: cannot access '${p}': ${fsMessage(r.error)}\n`;
				exit = 2;
				continue;
			}
			if (paths.length > 1) stdout += `${p}:\n`;
			stdout += r.value.map((x) => `${x}\n`).join('');
		}
		return { stdout, stderr, exit };
	};
}

/** mkdir, -p for the parents. */
function mkdir(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const parents = argv.some((a) => /^-[a-z]*p/.test(a) || a === '--parents');
		let stderr = '';
		let exit = 0;
		for (const p of argv.filter((a) => !a.startsWith('-'))) {
			const made = vfs.mkdir(p, parents);
			if (!made.ok) {
				stderr += `mkdir: cannot create directory ‘${p}’: ${fsMessage(made.error)}\n`;
				exit = 1;
			}
		}
		return { stdout: '', stderr, exit };
	};
}

/** rm, -r for trees, -f for missing files. */
function rm(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const flags = argv.filter((a) => a.startsWith('-')).join('');
		const recursive = /r|R/.test(flags);
		const force = flags.includes('f');
		let stderr = '';
		let exit = 0;
		for (const p of argv.filter((a) => !a.startsWith('-'))) {
			const removed = vfs.remove(p, recursive);
			if (removed.ok || (removed.error === 'ENOENT' && force)) continue;
			stderr += `rm: cannot remove '${p}': ${fsMessage(removed.error)}\n`;
			exit = 1;
		}
		return { stdout: '', stderr, exit };
	};
}

/** rmdir, --ignore-fail-on-non-empty. */
function rmdir(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const ignoreNonEmpty = argv.includes('--ignore-fail-on-non-empty');
		let stderr = '';
		let exit = 0;
		for (const p of argv.filter((a) => !a.startsWith('-'))) {
			const removed = vfs.rmdir(p);
			if (removed.ok || (removed.error === 'ENOTEMPTY' && ignoreNonEmpty)) continue;
			stderr += `rmdir: failed to remove '${p}': ${fsMessage(removed.error)}\n`;
			exit = 1;
		}
		return { stdout: '', stderr, exit };
	};
}

/** tee: stdin to the files (-a appends) and to stdout. */
function tee(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const append = argv.includes('-a');
		for (const p of argv.filter((a) => !a.startsWith('-'))) vfs.write(p, ctx.stdin, append, ctx.ns);
		return { stdout: ctx.stdin, stderr: '', exit: 0 };
	};
}

/**
 * readlink: the target of each symbolic link (/proc/PID/ns/net → `net:[4026532444]`); a file that
 * is no link prints nothing and fails, silently as coreutils does without -v. `-n` drops the
 * newline; canonicalising (-f, -e, -m) is declined.
 */
function readlink(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const opts = argv.filter((a) => a.startsWith('-') && a !== '-');
		const bad = opts.find((o) => o !== '-n' && o !== '--no-newline');
		if (bad) return { stdout: '', stderr: `readlink: ${bad} is not available in this simulator (readlink PATH reads a link, such as /proc/PID/ns/net)\n`, exit: 1 };
		const paths = argv.filter((a) => !opts.includes(a));
		if (paths.length === 0) return { stdout: '', stderr: "readlink: missing operand\nTry 'readlink --help' for more information.\n", exit: 1 };
		const end = opts.length > 0 && paths.length === 1 ? '' : '\n';
		let stdout = '';
		let exit = 0;
		for (const p of paths) {
			const r = vfs.readlink(p, ctx.ns);
			if (r.ok) stdout += `${r.value}${end}`;
			else exit = 1;
		}
		return { stdout, stderr: '', exit };
	};
}

/** The file tools for a host file system accessor. */
export function fileTools(vfsOf: VfsOf): Record<string, Tool> {
	return { cat: cat(vfsOf), ls: ls(vfsOf), readlink: readlink(vfsOf), mkdir: mkdir(vfsOf), rm: rm(vfsOf), rmdir: rmdir(vfsOf), tee: tee(vfsOf) };
}

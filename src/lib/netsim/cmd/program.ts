/**
 * Programs from outside the simulator: code that a lab runs as an executable file, such as the
 * book's own CNI plugin (examples/cni-plugin). The simulator does not know what such a program
 * does; it gives it what a process gets (its arguments, environment and standard input), a way to
 * run the lab's programs as execve would (no shell), the host's files as Node's `fs` would show
 * them, and random bytes from the lab's seeded generator, so that a run is reproducible.
 */
import type { Netns } from '../model/netns.ts';
import { fsMessage, type Vfs, type VfsOf } from '../shell/vfs.ts';
import type { ExecResult, Tool } from '../tool/types.ts';

/**
 * The host's files for a program. Failures throw an Error with the errno name as `code` and the
 * call as `syscall`, worded as Node's `fs` words them (`ENOENT: no such file or directory, open
 * '/x'`), so that code written for Node reads them unchanged.
 */
export interface SimFiles {
	/** `mkdir -p`. */
	mkdirp(dir: string): void;
	/** The names in a directory, in the order readdir gives them. */
	list(dir: string): string[];
	/** A file's text. */
	read(path: string): string;
	/** Writes a file; `exclusive` fails with EEXIST when it exists (O_EXCL). */
	write(path: string, text: string, exclusive?: boolean): void;
	/** Removes a file; one that is not there is no error (`rm -f`). */
	remove(path: string): void;
}

/** What a program gets when a command line runs it. */
export interface SimProcess {
	/** Its arguments, without its own name. */
	argv: readonly string[];
	/** Its environment: the shell's exported variables and the line's assignments. */
	env: Readonly<Record<string, string>>;
	/** Its standard input, whole. */
	stdin: string;
	/** Runs a program of the lab (`ip`, `nsenter`, `iptables`…) with no shell, where this process runs. */
	exec(argv: readonly string[]): ExecResult;
	files: SimFiles;
	/** `n` random bytes (0-255) from the lab's seeded generator. */
	randomBytes(n: number): number[];
}

/** A program from outside the simulator, as a lab installs it. */
export interface SimProgram {
	/** Absolute path of its executable file on every host (`/opt/cni/bin/tsbridge`). */
	path: string;
	/** What the file holds, as `cat` shows it. */
	text: string;
	/** Runs it; it returns the three results a command has. */
	run(process: SimProcess): ExecResult;
}

/** An Error as Node's `fs` throws it. */
function fsError(code: Parameters<typeof fsMessage>[0], syscall: string, path: string): Error {
	const text = fsMessage(code);
	const message = `${code}: ${text.charAt(0).toLowerCase()}${text.slice(1)}, ${syscall} '${path}'`;
	return Object.assign(new Error(message), { code, syscall, path });
}

/** The files of `vfs` as a program sees them from namespace `ns`. */
function filesOf(vfs: Vfs, ns: Netns): SimFiles {
	return {
		mkdirp(dir) {
			const made = vfs.mkdir(dir, true);
			if (!made.ok) throw fsError(made.error, 'mkdir', dir);
		},
		list(dir) {
			const names = vfs.readdir(dir);
			if (!names.ok) throw fsError(names.error, 'scandir', dir);
			return names.value;
		},
		read(path) {
			const text = vfs.readFile(path, ns);
			if (!text.ok) throw fsError(text.error, 'open', path);
			return text.value;
		},
		write(path, text, exclusive = false) {
			if (exclusive && vfs.exists(path, ns)) throw fsError('EEXIST', 'open', path);
			const written = vfs.write(path, text, false, ns);
			if (!written.ok) throw fsError(written.error, 'open', path);
		},
		remove(path) {
			const removed = vfs.remove(path, false);
			if (!removed.ok && removed.error !== 'ENOENT') throw fsError(removed.error, 'rm', path);
		},
	};
}

/** The command that runs `program` by its path, as the shell finds it. */
export function programTool(program: SimProgram, vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const vfs = vfsOf(ctx);
		if (!vfs.exists(program.path, ctx.ns)) return { stdout: '', stderr: `${ctx.where ?? 'bash: line 1: '}${program.path}: No such file or directory\n`, exit: 127 };
		return program.run({
			argv,
			env: ctx.env,
			stdin: ctx.stdin,
			// What the program starts reads nothing (Node's stdio 'ignore') and starts nothing in the background.
			exec: (args) => ctx.run({ ...ctx, stdin: '', background: undefined, pid: undefined }, [...args]),
			files: filesOf(vfs, ctx.ns),
			randomBytes: (n) => Array.from({ length: n }, () => ctx.world.rng.next() & 255),
		});
	};
}

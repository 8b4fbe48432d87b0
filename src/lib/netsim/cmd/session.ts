/**
 * What a reader asks about their session: `whoami`, `uname`, `pwd` and `cd`. Answered truthfully
 * or not at all: everyone is root in /root, the system is Linux, but there is no kernel whose
 * release or machine could be named, and the shell does not change directory.
 */
import { normalise, type VfsOf } from '../shell/vfs.ts';
import type { Tool } from '../tool/types.ts';

/** The home and only working directory of the simulated root shell (the prompt's `~`). */
const HOME = '/root';

const tryHelp = (tool: string) => `Try '${tool} --help' for more information.\n`;

/** The user names of the uids a command may run as here (Debian's /etc/passwd). */
const USERS: Record<number, string> = { 0: 'root', 65534: 'nobody' };

/** coreutils `whoami`: the terminal's shell is root's; `setpriv --reuid` and user namespaces change it. */
const whoami: Tool = (argv, ctx) => {
	const bad = argv.find((a) => a.startsWith('-') && a !== '--');
	if (bad) return { stdout: '', stderr: `whoami: ${bad.startsWith('--') ? `unrecognized option '${bad}'` : `invalid option -- '${bad[1]}'`}\n${tryHelp('whoami')}`, exit: 1 };
	const extra = argv.filter((a) => a !== '--');
	if (extra.length) return { stdout: '', stderr: `whoami: extra operand ‘${extra[0]}’\n${tryHelp('whoami')}`, exit: 1 };
	const uid = ctx.cred?.uid ?? 0;
	const name = USERS[uid];
	if (name === undefined) return { stdout: '', stderr: `whoami: cannot find name for user ID ${uid}\n`, exit: 1 };
	return { stdout: `${name}\n`, stderr: '', exit: 0 };
};

/** uname's fields in the order it prints them, by short and long option. */
const UNAME: [string, string][] = [
	['s', 'kernel-name'],
	['n', 'nodename'],
	['r', 'kernel-release'],
	['v', 'kernel-version'],
	['m', 'machine'],
	['p', 'processor'],
	['i', 'hardware-platform'],
	['o', 'operating-system'],
];

/**
 * coreutils `uname`: the kernel's name, the host's name and the operating system are what the
 * simulator models; a kernel release, version or machine it would have to invent, so it says so.
 */
const uname: Tool = (argv, ctx) => {
	const want = new Set<string>();
	for (const a of argv) {
		if (a === '-a' || a === '--all') ['s', 'n', 'r', 'v', 'm', 'o'].forEach((f) => want.add(f));
		else if (a.startsWith('--')) {
			const f = UNAME.find(([, long]) => long === a.slice(2));
			if (!f) return { stdout: '', stderr: `uname: unrecognized option '${a}'\n${tryHelp('uname')}`, exit: 1 };
			want.add(f[0]);
		} else if (a.startsWith('-') && a.length > 1) {
			for (const c of a.slice(1)) {
				if (c === 'a') ['s', 'n', 'r', 'v', 'm', 'o'].forEach((f) => want.add(f));
				else if (UNAME.some(([s]) => s === c)) want.add(c);
				else return { stdout: '', stderr: `uname: invalid option -- '${c}'\n${tryHelp('uname')}`, exit: 1 };
			}
		} else return { stdout: '', stderr: `uname: extra operand ‘${a}’\n${tryHelp('uname')}`, exit: 1 };
	}
	if (want.size === 0) want.add('s');
	const invented = UNAME.find(([s]) => want.has(s) && 'rvmpi'.includes(s));
	if (invented) {
		return { stdout: '', stderr: `uname: the ${invented[1].replace('-', ' ')} is not available in this simulator (there is no kernel here: it models Linux networking in your browser)\n`, exit: 1 };
	}
	const value: Record<string, string> = { s: 'Linux', n: ctx.host.hostname, o: 'GNU/Linux' };
	return { stdout: `${UNAME.filter(([s]) => want.has(s)).map(([s]) => value[s]).join(' ')}\n`, stderr: '', exit: 0 };
};

/** bash's `pwd`: the shell never leaves root's home. */
const pwd: Tool = (argv, ctx) => {
	const bad = argv.find((a) => a.startsWith('-') && !/^-[LP]+$/.test(a) && a !== '--');
	if (bad) return { stdout: '', stderr: `${ctx.where ?? 'bash: line 1: '}pwd: ${bad.slice(0, 2)}: invalid option\npwd: usage: pwd [-LP]\n`, exit: 2 };
	return { stdout: `${HOME}\n`, stderr: '', exit: 0 };
};

/**
 * bash's `cd`: staying in (or going back to) /root works; a directory that is not there fails as
 * in bash; any other directory says that changing directory is not simulated.
 */
function cd(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const where = `${ctx.where ?? 'bash: line 1: '}cd: `;
		const args = argv.filter((a) => !/^-[LPe@]+$/.test(a));
		if (args.length > 1) return { stdout: '', stderr: `${where}too many arguments\n`, exit: 1 };
		const target = args[0] ?? '~';
		if (target === '-') return { stdout: '', stderr: `${where}OLDPWD not set\n`, exit: 1 };
		const path = target === '~' || target.startsWith('~/') ? HOME + target.slice(1) : target;
		const vfs = vfsOf(ctx);
		if (!vfs.isDir(path)) {
			const file = vfs.readFile(path, ctx.ns);
			const missing = !file.ok && (file.error === 'ENOENT' || file.error === 'ENOSIM');
			return { stdout: '', stderr: `${where}${target}: ${missing ? 'No such file or directory' : 'Not a directory'}\n`, exit: 1 };
		}
		if (normalise(path) === HOME) return { stdout: '', stderr: '', exit: 0 };
		return { stdout: '', stderr: `${where}${target}: not available in this simulator (the shell stays in ${HOME}: give full paths instead)\n`, exit: 1 };
	};
}

/** The session tools, by name. */
export function sessionTools(vfsOf: VfsOf): Record<string, Tool> {
	return { whoami, uname, pwd, cd: cd(vfsOf) };
}

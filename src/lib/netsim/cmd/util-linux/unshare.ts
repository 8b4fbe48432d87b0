/**
 * util-linux's unshare: runs a command in new namespaces. Modelled: a network namespace
 * (`--net`) and a user namespace (`--user`, `--map-root-user`), which a user other than root needs
 * before the kernel lets it make a network namespace. In the background (`unshare --net sleep
 * 600 &`) the command is a process that holds its namespace until it exits or is killed.
 */
import { netnsCreate } from '../../kernel/netns.ts';
import { netAdmin, netnsRelease } from '../../kernel/process.ts';
import type { Cred } from '../../model/process.ts';
import type { Tool } from '../../tool/types.ts';
import { decline } from './decline.ts';

const INSTEAD = 'unshare --net, --user and --map-root-user are';

/** unshare [--net] [--user] [--map-root-user] [CMD…]. */
export const unshare: Tool = (argv, ctx) => {
	let net = false;
	let user = false;
	let mapRoot = false;
	let i = 0;
	for (; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '--') {
			i++;
			break;
		}
		if (!a.startsWith('-') || a === '-') break;
		if (a === '--net' || a === '--network') net = true;
		else if (a === '--user') user = true;
		else if (a === '--map-root-user') mapRoot = user = true;
		else if (/^-[nUr]+$/.test(a)) {
			net ||= a.includes('n');
			user ||= /[Ur]/.test(a);
			mapRoot ||= a.includes('r');
		} else return decline('unshare', `option ${a}`, `${INSTEAD} modelled`);
	}
	const cmd = argv.slice(i);
	let cred: Cred | undefined = ctx.cred;
	const userns = user ? { inode: 0xf0000000 + 700 + ctx.world.namespaces.length } : undefined;
	if (userns) cred = { uid: mapRoot ? 0 : 65534, userns };
	// A new network namespace needs CAP_SYS_ADMIN in the user namespace that will own it.
	else if (net && !netAdmin(ctx.cred, ctx.host.root))
		return { stdout: '', stderr: 'unshare: unshare failed: Operation not permitted\n', exit: 1 };
	let ns = ctx.ns;
	if (net) {
		ns = netnsCreate(ctx.world);
		ns.owner = userns ?? ctx.cred?.userns;
	}
	// With nothing to run, unshare starts a shell (${SHELL:-/bin/sh}).
	const r = ctx.run({ ...ctx, ns, cred }, cmd.length ? cmd : ['sh']);
	// A process started in it (sleep in the background) keeps the namespace; else it goes now.
	if (net) netnsRelease(ctx.world, ns);
	if (r.exit === 127 && /: command not found\n$/.test(r.stderr)) return { ...r, stderr: `unshare: failed to execute ${cmd[0]}: No such file or directory\n`, exit: 127 };
	return r;
};

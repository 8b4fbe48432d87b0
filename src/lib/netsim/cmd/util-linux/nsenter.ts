/**
 * util-linux's nsenter: runs a command in another process's network namespace (`-t PID -n`) or
 * in the namespace a file names (`--net=/proc/PID/ns/net`, `--net=/run/netns/NAME`). Other
 * namespace types decline: the simulator keeps network namespaces only.
 */
import { netnsAtPath } from '../../shell/proc-pid.ts';
import { normalise } from '../../shell/vfs.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';
import { decline } from './decline.ts';

const INSTEAD = 'nsenter -t PID -n CMD and nsenter --net=FILE CMD are modelled';

/** nsenter -t PID -n [CMD…] | nsenter --net=FILE [CMD…], for a host file system accessor. */
export const nsenter = (vfsOf: VfsOf): Tool => (argv, ctx) => {
	let target: string | undefined;
	let net = false;
	let file: string | undefined;
	let i = 0;
	for (; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '--') {
			i++;
			break;
		}
		if (!a.startsWith('-') || a === '-') break;
		if (a === '-t' || a === '--target') {
			target = argv[++i];
			if (target === undefined) return { stdout: '', stderr: `nsenter: option requires an argument -- '${a === '-t' ? 't' : 'target'}'\nTry 'nsenter --help' for more information.\n`, exit: 1 };
		} else if (a.startsWith('--target=')) target = a.slice(9);
		else if (/^-t\d+$/.test(a)) target = a.slice(2);
		else if (a === '-n' || a === '--net') net = true;
		else if (a.startsWith('--net=')) {
			net = true;
			file = a.slice(6);
		} else if (/^-n./.test(a)) {
			net = true;
			file = a.slice(2);
		} else return decline('nsenter', `option ${a}`, INSTEAD);
	}
	if (!net) return decline('nsenter', 'entering namespaces other than the network namespace', INSTEAD);
	if (target !== undefined && !/^\d+$/.test(target)) return { stdout: '', stderr: `nsenter: failed to parse pid: '${target}'\n`, exit: 1 };
	if (file === undefined && target === undefined) return { stdout: '', stderr: 'nsenter: neither filename nor target pid supplied for ns/net\n', exit: 1 };
	const path = file ?? `/proc/${target}/ns/net`;
	const ns = netnsAtPath(ctx.host, ctx.ns, normalise(path));
	if (!ns) {
		// A file that opens but is no network namespace: setns(2) refuses it.
		if (vfsOf(ctx).exists(path, ctx.ns)) return { stdout: '', stderr: "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n", exit: 1 };
		return { stdout: '', stderr: `nsenter: cannot open ${path}: No such file or directory\n`, exit: 1 };
	}
	const cmd = argv.slice(i);
	// With nothing to run, nsenter starts ${SHELL:-/bin/sh}.
	const r = ctx.run({ ...ctx, ns }, cmd.length ? cmd : ['sh']);
	if (r.exit === 127 && /: command not found\n$/.test(r.stderr)) return { ...r, stderr: `nsenter: failed to execute ${cmd[0]}: No such file or directory\n`, exit: 127 };
	return r;
};

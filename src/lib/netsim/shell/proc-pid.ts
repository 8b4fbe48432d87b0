/**
 * /proc/PID: the processes of a host as the files there show them. PID 1 is the host's init (in
 * the host's own namespaces), `self` the process reading, other PIDs the processes the simulator
 * keeps (`host.procs`; servers
 * started with `&` are not among them). What a reader uses: `comm`, `cmdline`,
 * and the namespace links in `ns/` (readlink gives `net:[4026532444]`; a path to one names that
 * namespace, for nsenter, ip and the CNI plugins).
 */
import type { Netns } from '../model/netns.ts';
import { hostNsInode, NS_TYPES, netnsInode, procComm } from '../model/process.ts';
import type { Host } from '../model/world.ts';

/** What /proc shows of one process. */
interface ProcView {
	argv: string[];
	ns: Netns;
}

const PROC_PATH = /^\/proc\/(\d+|self|thread-self)(?:\/(.*))?$/;

/** The process a /proc entry names, seen from a process in `self`; undefined when there is none. */
export function procByPid(host: Host, self: Netns, pid: string): ProcView | undefined {
	if (pid === 'self' || pid === 'thread-self') return { argv: ['bash'], ns: self };
	if (pid === '1') return { argv: ['init'], ns: host.root };
	return host.procs.get(Number(pid));
}

/** The inode text of a process's namespace of `type` (`net:[4026532444]`). */
function nsLink(host: Host, view: ProcView, type: string): string {
	const index = [...view.ns.world.hosts.values()].indexOf(host);
	const inode = type === 'net' ? netnsInode(view.ns) : hostNsInode(index, type);
	return `${type.replace(/_for_children$/, '')}:[${inode}]`;
}

/** A file under /proc/PID: its text, an error, or undefined when the path is no /proc/PID path. */
export function procPidFile(host: Host, self: Netns, path: string): { ok: true; value: string } | { ok: false; error: 'ENOENT' | 'EISDIR' | 'EINVAL' } | undefined {
	const m = PROC_PATH.exec(path);
	if (!m) return undefined;
	const view = procByPid(host, self, m[1] as string);
	if (!view) return { ok: false, error: 'ENOENT' };
	const rest = m[2] ?? '';
	if (rest === '' || rest === 'ns') return { ok: false, error: 'EISDIR' };
	if (rest === 'comm') return { ok: true, value: `${procComm({ pid: 0, argv: view.argv, ns: view.ns })}\n` };
	if (rest === 'cmdline') return { ok: true, value: view.argv.map((a) => `${a}\0`).join('') };
	if (rest.startsWith('ns/') && (NS_TYPES as readonly string[]).includes(rest.slice(3))) return { ok: false, error: 'EINVAL' };
	return { ok: false, error: 'ENOENT' };
}

/** The entries of /proc/PID/ns, or undefined when the path is not such a directory. */
export function procPidList(host: Host, self: Netns, path: string): string[] | undefined {
	const m = PROC_PATH.exec(path);
	if (!m || m[2] !== 'ns') return undefined;
	return procByPid(host, self, m[1] as string) ? [...NS_TYPES] : undefined;
}

/** readlink of a /proc/PID/ns/TYPE link (`net:[4026532444]`), or undefined. */
export function procPidLink(host: Host, self: Netns, path: string): string | undefined {
	const m = PROC_PATH.exec(path);
	const type = m?.[2]?.startsWith('ns/') ? m[2].slice(3) : undefined;
	if (!m || type === undefined || !(NS_TYPES as readonly string[]).includes(type)) return undefined;
	const view = procByPid(host, self, m[1] as string);
	return view ? nsLink(host, view, type) : undefined;
}

/**
 * The network namespace a path names, as open(2) of it gives one to setns: a process's
 * /proc/PID/ns/net, or a name pinned in /run/netns (also through /var/run); undefined otherwise.
 */
export function netnsAtPath(host: Host, self: Netns, path: string): Netns | undefined {
	const named = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(path);
	if (named) return host.named.get(named[1] as string);
	const m = PROC_PATH.exec(path);
	if (!m || m[2] !== 'ns/net') return undefined;
	return procByPid(host, self, m[1] as string)?.ns;
}

/** `ip netns`: list, add, delete, exec, identify, pids, set, list-id. */
import { netnsCreate, nsidSet } from '../../kernel/netns.ts';
import { netnsRelease } from '../../kernel/process.ts';
import type { Netns } from '../../model/netns.ts';
import { Printer } from '../../print/printer.ts';
import { USAGE_IP_NETNS } from '../usage.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { fsMessage, type Vfs } from '../../shell/vfs.ts';
import type { Context, ExecResult } from '../../tool/types.ts';
import type { IpCtx, IpOut } from './common.ts';
import { incomplete, invarg, must } from './errors.ts';
import { getInteger } from './link-args.ts';

function netnsList(ic: IpCtx): IpOut {
	const p = new Printer(ic.opts.json);
	p.openArray();
	const names = [...ic.ctx.host.named.entries()].reverse();
	for (const [name, ns] of names) {
		p.openObject();
		p.str('name', '%s', name);
		const id = ic.ns.nsid(ns, false);
		if (id !== undefined) p.num('id', ' (id: %d)', id);
		p.close();
		p.out('\n');
	}
	p.close();
	return { stdout: p.result() };
}

/**
 * iproute2's netns_switch, for `ip -n NAME` and `ip netns exec NAME`: the named namespace (or
 * ip's error when there is none), in a mount namespace of the command's own where every entry of
 * /etc/netns/NAME is bind-mounted over the same name in /etc (bind_etc, in readdir's order), so
 * that /etc/netns/NAME/resolv.conf is the command's /etc/resolv.conf. A bind that fails (no such
 * file in /etc, a directory for a file) is reported and skipped; no /etc/netns/NAME, no binds.
 */
export function netnsSwitch(ctx: Context, vfs: Vfs, name: string): { ctx: Context; stderr: string } {
	const ns = ctx.host.named.get(name);
	if (!ns) throw new ToolExit(255, `Cannot open network namespace "${name}": No such file or directory\n`);
	const dir = `/etc/netns/${name}`;
	const entries = name.length < 255 ? vfs.readdir(dir) : undefined;
	let binds = ctx.binds ?? new Map<string, string>();
	let stderr = '';
	for (const entry of entries?.ok ? entries.value : []) {
		const bound = vfs.view(binds).bind(`${dir}/${entry}`, `/etc/${entry}`);
		if (bound.ok) binds = bound.value;
		else stderr += `Bind ${dir}/${entry} -> /etc/${entry} failed: ${fsMessage(bound.error)}\n`;
	}
	return { ctx: binds.size ? { ...ctx, ns, binds } : { ...ctx, ns }, stderr };
}

function validName(name: string): boolean {
	return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && name.length < 256;
}

/** The network namespace of process PID (/proc/PID/ns/net), if there is such a process. */
function pidNetns(ic: IpCtx, pid: string): Netns | undefined {
	if (!/^\d+$/.test(pid)) return undefined;
	if (pid === '1') return ic.ctx.host.root;
	const proc = ic.ctx.host.procs.get(Number(pid));
	if (proc) return proc.ns;
	return ic.ctx.stack.listeners.find((l) => String(l.pid) === pid)?.ns;
}

/** Entry point for `ip netns …`. */
export function ipNetns(ic: IpCtx, argv: string[]): IpOut | ExecResult {
	const a = new Args(argv);
	const w = a.cur;
	const host = ic.ctx.host;
	if (w === undefined) return netnsList(ic);
	const name = a.next();
	if (matches(w, 'list') || w === 'show') return netnsList(ic);
	if (matches(w, 'add')) {
		if (name === undefined) throw new ToolExit(1, 'No netns name specified\n');
		if (!validName(name)) throw new ToolExit(255, `Invalid netns name "${name}"\n`);
		if (host.named.has(name)) throw new ToolExit(1, `Cannot create namespace file "/run/netns/${name}": File exists\n`);
		host.named.set(name, netnsCreate(ic.ns.world));
		return { stdout: '' };
	}
	if (matches(w, 'delete')) {
		if (name === undefined) throw new ToolExit(1, 'No netns name specified\n');
		if (a.next() === undefined && name === '-a' || name === '-all') {
			const all = [...host.named.values()];
			host.named.clear();
			for (const ns of all) netnsRelease(ic.ns.world, ns);
			return { stdout: '' };
		}
		const ns = host.named.get(name);
		if (!ns) throw new ToolExit(1, `Cannot remove namespace file "/run/netns/${name}": No such file or directory\n`);
		host.named.delete(name);
		// A process still in it (ip netns attach) keeps it alive.
		netnsRelease(ic.ns.world, ns);
		return { stdout: '' };
	}
	if (matches(w, 'attach')) {
		// netns_add without create: the name first, then a bind mount of /proc/PID/ns/net on it.
		const pid = a.next();
		if (name !== undefined && !validName(name)) throw new ToolExit(255, `Invalid netns name "${name}"\n`);
		if (name === undefined || pid === undefined) throw new ToolExit(1, 'No netns name and PID specified\n');
		const n = getInteger(pid);
		if (n === undefined || n === 0) throw new ToolExit(1, `Invalid PID: ${pid}\n`);
		if (host.named.has(name)) throw new ToolExit(1, `Cannot create namespace file "/run/netns/${name}": File exists\n`);
		const ns = pidNetns(ic, String(n));
		if (!ns) throw new ToolExit(1, `Bind /proc/${n}/ns/net -> /run/netns/${name} failed: No such file or directory\n`);
		host.named.set(name, ns);
		return { stdout: '' };
	}
	if (matches(w, 'exec')) {
		if (name === undefined) throw new ToolExit(1, 'No netns name specified\n');
		a.next();
		const cmd = a.rest();
		// The command is asked for before the namespace is opened.
		if (cmd.length === 0) throw new ToolExit(1, 'No command specified\n');
		const switched = netnsSwitch(ic.ctx, ic.vfs, name);
		const r = ic.ctx.run(switched.ctx, cmd);
		// execvp fails before any shell could say `command not found` (the child exits 1); a tool
		// the simulator knows it does not model still says so.
		if (r.exit === 127 && !/: not available in this simulator /.test(r.stderr)) return { stdout: r.stdout, stderr: `${switched.stderr}exec of "${cmd[0]}" failed: No such file or directory\n`, exit: 1 };
		return switched.stderr ? { ...r, stderr: switched.stderr + r.stderr } : r;
	}
	if (matches(w, 'identify')) {
		// A PID names a process's namespace: PID 1 (the host's init, `$$`), the processes the
		// simulator keeps (unshare --net sleep 600 &) and its servers.
		let target = ic.ns;
		if (name !== undefined) {
			if (a.next() !== undefined) throw new ToolExit(1, 'extra arguments specified\n');
			const ns = pidNetns(ic, name);
			if (!ns) throw new ToolExit(1, 'Cannot open network namespace: No such file or directory\n');
			target = ns;
		}
		let found = '';
		for (const [n, ns] of host.named) if (ns === target) found = n;
		return { stdout: `${found}\n` };
	}
	if (matches(w, 'pids')) {
		if (name === undefined) throw new ToolExit(1, 'No netns name specified\n');
		const ns = host.named.get(name);
		if (!ns) throw new ToolExit(1, 'Cannot open network namespace: No such file or directory\n');
		const procs = [...host.procs.values()].filter((p) => p.ns === ns).map((p) => p.pid);
		const pids = [...new Set([...procs, ...ic.ctx.stack.listeners.filter((l) => l.ns === ns).map((l) => l.pid)])].sort((a, b) => a - b);
		return { stdout: pids.map((p) => `${p}\n`).join('') };
	}
	if (matches(w, 'set')) {
		const id = a.next();
		if (name === undefined) throw new ToolExit(1, 'No netns name specified\n');
		if (id === undefined) throw new ToolExit(1, 'No nsid specified\n');
		// The id is read before the namespace is opened.
		const n = id === 'auto' ? -1 : getInteger(id);
		if (n === undefined) invarg('Invalid "netnsid" value', id);
		if (id !== 'auto' && n < 0) invarg('"netnsid" value should be >= 0', id);
		const ns = host.named.get(name);
		if (!ns) throw new ToolExit(1, `Cannot open network namespace "${name}": No such file or directory\n`);
		must(nsidSet(ic.ns, ns, id === 'auto' ? 'auto' : n));
		return { stdout: '' };
	}
	if (matches(w, 'list-id')) {
		// Its selectors take numbers (the listing itself is not filtered by them).
		for (let x = a.cur; x !== undefined; x = a.next()) {
			if (x !== 'target-nsid' && x !== 'nsid') continue;
			const v = a.next();
			if (v === undefined) incomplete();
			if (!/^\d+$/.test(v)) invarg(`"${x}" value is invalid`, v);
		}
		const p = new Printer(ic.opts.json);
		p.openArray();
		const entries = [...ic.ns.nsids.entries()].sort((x, y) => x[1] - y[1]);
		for (const [ns, id] of entries) {
			p.openObject();
			p.num('nsid', 'nsid %u ', id);
			for (const [n, x] of host.named) if (x === ns) p.str('name', '(iproute2 netns name: %s)', n);
			p.close();
			p.out('\n');
		}
		p.close();
		return { stdout: p.result() };
	}
	if (matches(w, 'help')) throw new ToolExit(255, NETNS_USAGE);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip netns help".\n`);
}

const NETNS_USAGE = USAGE_IP_NETNS;

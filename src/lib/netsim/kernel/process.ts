/**
 * Processes and the namespaces they hold: a network namespace lives while a process is in it or
 * a name in some /run/netns pins it (a bind mount of /proc/PID/ns/net); when the last of them
 * goes, the kernel destroys it, and its devices with it (a veth's peer elsewhere too).
 */
import type { Cred, Proc } from '../model/process.ts';
import type { Netns } from '../model/netns.ts';
import type { Host, World } from '../model/world.ts';
import { netnsDestroy } from './netns.ts';

/** True while something holds the namespace: a host's root, a name, a process. */
export function netnsHeld(world: World, ns: Netns): boolean {
	for (const host of world.hosts.values()) {
		if (host.root === ns) return true;
		for (const n of host.named.values()) if (n === ns) return true;
		for (const p of host.procs.values()) if (p.ns === ns) return true;
	}
	return world.infra?.wires === ns || world.infra?.upstream === ns;
}

/** Drops a reference: the namespace is destroyed when nothing holds it any more (put_net). */
export function netnsRelease(world: World, ns: Netns): void {
	if (ns.alive && !netnsHeld(world, ns)) netnsDestroy(ns);
}

/**
 * Starts a process that stays (a background job that sleeps): it holds its namespace until it
 * exits, after `seconds` of virtual time when given (`sleep 600`), else when killed.
 */
export function procStart(world: World, host: Host, pid: number, argv: string[], ns: Netns, cred?: Cred, seconds?: number): Proc {
	const proc: Proc = { pid, argv, ns, cred };
	host.procs.set(pid, proc);
	if (seconds !== undefined && Number.isFinite(seconds)) world.at(world.now + seconds * 1000, () => procExit(world, host, proc));
	return proc;
}

/** A process exits (or is killed): its namespace goes unless something else holds it. */
export function procExit(world: World, host: Host, proc: Proc): void {
	if (host.procs.get(proc.pid) !== proc) return;
	host.procs.delete(proc.pid);
	netnsRelease(world, proc.ns);
}

/**
 * CAP_NET_ADMIN over a namespace: root of the host's user namespace has it everywhere; root of a
 * user namespace of its own (`unshare --user --map-root-user`) only over the namespaces it owns;
 * any other uid nowhere.
 */
export function netAdmin(cred: Cred | undefined, ns: Netns): boolean {
	if (cred === undefined) return true;
	if (cred.uid !== 0) return false;
	return cred.userns === undefined || ns.owner === cred.userns;
}

/**
 * Network namespaces: creating and destroying them, the ids one namespace gives another
 * (RTM_NEWNSID), and moving a device between them (dev_change_net_namespace).
 */
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import { ok, refuse, type Result } from './errno.ts';
import { setMaster } from './port.ts';

/** A new namespace, with its `lo` (unshare(CLONE_NEWNET)). */
export function netnsCreate(world: World): Netns {
	return world.createNetns();
}

/** Destroys a namespace once nothing holds it: its devices go, veth peers with them. */
export function netnsDestroy(ns: Netns): void {
	ns.world.destroyNetns(ns);
}

/** Gives `other` an id in `ns` (EEXIST when it has one, or the id is taken); 'auto' takes the lowest free. */
export function nsidSet(ns: Netns, other: Netns, id: number | 'auto'): Result {
	// rtnl_net_newid: a namespace keeps the id it has; an id names one namespace.
	if (ns.nsid(other, false) !== undefined) return refuse('EEXIST', 'Peer netns already has a nsid assigned.');
	if (id === 'auto') {
		ns.nsid(other, true);
		return ok();
	}
	if ([...ns.nsids.values()].includes(id)) return refuse('EEXIST', 'The specified nsid is already used.');
	ns.nsids.set(other, id);
	return ok();
}

/**
 * Moves a device to another namespace: it goes down, leaves its bridge, loses its addresses,
 * routes and neighbours, and registers afresh there (keeping its ifindex when free, qdisc noop).
 * The caller has checked that the move is allowed (linkChange: not lo, the name free there).
 */
export function linkMove(link: Link, target: Netns): void {
	const from = link.ns;
	const world = from.world;
	const peer = link.peer;
	const peerHadCarrier = peer?.running() === true;
	world.linkwatchSync(link);
	if (link.adminUp) from.linkDown(link);
	if (link.master) setMaster(link, null);
	from.addrs = from.addrs.filter((x) => x.link !== link);
	from.flushLinkState(link);
	from.links = from.links.filter((l) => l !== link);
	link.qdisc = 'noop';
	// Registered afresh in its new namespace: IPv6 joins all-nodes again.
	link.mcGroups = ['all-nodes'];
	link.v6Ready = false;
	// The old namespace gets an id for the new one when it announces the move.
	from.nsid(target, true);
	link.ns = target;
	link.ifindex = target.allocIfindex(link.ifindex);
	target.insertLink(link);
	// A peer that loses carrier now gets its operstate from linkwatch, which runs after the move
	// (World's refresh): since Linux 6.12 LOWERLAYERDOWN only beside the device, DOWN when it went
	// to another namespace; before, DOWN once it had gone too. The device that moved keeps the
	// operstate it had, unless it loses carrier now.
	if (peer && peer.adminUp && peerHadCarrier) peer.operOverride = peer.operOnCarrierLoss() ?? (peer.ns !== target ? 'DOWN' : undefined);
	world.linkEvent(link);
	if (link.peer) world.linkEvent(link.peer);
}

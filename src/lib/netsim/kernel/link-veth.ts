/** The veth driver (drivers/net/veth.c): a pair of devices, each the other's peer, possibly in two namespaces. */
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';
import { allocName, type NewLinkAttrs } from './newlink.ts';

/**
 * Creates a veth pair: `main` in `ns`, `peer` in `peerNs`. The peer is registered first, so it
 * gets the lower ifindex and the first random MAC; a name clash between the two (or with the
 * peer's automatic `veth%d` name) is EEXIST. Returns [main, peer].
 */
export function vethCreate(ns: Netns, main: NewLinkAttrs, peerNs: Netns, peer: NewLinkAttrs): Result<[Link, Link]> {
	const world = ns.world;
	if (peer.name && peerNs.link(peer.name)) return refuse('EEXIST');
	if (peer.name && main.name === peer.name && peerNs === ns) return refuse('EEXIST');
	const peerName = peer.name ?? allocName('veth', peerNs);
	const mainName = main.name ?? allocName('veth', ns, peerNs === ns ? [peerName] : []);
	if (peerNs === ns && mainName === peerName) return refuse('EEXIST');
	const p = peerNs.addLink(peerName, 'veth', peer.address ?? world.mac());
	const l = ns.addLink(mainName, 'veth', main.address ?? world.mac());
	l.peer = p;
	p.peer = l;
	if (main.mtu) l.mtu = main.mtu;
	if (peer.mtu) p.mtu = peer.mtu;
	if (main.txqlen !== undefined) l.txqlen = main.txqlen;
	if (peer.txqlen !== undefined) p.txqlen = peer.txqlen;
	world.linkEvent(p);
	world.linkEvent(l);
	// A new pair has no carrier: linkwatch stores each end's operstate when it next runs.
	world.linkwatch(p);
	world.linkwatch(l);
	if (main.up) ns.linkUp(l);
	if (peer.up) peerNs.linkUp(p);
	return ok([l, p]);
}

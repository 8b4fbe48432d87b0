/**
 * Ethernet NICs: hardware, which no `ip link add` creates. A lab built for a VM target gets them
 * where its definition says `uplink` (src/lib/engines/vm: two virtio NICs on a QEMU hub, one
 * moved into the host and renamed, the other into the hidden wires), as a Pi has its own port.
 */
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';
import type { NewLinkAttrs } from './newlink.ts';

/**
 * Two NICs joined by a cable (the VM's hub): `near` in `ns`, `far` in `farNs`, registered in that
 * order. Returns [near, far].
 */
export function nicPair(ns: Netns, near: NewLinkAttrs & { name: string }, farNs: Netns, far: NewLinkAttrs & { name: string }): Result<[Link, Link]> {
	const world = ns.world;
	if (ns.link(near.name) || farNs.link(far.name) || (ns === farNs && near.name === far.name)) return refuse('EEXIST');
	const n = ns.addLink(near.name, 'nic', near.address ?? world.mac());
	const f = farNs.addLink(far.name, 'nic', far.address ?? world.mac());
	n.wire = f;
	f.wire = n;
	world.linkEvent(n);
	world.linkEvent(f);
	return ok([n, f]);
}

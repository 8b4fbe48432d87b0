/** The macvlan driver: a device with its own MAC on top of a lower device, sharing its wire. */
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';
import { allocName, type NewLinkAttrs } from './newlink.ts';

/** The modes the driver knows (`mode …`). */
export const MACVLAN_MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'];

/** Creates a macvlan on `lower` (EINVAL without one); it takes the lower device's MTU. */
export function macvlanCreate(ns: Netns, attrs: NewLinkAttrs, lower: Link | undefined, mode: string): Result<Link> {
	if (!lower) return refuse('EINVAL');
	const l = ns.addLink(attrs.name ?? allocName('macvlan', ns), 'macvlan', attrs.address ?? ns.world.mac());
	l.lower = lower;
	l.macvlanMode = mode;
	l.mtu = lower.mtu;
	ns.world.linkEvent(l);
	if (attrs.up) ns.linkUp(l);
	return ok(l);
}

/** The vxlan driver: a device that carries its frames in UDP through an underlay. */
import type { Link, VxlanInfo } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';
import { allocName, type NewLinkAttrs } from './newlink.ts';

/** The kernel's default destination port when none is given (Linux's, not IANA's 4789). */
export const VXLAN_DEFAULT_PORT = 8472;

/** Creates a VXLAN device with its parameters. */
export function vxlanCreate(ns: Netns, attrs: NewLinkAttrs, info: VxlanInfo): Result<Link> {
	const l = ns.addLink(attrs.name ?? allocName('vxlan', ns), 'vxlan', attrs.address ?? ns.world.mac());
	l.vxlan = info;
	if (attrs.up) ns.linkUp(l);
	return ok(l);
}

/** vxlan_validate: a VXLAN device needs its VNI (IFLA_VXLAN_ID). */
export function vxlanValidate(hasId: boolean): Result {
	return hasId ? ok() : refuse('EINVAL', 'Required attributes not provided to perform the operation.');
}

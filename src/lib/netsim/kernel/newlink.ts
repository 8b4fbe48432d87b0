/**
 * What every new link goes through before its kind's driver sees it (rtnl_newlink): the driver
 * for the type asked, the name's policy and uniqueness, the MTU's bounds; and the `%d` names the
 * kernel gives devices created without one (dev_alloc_name).
 */
import type { Mac } from '../addr/mac.ts';
import type { LinkKind } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/**
 * Drivers this kernel has, by the name `type` gives (no dummy, vlan, ipvlan, bonding: see
 * KERNEL-FACTS); macvtap is served by the macvlan driver.
 */
const DRIVERS: Record<string, LinkKind> = { veth: 'veth', bridge: 'bridge', vxlan: 'vxlan', macvlan: 'macvlan', macvtap: 'macvlan' };

/** The kind of device a `type` creates, or EOPNOTSUPP when the kernel has no such driver. */
export function linkDriver(type: string): Result<LinkKind> {
	const kind = DRIVERS[type];
	return kind ? ok(kind) : refuse('EOPNOTSUPP', 'Unknown device type.');
}

/**
 * The checks every new device passes, in rtnl_newlink's order: a name within IFNAMSIZ (the
 * attribute policy), the kind's own validation of its options, a name not taken, a driver for the
 * type (when one is named), a whole Ethernet address, an MTU in bounds.
 */
export function checkNewLink(ns: Netns, name: string | undefined, mtu: number | undefined, more: NewLinkRequest = {}): Result {
	const { type, validate, address } = more;
	if (name !== undefined && name.length > 15) return refuse('EINVAL', 'Attribute failed policy validation.');
	if (validate && type !== undefined && DRIVERS[type]) {
		const valid = validate();
		if (!valid.ok) return valid;
	}
	if (name && ns.link(name)) return refuse('EEXIST');
	if (type !== undefined && !DRIVERS[type]) return linkDriver(type) as Result;
	// An Ethernet address must be whole (the driver's device takes ETH_ALEN bytes).
	if (address !== undefined && address.length !== 6) return refuse('EINVAL');
	if (mtu !== undefined && (mtu < 68 || mtu > 65535)) return refuse('EINVAL', mtu < 68 ? 'mtu less than device minimum.' : 'mtu greater than device maximum.');
	return ok();
}

/** What else a new device's request says that the common checks look at. */
export interface NewLinkRequest {
	/** The `type` asked for: its driver must exist. */
	type?: string | undefined;
	/** The kind's own validation of its options (ops->validate), run when its driver exists. */
	validate?: (() => Result) | undefined;
	/** IFLA_ADDRESS as given. */
	address?: Mac | undefined;
}

/** The first free `base%d` name in a namespace, skipping names about to be taken. */
export function allocName(base: string, ns: Netns, taken: readonly string[] = []): string {
	for (let i = 0; ; i++) if (!ns.link(`${base}${i}`) && !taken.includes(`${base}${i}`)) return `${base}${i}`;
}

/** What a request may say about any new device (IFLA_IFNAME, IFLA_ADDRESS, IFLA_MTU, IFLA_TXQLEN, IFF_UP). */
export interface NewLinkAttrs {
	name?: string | undefined;
	address?: Mac | undefined;
	mtu?: number | undefined;
	txqlen?: number | undefined;
	up?: boolean | undefined;
}

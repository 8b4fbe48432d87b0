/**
 * Changing and deleting devices (do_setlink, rtnl_dellink), in the kernel's order: every check,
 * then each change; a refusal part-way leaves the earlier changes made, as on Linux.
 */
import type { Mac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';
import { bridgeChange, type BridgeOptions } from './link-bridge.ts';
import { linkMove } from './netns.ts';
import { setMaster } from './port.ts';

/** What `ip link set` may ask of a device (IFLA_* attributes of RTM_NEWLINK on an existing one). */
interface LinkChange {
	/** A new name (checked against the namespace's other devices). */
	name?: string | undefined;
	mtu?: number | undefined;
	netns?: Netns | undefined;
	/** Options of the bridge kind (`type bridge …`). */
	bridge?: BridgeOptions | undefined;
	/** A bridge to enslave the device to, or null to release it. */
	master?: Link | null | undefined;
	address?: Mac | undefined;
	txqlen?: number | undefined;
	alias?: string | undefined;
	up?: boolean | undefined;
}

/** Applies a change to a device, or refuses it. */
export function linkChange(link: Link, c: LinkChange): Result {
	const ns = link.ns;
	const world = ns.world;
	const rename = c.name !== undefined && c.name !== link.name ? c.name : undefined;
	if (rename !== undefined && ns.link(rename)) return refuse('EEXIST');
	// eth_mac_addr: a device's own address is never a group (multicast, broadcast) or zero address.
	if (c.address && (c.address.length !== 6 || (c.address[0]! & 1) === 1 || c.address.every((b) => b === 0))) return refuse(c.address.length !== 6 ? 'EINVAL' : 'EADDRNOTAVAIL');
	if (c.mtu !== undefined) {
		const max = link.kind === 'loopback' ? 0xffffffff : 65535;
		if (c.mtu > max) return refuse('EINVAL', 'mtu greater than device maximum.');
		if (c.mtu < 68) return refuse('EINVAL', 'mtu less than device minimum.');
	}
	const move = c.netns && c.netns !== ns ? c.netns : undefined;
	if (move) {
		if (link.kind === 'loopback') return refuse('EINVAL', 'The interface netns is immutable.');
		if (move.link(link.name)) return refuse('EEXIST');
	}
	// Options for a kind the device is not: the kernel has no changelink to give them to.
	if (c.bridge && Object.keys(c.bridge).length && link.kind !== 'bridge') return refuse('EOPNOTSUPP');
	if (c.bridge) {
		const changed = bridgeChange(link, c.bridge);
		if (!changed.ok) return changed;
	}
	if (c.master && c.master !== link.master && (c.master.kind !== 'bridge' || link.kind === 'bridge')) {
		// The kernel lets go of the old master before it tries the new one.
		if (link.master) setMaster(link, null);
		// A device with no ndo_add_slave refuses; a bridge takes no bridge as a port (br_add_if).
		return c.master.kind === 'bridge' ? refuse('ELOOP', 'Can not enslave a bridge to a bridge.') : refuse('EOPNOTSUPP');
	}
	if (rename !== undefined) link.name = rename;
	if (c.address) {
		link.mac = c.address;
		world.addressChanged(link);
		if (link.kind === 'bridge') link.macFixed = link.hadPorts = true;
		if (link.master) world.updateBridgeMac(link.master);
	}
	if (c.mtu !== undefined) link.mtu = c.mtu;
	if (c.txqlen !== undefined) link.txqlen = c.txqlen;
	if (c.alias !== undefined) link.alias = c.alias;
	if (c.master !== undefined) setMaster(link, c.master);
	if (move) linkMove(link, move);
	if (c.up === true) link.ns.linkUp(link);
	if (c.up === false) link.ns.linkDown(link);
	world.refreshAll();
	return ok();
}

/** Brings a device up (IFF_UP): qdisc, kernel routes of its addresses, IPv6 link-local, lo's addresses. */
export function linkUp(link: Link): void {
	link.ns.linkUp(link);
}

/** Brings a device down: its routes (but those of scope host) and IPv6 addresses go, neighbours flush. */
export function linkDown(link: Link): void {
	link.ns.linkDown(link);
}

/** IFLA_CARRIER: only drivers with ndo_change_carrier (dummy, not modelled) take it. */
export function linkSetCarrier(_link: Link): Result {
	return refuse('EOPNOTSUPP');
}

/** Deletes a device (and a veth's peer): EOPNOTSUPP for lo and NICs, whose drivers delete nothing. */
export function linkDelete(link: Link): Result {
	if (link.kind === 'loopback' || link.kind === 'nic') return refuse('EOPNOTSUPP');
	link.ns.world.deleteLink(link);
	return ok();
}

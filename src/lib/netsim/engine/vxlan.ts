/**
 * VXLAN: a frame sent on a vxlan device travels in UDP through the underlay (so the underlay's
 * routes, firewall and MTU apply) to the remotes its fdb names; a datagram for a local vxlan
 * device's VNI and port comes out of that device as the original frame.
 */
import { isGroupMac, sameMac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { clonePacket, frameLen, type Frame, type Ip4 } from '../model/packet.ts';
import type { Stack } from './stack.ts';

/** Encapsulates: to the exact fdb entry's remote, else to every all-zero (default) entry and `remote`. */
export function vxlanXmit(stack: Stack, dev: Link, frame: Frame): void {
	const vx = dev.vxlan;
	if (!vx) return;
	const exact = isGroupMac(frame.dst) ? [] : dev.vxlanFdb.filter((e) => sameMac(e.mac, frame.dst));
	const remotes = exact.length ? exact.map((e) => e.dst) : dev.vxlanFdb.filter((e) => e.mac.every((b) => b === 0)).map((e) => e.dst);
	if (!exact.length && vx.remote !== undefined) remotes.push(vx.remote);
	const inner = frameLen(frame);
	for (const remote of [...new Set(remotes)]) {
		// Outer UDP (8) + VXLAN (8) + IP (20): 36 bytes; the source port is derived from the VNI.
		const outer: Ip4 = { src: vx.local ?? 0, dst: remote, ttl: 64, proto: 17, len: inner + 36, df: false, udp: { sport: 49152 + (vx.id % 16384), dport: vx.dstport, vni: vx.id, frame } };
		stack.sendLocal(dev.ns, outer, vx.lower);
	}
}

/** Decapsulates a datagram delivered locally, onto the running vxlan device with its VNI and port. */
export function vxlanReceive(stack: Stack, ns: Netns, vni: number, dport: number, f: Frame): void {
	const vxdev = ns.links.find((l) => l.kind === 'vxlan' && l.vxlan?.id === vni && l.vxlan?.dstport === dport && l.running());
	if (!vxdev) return;
	stack.receive(vxdev, { ...f, ip: f.ip ? clonePacket(f.ip) : undefined });
}

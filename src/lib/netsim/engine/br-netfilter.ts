/**
 * br_netfilter: bridged IPv4 goes through the PREROUTING, FORWARD and POSTROUTING hooks of the
 * bridge's namespace (BR_NETFILTER_HOOKS in src/lib/shared/netfilter.ts), and a frame for the
 * bridge itself whose DNAT points back into the bridge is bridged there rather than routed
 * (kube-proxy's hairpin case).
 */
import { BR_NETFILTER_HOOKS } from '../../shared/netfilter.ts';
import { sameMac, type Mac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { solicit } from './arp.ts';
import { nfHook, type NfCtx } from './netfilter-hooks.ts';
import { clonePacket, type Frame, type Ip4 } from '../model/packet.ts';
import { routeInput } from './route.ts';
import type { Stack } from './stack.ts';
import { tap } from './tap.ts';

/** Whether bridged IPv4 is seen by iptables in this namespace (net.bridge.bridge-nf-call-iptables). */
export function brNfOn(ns: Netns): boolean {
	return ns.get('net.bridge.bridge-nf-call-iptables') !== '0';
}

/**
 * A frame for the bridge itself: PREROUTING runs first; when DNAT sends the packet to a host on
 * the same bridge, it is bridged there (not routed), so going back out of the port it came in
 * needs that port's hairpin mode.
 */
export function bridgedDnat(stack: Stack, br: Link, inPort: Link, frame: Frame): void {
	const ns = br.ns;
	const pkt = clonePacket(frame.ip as Ip4);
	const ctx: NfCtx = {};
	const before = pkt.dst;
	if (!nfHook(stack, ns, 'PREROUTING', pkt, ctx, { inIf: br.name })) return;
	const rt = pkt.dst !== before ? routeInput(ns, pkt.dst, br, pkt.src) : undefined;
	if (!rt || typeof rt === 'string' || rt.type !== 'unicast' || rt.dev !== br) {
		// Passed up the bridge device after br_netfilter's PREROUTING (its DNAT already done).
		tap(br, { ...frame, ip: pkt }, 'in');
		stack.ipReceive(ns, br, pkt, ctx);
		return;
	}
	const nh = rt.gateway ?? pkt.dst;
	let n = ns.neigh.find((x) => x.link === br && x.ip === nh && x.mac);
	if (!n) {
		solicit(stack, ns, br, nh);
		n = ns.neigh.find((x) => x.link === br && x.ip === nh && x.mac);
		if (!n?.mac) return;
	}
	const mac = n.mac as Mac;
	// The bridge picks the port first (br_forward): back out of the port it came in on only in
	// hairpin mode, else the frame is dropped before FORWARD and POSTROUTING, so conntrack never
	// confirms its flow (a retransmission is a new flow again).
	const out = br.fdb.find((x) => sameMac(x.mac, mac) && !x.permanent)?.port;
	if (out === inPort && !out.hairpin) return;
	if (!nfHook(stack, ns, 'FORWARD', pkt, ctx, { inIf: br.name, outIf: br.name })) return;
	if (!nfHook(stack, ns, 'POSTROUTING', pkt, ctx, { outIf: br.name, out: br })) return;
	if (!out) {
		for (const p of br.ports()) if (p !== inPort && p.running()) stack.xmit(p, { src: frame.src, dst: mac, ip: pkt });
		return;
	}
	stack.xmit(out, { src: frame.src, dst: mac, ip: pkt });
}

/** A bridged frame between ports: the hooks br_netfilter runs, the bridge as both its interfaces. False to drop it. */
export function bridgeFilter(stack: Stack, br: Link, frame: Frame): boolean {
	const ns = br.ns;
	if (!brNfOn(ns) || !frame.ip) return true;
	const pkt = frame.ip;
	const ctx: NfCtx = {};
	return BR_NETFILTER_HOOKS.every((hook) => nfHook(stack, ns, hook, pkt, ctx, { inIf: br.name, outIf: br.name, out: br }));
}

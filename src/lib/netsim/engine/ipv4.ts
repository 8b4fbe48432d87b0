/**
 * IPv4: local output (route, OUTPUT hooks, loopback or neighbour output), input (martians,
 * PREROUTING, route lookup, local delivery or forwarding with TTL and FORWARD/POSTROUTING), and
 * local delivery to the protocols (TCP, VXLAN's UDP, ICMP).
 */
import { formatIpv4, isLoopback } from '../addr/ipv4.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { neighOutput } from './arp.ts';
import { icmpReceive } from './icmp.ts';
import { filterPasses, nfConfirm, nfHook, type NfCtx } from './netfilter-hooks.ts';
import { ICMP, type Ip4 } from '../model/packet.ts';
import { fibLookup, routeInput, routeOutput, rpFilter } from './route.ts';
import type { Stack } from './stack.ts';
import { tcpDeliver } from './tcp.ts';
import { legOf, tracePacket, traceRoute, tracing } from './trace.ts';
import { vxlanReceive } from './vxlan.ts';
import { tap } from './tap.ts';

/** lo's all-zero MAC. */
const LO_MAC = [0, 0, 0, 0, 0, 0];

/**
 * Sends a locally generated packet (ip_local_out). Returns an errno name when the kernel refuses
 * at once (no route, `EMSGSIZE:<mtu>` with DF), or undefined once the packet is on its way (or
 * silently lost).
 */
export function ipOutput(stack: Stack, ns: Netns, pkt: Ip4, oif?: Link): string | undefined {
	const rt = routeOutput(ns, pkt.dst, oif, pkt.src || undefined);
	const tr = tracing(stack.tracer, pkt);
	if (tr && !tr.hidden(ns)) {
		if (typeof rt === 'string') {
			tr.add({ kind: 'route', leg: legOf(pkt), at: tr.place(ns), text: `Route lookup for ${formatIpv4(pkt.dst)}: no route matches, so the kernel refuses to send it.`, route: { table: 'main' } });
			tr.add({ kind: 'drop', leg: legOf(pkt), at: tr.place(ns), reason: 'no-route', text: `${tr.who(ns)} has no route to ${formatIpv4(pkt.dst)}: the packet never leaves.` });
			tr.dropped = true;
		} else traceRoute(tr, ns, rt.route, rt.dev, pkt.dst);
	} else if (tr && typeof rt === 'string' && pkt.icmp?.type === ICMP.ECHO_REPLY) {
		// The upstream answers only what was NATed to it: say so when its reply has nowhere to go.
		const upstream = ns === stack.world.infra?.upstream;
		tr.add({ kind: 'drop', leg: legOf(pkt), at: tr.place(ns, undefined, pkt.src), reason: upstream ? 'no-nat' : 'no-route', text: `${tr.who(ns)} has no route back to ${formatIpv4(pkt.dst)}${upstream ? ', a private address: only traffic NATed to its own network gets an answer' : ''}.` });
		tr.dropped = true;
	}
	if (typeof rt === 'string') return rt;
	if (!pkt.src) pkt.src = rt.src;
	// The socket checks the size against the route's MTU before the packet meets netfilter.
	if (pkt.df && rt.type === 'unicast' && pkt.len > rt.dev.mtu) return `EMSGSIZE:${rt.dev.mtu}`;
	const ctx: NfCtx = {};
	// A DROP in OUTPUT is silent for ping (iptables-nft); REJECT answers through the loopback.
	if (!nfHook(stack, ns, 'OUTPUT', pkt, ctx, { outIf: rt.type === 'local' ? 'lo' : rt.dev.name, reroute: { oif } })) return undefined;
	const route = ctx.rerouted ?? rt;
	if (route.type === 'local') {
		// Looped back: the kernel's POSTROUTING on lo (conntrack's confirmation) and PREROUTING and
		// INPUT on the way in, abbreviated to the confirmation and INPUT's filter chain.
		nfConfirm(ns, ctx);
		if (!ns.lo.adminUp) return undefined;
		ns.lo.stats.txPackets++;
		ns.lo.stats.txBytes += pkt.len;
		ns.lo.stats.rxPackets++;
		ns.lo.stats.rxBytes += pkt.len;
		// What lo sends comes straight back in: a capture sees it once, arriving (libpcap).
		tap(ns.lo, { src: LO_MAC, dst: LO_MAC, ip: pkt }, 'in');
		// Looped back, the packet is received again on lo: INPUT sees it like any arriving one.
		if (!filterPasses(stack, ns, 'INPUT', pkt, ctx, 'lo', undefined)) return undefined;
		localDeliver(stack, ns, pkt, ns.lo);
		return undefined;
	}
	if (route.type === 'broadcast') return undefined;
	if (!nfHook(stack, ns, 'POSTROUTING', pkt, ctx, { outIf: route.dev.name, out: route.dev })) return undefined;
	neighOutput(stack, ns, route.dev, route.gateway ?? pkt.dst, pkt, 'local');
	return undefined;
}

/** ip_rcv: a packet arriving on `dev`; `pre` when PREROUTING already ran (bridged DNAT). */
export function ipReceive(stack: Stack, ns: Netns, dev: Link, pkt: Ip4, pre?: NfCtx): void {
	// 127.0.0.0/8 from the wire is dropped unless route_localnet (checked after de-NAT too).
	const martian = (): boolean => isLoopback(pkt.dst) && dev.kind !== 'loopback' && ns.get(`net.ipv4.conf.${dev.name.replaceAll('.', '/')}.route_localnet`) !== '1';
	if (martian()) return;
	const ctx: NfCtx = pre ?? {};
	if (!pre && !nfHook(stack, ns, 'PREROUTING', pkt, ctx, { inIf: dev.name })) return;
	if (martian()) return;
	const rt = routeInput(ns, pkt.dst, dev, pkt.src);
	// ip_rcv_finish counts what reverse-path filtering drops (LINUX_MIB_IPRPFILTER).
	if (rt === 'EXDEV') ns.count('TcpExtIPReversePathFilter');
	const tr = tracing(stack.tracer, pkt);
	if (tr && typeof rt === 'string') {
		const why = rt === 'ENETUNREACH' ? 'no-route' : rt === 'EHOSTUNREACH' ? (ns.forwardingOn(dev) ? 'no-route' : 'forwarding-off') : rt === 'EXDEV' ? 'rp-filter' : 'other';
		const text =
			why === 'forwarding-off'
				? ns.forwarding()
					? `${tr.who(ns)} is not the destination and does not forward what arrives on ${dev.name} (net.ipv4.conf.${dev.name}.forwarding = 0): it drops the packet silently.`
					: `${tr.who(ns)} is not the destination and does not forward (net.ipv4.ip_forward = 0): it drops the packet silently.`
				: why === 'no-route'
					? `${tr.who(ns)} would forward the packet but has no route to ${formatIpv4(pkt.dst)}.`
					: why === 'rp-filter'
						? rpFilterText(tr.who(ns), ns, dev, pkt)
						: `${tr.who(ns)} drops the packet.`;
		tr.add({ kind: 'drop', leg: legOf(pkt), at: tr.place(ns, dev, pkt.dst), reason: why, text });
		tr.dropped = true;
	}
	if (typeof rt === 'string') {
		if (rt === 'ENETUNREACH') stack.icmpError(ns, pkt, ICMP.DEST_UNREACH, 0);
		else if (rt === 'EHOSTUNREACH' && ns.forwardingOn(dev)) stack.icmpError(ns, pkt, ICMP.DEST_UNREACH, 1);
		return;
	}
	if (rt.type === 'local' || rt.type === 'broadcast') {
		if (rt.type === 'broadcast' && ns.get('net.ipv4.icmp_echo_ignore_broadcasts') !== '0') return;
		if (!nfHook(stack, ns, 'INPUT', pkt, ctx, { inIf: dev.name })) return;
		localDeliver(stack, ns, pkt, dev);
		return;
	}
	// forward
	if (pkt.ttl <= 1) {
		if (tr) {
			tr.add({ kind: 'drop', leg: legOf(pkt), at: tr.place(ns, dev), reason: 'ttl', text: `The TTL has run out at ${tr.who(ns)}: it drops the packet and tells the sender (Time to live exceeded).` });
			tr.dropped = true;
		}
		stack.icmpError(ns, pkt, ICMP.TIME_EXCEEDED, 0);
		return;
	}
	if (tr && !tr.hidden(ns)) {
		traceRoute(tr, ns, rt.route, rt.dev, pkt.dst);
		tr.add({ kind: 'forward', leg: legOf(pkt), at: tr.place(ns, rt.dev), text: `${tr.who(ns)} is a router here (net.ipv4.ip_forward = 1): it forwards the packet out of ${rt.dev.name}, TTL ${pkt.ttl} → ${pkt.ttl - 1}.`, packet: { ...tracePacket(pkt), ttl: pkt.ttl - 1 } });
	}
	if (!nfHook(stack, ns, 'FORWARD', pkt, ctx, { inIf: dev.name, outIf: rt.dev.name })) return;
	pkt.ttl -= 1;
	if (!nfHook(stack, ns, 'POSTROUTING', pkt, ctx, { outIf: rt.dev.name, out: rt.dev })) return;
	neighOutput(stack, ns, rt.dev, rt.gateway ?? pkt.dst, pkt, 'forward');
}

/** The words of a reverse-path filter drop: where the way back leads, if anywhere. */
function rpFilterText(who: string, ns: Netns, dev: Link, pkt: Ip4): string {
	const back = fibLookup(ns, pkt.src, undefined, pkt.dst)?.dev;
	const mode = `net.ipv4.conf.${dev.name}.rp_filter is in effect as ${rpFilter(ns, dev)}`;
	return back && back !== dev
		? `${who} would send a packet back to ${formatIpv4(pkt.src)} out of ${back.name}, not ${dev.name} where this one arrived: reverse-path filtering (${mode}) drops it silently.`
		: `${who} has no route back to ${formatIpv4(pkt.src)}: reverse-path filtering (${mode}) drops the packet silently.`;
}

/** ip_local_deliver: hands a packet for this namespace to its protocol. */
export function localDeliver(stack: Stack, ns: Netns, pkt: Ip4, dev: Link): void {
	if (pkt.proto === 6 && pkt.tcp) {
		tcpDeliver(stack, ns, pkt);
		return;
	}
	const udp = pkt.udp;
	if (pkt.proto === 17 && udp?.vni !== undefined && udp.frame) {
		vxlanReceive(stack, ns, udp.vni, udp.dport, udp.frame);
		return;
	}
	if (pkt.proto === 1 && pkt.icmp) icmpReceive(stack, ns, pkt, pkt.icmp, dev);
}

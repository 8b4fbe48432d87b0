/**
 * ICMP: echo requests answered (unless ignored by sysctl), echo replies and errors handed to the
 * sockets waiting for them (ping's, or a TCP client's), and icmp_send for errors this namespace
 * raises.
 */
import { formatIpv4, type Ipv4 } from '../addr/ipv4.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { clonePacket, ICMP, type Icmp, type Ip4 } from '../model/packet.ts';
import type { Stack } from './stack.ts';
import { tracePacket, tracing } from './trace.ts';

/** What a ping socket hears. */
export type SocketEvent =
	| { kind: 'reply'; seq: number; ttl: number; from: Ipv4; len: number; at: number }
	| { kind: 'error'; seq: number; from: Ipv4; type: number; code: number; mtu?: number | undefined; at: number }
	| { kind: 'local'; seq: number; at: number };

/** A raw ICMP socket bound to an echo id in one namespace. */
export interface PingSocket {
	ns: Netns;
	id: number;
	events: SocketEvent[];
}

/** An ICMP message delivered to this namespace, arriving on `dev`. */
export function icmpReceive(stack: Stack, ns: Netns, pkt: Ip4, ic: Icmp, dev: Link): void {
	const now = stack.world.now;
	if (ic.type === ICMP.ECHO_REQUEST) {
		const tr = tracing(stack.tracer, pkt);
		if (tr && !tr.delivered) {
			const dst = tr.place(ns, undefined, pkt.dst);
			const whom = 'node' in dst && dst.node === 'internet' ? `the internet (${formatIpv4(pkt.dst)})` : `${tr.who(ns)} (${formatIpv4(pkt.dst)})`;
			tr.add({ kind: 'deliver', leg: 'request', at: tr.place(ns, dev.kind === 'loopback' || tr.hidden(ns) ? undefined : dev, pkt.dst), text: `The packet is for ${whom}: it answers the echo request.`, packet: tracePacket(pkt) });
			tr.delivered = true;
			tr.leg = 'reply';
		}
		if (ns.get('net.ipv4.icmp_echo_ignore_all') === '1') return;
		const ttl = Number(ns.get('net.ipv4.ip_default_ttl') ?? 64) || 64;
		const reply: Ip4 = { src: pkt.dst, dst: pkt.src, ttl, proto: 1, len: pkt.len, df: false, icmp: { type: ICMP.ECHO_REPLY, code: 0, id: ic.id, seq: ic.seq } };
		if (!ns.isLocal(reply.src)) reply.src = 0;
		stack.sendLocal(ns, reply);
		return;
	}
	if (ic.type === ICMP.ECHO_REPLY) {
		const tr = tracing(stack.tracer, pkt);
		if (tr && stack.sockets.some((s) => s.ns === ns && s.id === ic.id)) {
			tr.add({ kind: 'deliver', leg: 'reply', at: tr.place(ns, dev.kind === 'loopback' ? undefined : dev), text: `${tr.who(ns)} receives the echo reply: ping prints its line.`, packet: tracePacket(pkt) });
			tr.replied = true;
		}
		for (const s of stack.sockets) if (s.ns === ns && s.id === ic.id) s.events.push({ kind: 'reply', seq: ic.seq, ttl: pkt.ttl, from: pkt.src, len: pkt.len, at: now });
		return;
	}
	// An error: it goes to the socket that sent the packet it quotes.
	const inner = ic.inner;
	if (inner?.tcp) {
		const t = inner.tcp;
		for (const s of stack.tcpSockets) if (s.ns === ns && s.lport === t.sport && s.local === inner.src) s.events.push({ flags: '', icmp: true, at: now });
		return;
	}
	if (inner?.icmp && inner.icmp.type === ICMP.ECHO_REQUEST) {
		for (const s of stack.sockets)
			if (s.ns === ns && s.id === inner.icmp.id) s.events.push({ kind: 'error', seq: inner.icmp.seq, from: pkt.src, type: ic.type, code: ic.code, mtu: ic.mtu, at: now });
	}
}

/** icmp_send: an error back to the packet's sender, from this namespace (never about an error or a RST). */
export function icmpError(stack: Stack, ns: Netns, orig: Ip4, type: number, code: number, mtu?: number): void {
	if (orig.icmp && orig.icmp.type !== ICMP.ECHO_REQUEST && orig.icmp.type !== ICMP.ECHO_REPLY) return;
	if (orig.tcp?.flags.includes('R')) return;
	const local = ns.isLocal(orig.dst) ? orig.dst : ns.isLocal(orig.src) ? orig.src : undefined;
	const err: Ip4 = { src: local ?? 0, dst: orig.src, ttl: 64, proto: 1, len: 112, df: false, icmp: { type, code, id: 0, seq: 0, inner: clonePacket(orig), mtu } };
	stack.sendLocal(ns, err);
}

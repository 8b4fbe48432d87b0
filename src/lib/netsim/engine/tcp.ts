/**
 * TCP endpoints on top of the packet walk: listening servers (python3 -m http.server) and
 * client sockets (curl). Segments travel through the stack like any packet, so routing,
 * bridges, NAT, conntrack and the firewall all apply; only the byte stream is abstracted.
 */
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Netns } from '../model/netns.ts';
import type { Ip4 } from '../model/packet.ts';
import type { Stack } from './stack.ts';

/** A listening socket and what it answers. */
export interface Listener {
	ns: Netns;
	port: number;
	/** Bound address; undefined for 0.0.0.0. */
	addr?: Ipv4 | undefined;
	pid: number;
	/** The HTTP response (headers and body) to a request line's path. */
	/** The whole HTTP response to a request line's method and path (`HEAD` gets the headers only). */
	respond: (path: string, method: string) => string;
}

/** What a client socket hears. */
interface TcpEvent {
	flags: string;
	payload?: string | undefined;
	/** ICMP error (port unreachable, host unreachable…). */
	icmp?: boolean | undefined;
	at: number;
}

/** A client socket. */
export interface TcpSocket {
	ns: Netns;
	local: Ipv4;
	lport: number;
	remote: Ipv4;
	rport: number;
	events: TcpEvent[];
}

/** Size of a segment on the wire: IP + TCP header (40 with SYN options, 32 with timestamps). */
function segmentLen(flags: string, payload = ''): number {
	return 20 + (flags.includes('S') ? 40 : 32) + payload.length;
}

/** Builds a segment. */
export function segment(src: Ipv4, dst: Ipv4, sport: number, dport: number, flags: string, payload?: string): Ip4 {
	return { src, dst, ttl: 64, proto: 6, len: segmentLen(flags, payload), df: true, tcp: { sport, dport, flags, payload } };
}

/**
 * A TCP segment delivered to this namespace: to the client socket of its four-tuple, else to a
 * listener on its port (SYN → SYN-ACK, a request → the response then FIN, FIN → ACK), else
 * answered with RST.
 */
export function tcpDeliver(stack: Stack, ns: Netns, pkt: Ip4): void {
	const t = pkt.tcp;
	if (!t) return;
	const now = stack.world.now;
	const sock = stack.tcpSockets.find((s) => s.ns === ns && s.lport === t.dport && s.local === pkt.dst && s.remote === pkt.src && s.rport === t.sport);
	if (sock) {
		sock.events.push({ flags: t.flags, payload: t.payload, at: now });
		return;
	}
	const reply = (flags: string, payload?: string): void => {
		stack.sendLocal(ns, segment(pkt.dst, pkt.src, t.dport, t.sport, flags, payload));
	};
	const l = stack.listeners.find((x) => x.ns === ns && x.port === t.dport && (x.addr === undefined || x.addr === pkt.dst));
	if (!l) {
		if (!t.flags.includes('R')) reply('RA');
		return;
	}
	if (t.flags.includes('S')) reply('SA');
	else if (t.payload) {
		const [, method = 'GET', path = '/'] = /^([A-Z]+) (\S+)/.exec(t.payload) ?? [];
		reply('PA', l.respond(path, method));
		// HTTP/1.0: the server closes after the response.
		reply('FA');
	} else if (t.flags.includes('F')) reply('A');
}

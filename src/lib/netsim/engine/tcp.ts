/**
 * TCP endpoints on top of the packet walk: listening servers (python3 -m http.server) and
 * client sockets (curl). Segments travel through the stack like any packet, so routing,
 * bridges, NAT, conntrack and the firewall all apply; only the byte stream is abstracted.
 */
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Netns } from '../model/netns.ts';
import type { Ip4 } from './packet.ts';

/** A listening socket and what it answers. */
export interface Listener {
	ns: Netns;
	port: number;
	/** Bound address; undefined for 0.0.0.0. */
	addr?: Ipv4 | undefined;
	pid: number;
	/** The HTTP response (headers and body) to a request line's path. */
	respond: (path: string) => string;
}

/** What a client socket hears. */
export interface TcpEvent {
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
export function segmentLen(flags: string, payload = ''): number {
	return 20 + (flags.includes('S') ? 40 : 32) + payload.length;
}

/** Builds a segment. */
export function segment(src: Ipv4, dst: Ipv4, sport: number, dport: number, flags: string, payload?: string): Ip4 {
	return { src, dst, ttl: 64, proto: 6, len: segmentLen(flags, payload), df: true, tcp: { sport, dport, flags, payload } };
}

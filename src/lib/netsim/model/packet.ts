/** Frames and packets as they travel through the simulated network. */
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Mac } from '../addr/mac.ts';

/** An ICMP message (echo or error). */
export interface Icmp {
	type: number;
	code: number;
	id: number;
	seq: number;
	/** For errors: the packet that caused it. */
	inner?: Ip4 | undefined;
	/** For "fragmentation needed". */
	mtu?: number | undefined;
}

/** A TCP segment: flags as letters (S, A, F, R, P), an optional payload. */
interface Tcp {
	sport: number;
	dport: number;
	flags: string;
	payload?: string | undefined;
}

/** A UDP datagram; VXLAN carries an Ethernet frame in it. */
interface Udp {
	sport: number;
	dport: number;
	/** VXLAN network identifier, when this is a VXLAN datagram. */
	vni?: number | undefined;
	frame?: Frame | undefined;
}

/** An IPv4 packet (ICMP from ping, UDP for VXLAN). */
export interface Ip4 {
	src: Ipv4;
	dst: Ipv4;
	ttl: number;
	proto: number;
	/** Total length in bytes (84 for a default ping). */
	len: number;
	df: boolean;
	icmp?: Icmp | undefined;
	udp?: Udp | undefined;
	tcp?: Tcp | undefined;
	/** The skb mark (iptables MARK). */
	mark?: number | undefined;
}

/** An ARP message. */
export interface Arp {
	op: 'request' | 'reply';
	senderMac: Mac;
	senderIp: Ipv4;
	targetMac: Mac;
	targetIp: Ipv4;
}

/** An Ethernet frame. */
export interface Frame {
	src: Mac;
	dst: Mac;
	arp?: Arp | undefined;
	ip?: Ip4 | undefined;
}

/** ICMP types used by the simulator. */
export const ICMP = { ECHO_REPLY: 0, DEST_UNREACH: 3, ECHO_REQUEST: 8, TIME_EXCEEDED: 11 } as const;

/** Bytes a frame takes on the wire (an Ethernet header on the packet; an ARP frame is 42). */
export function frameLen(f: Frame): number {
	return f.ip ? f.ip.len + 14 : 42;
}

/** Copies a packet (NAT and TTL changes must not leak into the sender's view). */
export function clonePacket(p: Ip4): Ip4 {
	return { ...p, icmp: p.icmp ? { ...p.icmp } : undefined, udp: p.udp ? { ...p.udp } : undefined, tcp: p.tcp ? { ...p.tcp } : undefined };
}

/** The ports conntrack keys a packet by (the echo id twice for ICMP echo). */
export function portsOf(p: Ip4): [number, number] | undefined {
	if (p.tcp) return [p.tcp.sport, p.tcp.dport];
	if (p.udp) return [p.udp.sport, p.udp.dport];
	if (p.icmp && (p.icmp.type === ICMP.ECHO_REQUEST || p.icmp.type === ICMP.ECHO_REPLY)) return [p.icmp.id, p.icmp.id];
	return undefined;
}

/** Rewrites the destination (and port) of a packet, as NAT does. */
export function setDst(p: Ip4, ip: number, port: number): void {
	p.dst = ip;
	if (p.tcp) p.tcp.dport = port;
	else if (p.udp) p.udp.dport = port;
	else if (p.icmp) p.icmp.id = port;
}

/** Rewrites the source (and port) of a packet, as NAT does. */
export function setSrc(p: Ip4, ip: number, port: number): void {
	p.src = ip;
	if (p.tcp) p.tcp.sport = port;
	else if (p.udp) p.udp.sport = port;
	else if (p.icmp) p.icmp.id = port;
}

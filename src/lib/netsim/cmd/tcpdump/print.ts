/**
 * tcpdump's printers (4.99, print-ether.c, print-arp.c, print-ip.c, print-icmp.c, print-udp.c,
 * print-vxlan.c, print-tcp.c) for the frames the simulator carries: one line per frame, as
 * `tcpdump -n` prints it, with `-e` (link-level header), `-q` (quieter transport lines), `-v`
 * (the IPv4 header) and `-t` (no timestamp) as the real one does.
 */
import { formatIpv4 } from '../../addr/ipv4.ts';
import { formatMac, isGroupMac, sameMac, type Mac } from '../../addr/mac.ts';
import type { FrameDirection } from '../../model/capture.ts';
import { frameLen, ICMP, type Frame, type Icmp, type Ip4 } from '../../model/packet.ts';

/** The printing flags of one tcpdump run. */
export interface PrintFlags {
	/** -e: the Ethernet header. */
	link: boolean;
	/** -q: less protocol detail. */
	quiet: boolean;
	/** -v count. */
	verbose: number;
	/** -t count: 0 prints the time of day. */
	noTime: boolean;
	/** `-i any`: the cooked header (device name and direction) before each line. */
	cooked: boolean;
}

/** The IANA protocol names tcpdump prints in `-v`'s IPv4 header. */
const PROTO: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

/** The UDP ports tcpdump decodes as VXLAN (IANA 4789) and as OTV (8472, Linux's VXLAN default). */
const VXLAN_PORT = 4789;
const OTV_PORT = 8472;

/** One captured frame as tcpdump prints it (without the newline). */
export function printFrame(frame: Frame, flags: PrintFlags, at: { now: number; dev: string; ifindex: number; mac: Mac; dir: FrameDirection }): string {
	const time = flags.noTime ? '' : `${timeOfDay(at.now)} `;
	if (flags.cooked) {
		const head = `${at.dev.padEnd(5)} ${packetType(frame, at)} `;
		if (flags.link) return `${time}${head}ifindex ${at.ifindex} ${formatMac(frame.src)} ${etherType(frame)}, length ${frameLen(frame) + 6}: ${payload(frame, flags, false)}`;
		return `${time}${head}${payload(frame, flags, true)}`;
	}
	if (flags.link) return `${time}${formatMac(frame.src)} > ${formatMac(frame.dst)}, ${etherType(frame)}, length ${frameLen(frame)}: ${payload(frame, flags, false)}`;
	return `${time}${payload(frame, flags, true)}`;
}

/**
 * The cooked header's direction, from the packet socket's packet type: `Out` for what the device
 * sent; for what it received, `In` (to its own MAC), `B` (broadcast), `M` (multicast), or `P`
 * (for another host, as a bridge port sees frames for the bridge).
 */
function packetType(frame: Frame, at: { mac: Mac; dir: FrameDirection }): string {
	if (at.dir === 'out') return 'Out';
	if (frame.dst.every((b) => b === 0xff)) return 'B  ';
	if (isGroupMac(frame.dst)) return 'M  ';
	return sameMac(frame.dst, at.mac) ? 'In ' : 'P  ';
}

function etherType(frame: Frame): string {
	return frame.arp ? 'ethertype ARP (0x0806)' : 'ethertype IPv4 (0x0800)';
}

/** What follows the link header: ARP or IPv4 (`named`: with the protocol's name first, as without -e). */
function payload(frame: Frame, flags: PrintFlags, named: boolean): string {
	if (frame.arp) {
		const a = frame.arp;
		const head = `${named ? 'ARP, ' : ''}${flags.verbose ? 'Ethernet (len 6), IPv4 (len 4), ' : ''}`;
		const body = a.op === 'request' ? `Request who-has ${formatIpv4(a.targetIp)} tell ${formatIpv4(a.senderIp)}` : `Reply ${formatIpv4(a.senderIp)} is-at ${formatMac(a.senderMac)}`;
		return `${head}${body}, length 28`;
	}
	return `${named ? 'IP ' : ''}${ipv4(frame.ip as Ip4, flags)}`;
}

/** An IPv4 packet: `-v`'s header on a line of its own, then addresses and the transport. */
function ipv4(p: Ip4, flags: PrintFlags): string {
	const head = flags.verbose
		? `(tos 0x0, ttl ${p.ttl}, id 0, offset 0, flags [${dontFragment(p) ? 'DF' : 'none'}], proto ${PROTO[p.proto] ?? 'unknown'} (${p.proto}), length ${p.len})\n    `
		: '';
	const src = formatIpv4(p.src);
	const dst = formatIpv4(p.dst);
	if (p.icmp) return `${head}${src} > ${dst}: ${icmp(p.icmp, p.len - 20)}`;
	if (p.udp) {
		const u = p.udp;
		const ends = `${src}.${u.sport} > ${dst}.${u.dport}: `;
		if ((u.dport === VXLAN_PORT || u.dport === OTV_PORT) && u.frame && !flags.quiet) {
			// print-vxlan.c and print-otv.c (the same 8-byte header): flags and VNI (OTV's
			// "instance"), then the inner frame with its Ethernet header on a line of its own.
			const inner = u.frame;
			const tunnel = u.dport === VXLAN_PORT ? `VXLAN, flags [I] (0x08), vni ${u.vni ?? 0}` : `OTV, flags [I] (0x08), overlay 0, instance ${u.vni ?? 0}`;
			return `${head}${ends}${tunnel}\n${formatMac(inner.src)} > ${formatMac(inner.dst)}, ${etherType(inner)}, length ${frameLen(inner)}: ${payload(inner, { ...flags, verbose: 0 }, false)}`;
		}
		return `${head}${ends}UDP, length ${p.len - 28}`;
	}
	if (p.tcp) {
		const t = p.tcp;
		const ends = `${src}.${t.sport} > ${dst}.${t.dport}: `;
		const len = t.payload?.length ?? 0;
		if (flags.quiet) return `${head}${ends}tcp ${len}`;
		return `${head}${ends}Flags [${tcpFlags(t.flags)}], length ${len}`;
	}
	return `${head}${src} > ${dst}: ip-proto-${p.proto} ${p.len - 20}`;
}

/**
 * DF as the kernel sets it: sockets discover the path MTU by default (IP_PMTUDISC_WANT), so
 * ping's requests and TCP go with DF; the kernel's own ICMP replies and errors go without.
 */
function dontFragment(p: Ip4): boolean {
	return p.df || !!p.tcp || p.icmp?.type === ICMP.ECHO_REQUEST;
}

/** print-tcp.c's flag letters: S, F, R, P, then `.` for ACK. */
function tcpFlags(letters: string): string {
	let out = '';
	for (const l of 'SFRP') if (letters.includes(l)) out += l;
	if (letters.includes('A')) out += '.';
	return out || 'none';
}

/** print-icmp.c: echo, and the errors a router or host sends. */
function icmp(m: Icmp, len: number): string {
	switch (m.type) {
		case ICMP.ECHO_REQUEST:
			return `ICMP echo request, id ${m.id}, seq ${m.seq}, length ${len}`;
		case ICMP.ECHO_REPLY:
			return `ICMP echo reply, id ${m.id}, seq ${m.seq}, length ${len}`;
		case ICMP.TIME_EXCEEDED:
			return `ICMP time exceeded in-transit, length ${len}`;
		case ICMP.DEST_UNREACH: {
			const dst = m.inner ? formatIpv4(m.inner.dst) : '0.0.0.0';
			switch (m.code) {
				case 0:
					return `ICMP net ${dst} unreachable, length ${len}`;
				case 1:
					return `ICMP host ${dst} unreachable, length ${len}`;
				case 3: {
					const inner = m.inner;
					const proto = inner?.tcp ? 'tcp' : 'udp';
					const port = inner?.tcp?.dport ?? inner?.udp?.dport ?? 0;
					return `ICMP ${dst} ${proto} port ${port} unreachable, length ${len}`;
				}
				case 4:
					return `ICMP ${dst} unreachable - need to frag (mtu ${m.mtu ?? 0}), length ${len}`;
				case 10:
					return `ICMP host ${dst} unreachable - admin prohibited, length ${len}`;
				case 13:
					return `ICMP host ${dst} unreachable - admin prohibited filter, length ${len}`;
				default:
					return `ICMP ${dst} unreachable - #${m.code}, length ${len}`;
			}
		}
		default:
			return `ICMP type-#${m.type}, length ${len}`;
	}
}

/** The time of day of a virtual instant (the clock starts at midnight): `00:00:01.234000`. */
function timeOfDay(ms: number): string {
	const t = Math.floor(ms);
	const two = (n: number): string => String(n).padStart(2, '0');
	return `${two(Math.floor(t / 3600000) % 24)}:${two(Math.floor(t / 60000) % 60)}:${two(Math.floor(t / 1000) % 60)}.${String((t % 1000) * 1000).padStart(6, '0')}`;
}

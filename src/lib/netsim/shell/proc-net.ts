/**
 * /proc/net of the current namespace: the files the simulator can print as the kernel does
 * (`arp`: arp_seq_show in net/ipv4/arp.c; `route`: fib_route_seq_show in net/ipv4/fib_trie.c),
 * and, for the others, why not (their counters and sockets include what the simulator does not
 * send: IPv6 background traffic, kernel sockets).
 */
import { formatIpv4, maskOf, networkOf } from '../addr/ipv4.ts';
import { formatMac, ZERO_MAC } from '../addr/mac.ts';
import { TABLE_MAIN } from '../model/fib.ts';
import { neighAgeAll } from '../kernel/neigh.ts';
import type { Netns } from '../model/netns.ts';

/** A 32-bit number as the kernel prints an address in network byte order on a little-endian CPU. */
function hex32(n: number): string {
	const le = ((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24);
	return (le >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** The ARP table: every entry but NOARP ones, flags ATF_COM (0x2) when valid, + ATF_PERM (0x4). */
export function procNetArp(ns: Netns): string {
	neighAgeAll(ns);
	let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
	for (const n of ns.neigh) {
		if (n.state === 'NOARP') continue;
		const flags = n.state === 'PERMANENT' ? 0x6 : n.state === 'INCOMPLETE' || n.state === 'FAILED' ? 0 : 0x2;
		const type = n.link.kind === 'loopback' ? 772 : 1;
		const ip = formatIpv4(n.ip).padEnd(16);
		out += `${ip} 0x${type.toString(16).padEnd(10)}0x${flags.toString(16).padEnd(10)}${formatMac(n.mac ?? ZERO_MAC).padEnd(17)}     *        ${n.link.name}\n`;
	}
	return out;
}

/** The RTF_ flags of a route: UP, GATEWAY, HOST, and REJECT for unreachable and prohibit. */
const RTF = { UP: 0x1, GATEWAY: 0x2, HOST: 0x4, REJECT: 0x200 };

/** The main table's IPv4 routes, as the old `route` command reads them (lines padded to 127). */
export function procNetRoute(ns: Netns): string {
	const pad = (line: string) => `${line.padEnd(127)}\n`;
	let out = pad('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
	for (const r of ns.table(TABLE_MAIN)) {
		if (r.type === 'broadcast' || r.type === 'local') continue;
		const mask = maskOf(r.dst.len);
		let flags = RTF.UP | (r.gateway !== undefined ? RTF.GATEWAY : 0) | (r.dst.len === 32 ? RTF.HOST : 0);
		if (r.type === 'unreachable' || r.type === 'prohibit') flags |= RTF.REJECT;
		const dev = r.dev?.name ?? '*';
		const fields = [dev, hex32(networkOf(r.dst.addr, r.dst.len)), hex32(r.gateway ?? 0), flags.toString(16).toUpperCase().padStart(4, '0'), '0', '0', String(r.metric), hex32(mask), '0', '0', '0'];
		out += pad(fields.join('\t'));
	}
	return out;
}

/** The /proc/net files the simulator prints, by name. */
const FILES: Record<string, (ns: Netns) => string> = { arp: procNetArp, route: procNetRoute };

/** Why the other /proc/net files are not available (a `cat` error's parenthesis). */
export const PROC_NET_WHY =
	"it prints /proc/net/arp and /proc/net/route; counters and socket tables need the real kernel: run the chapter's script on a real Linux machine; here ip -s link counts packets, ss -ltn lists servers";

/** A /proc/net file's text (`name` below /proc/net/), or undefined when the simulator does not print it. */
export function procNetFile(name: string, ns: Netns): string | undefined {
	return Object.prototype.hasOwnProperty.call(FILES, name) ? FILES[name]?.(ns) : undefined;
}

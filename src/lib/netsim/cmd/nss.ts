/**
 * The C library's host name lookups as the lab configures them: nsswitch.conf says `hosts: files`
 * (sandbox.sh writes it; there is no DNS), so every lookup reads /etc/hosts, the file of the
 * namespace the program runs in (`ip netns exec NAME` binds /etc/netns/NAME/hosts over it). The
 * answers are glibc's files backend's (nss_files/files-hosts.c) with Debian's `multi on`:
 *
 * - a line is an address, an official name and aliases; `#` starts a comment; an address that
 *   inet_pton does not take (`010.0.0.7`, `fe80::1%eth0`) drops the line;
 * - a lookup is for one family: an IPv4 lookup also takes `::ffff:a.b.c.d` as a.b.c.d and `::1`
 *   as 127.0.0.1, an IPv6 lookup skips IPv4 lines;
 * - by name (case does not matter) every matching line counts: the first gives the official
 *   name, the others add their addresses and names (as aliases);
 * - by address, the first line with that address answers;
 * - a name of digits and dots is read by inet_aton before any file (`127.1` is 127.0.0.1).
 */
import { formatIpv4 } from '../addr/ipv4.ts';
import { canonicalIpv6, ipv6Key } from '../addr/ipv6.ts';
import type { Netns } from '../model/netns.ts';
import type { Vfs } from '../shell/vfs.ts';

/** An address family: 4 (AF_INET) or 6 (AF_INET6). */
export type Family = 4 | 6;

/** A host entry (struct hostent): official name, aliases, and its addresses (text) of one family. */
export interface HostEntry {
	name: string;
	aliases: string[];
	family: Family;
	addrs: string[];
}

/** inet_pton(AF_INET): four decimal parts, none above 255, no leading zero; null otherwise. */
export function inetPton4(text: string): number | null {
	const parts = text.split('.');
	if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return null;
	return parts.reduce((v, p) => v * 256 + Number(p), 0) >>> 0;
}

/** inet_aton: a, a.b, a.b.c or a.b.c.d, each part decimal, octal (0…) or hex (0x…); null otherwise. */
export function inetAton(text: string): number | null {
	const parts = text.split('.');
	if (parts.length > 4) return null;
	const nums: number[] = [];
	for (const p of parts) {
		let v: number;
		if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = p.length > 2 ? parseInt(p.slice(2), 16) : 0;
		else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
		else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
		else return null;
		nums.push(v);
	}
	const last = nums.pop() as number;
	if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return null;
	let v = 0;
	nums.forEach((n, i) => {
		v += n * 2 ** (8 * (3 - i));
	});
	return (v + last) >>> 0;
}

/** inet_pton(AF_INET6) and back through inet_ntop: RFC 5952's text, a mapped IPv4 address dotted; null if invalid. */
export function ipv6Text(text: string): string | null {
	const canonical = canonicalIpv6(text);
	if (canonical === null) return null;
	const key = ipv6Key(text);
	return key.startsWith('00000000000000000000ffff') ? `::ffff:${formatIpv4(parseInt(key.slice(24), 16) >>> 0)}` : canonical;
}

/** An address of /etc/hosts as a lookup in `family` reads it, or null when that lookup skips the line. */
function addressFor(text: string, family: Family): string | null {
	const v4 = inetPton4(text);
	if (family === 6) return v4 === null ? ipv6Text(text) : null;
	if (v4 !== null) return formatIpv4(v4);
	const key = canonicalIpv6(text) === null ? '' : ipv6Key(text);
	if (key.startsWith('00000000000000000000ffff')) return formatIpv4(parseInt(key.slice(24), 16) >>> 0);
	return key === '00000000000000000000000000000001' ? '127.0.0.1' : null;
}

/** The lines of /etc/hosts a lookup in `family` sees, each as an entry with one address. */
export function hostsEntries(vfs: Vfs, ns: Netns, family: Family): HostEntry[] {
	const file = vfs.readFile('/etc/hosts', ns);
	if (!file.ok) return [];
	const out: HostEntry[] = [];
	for (const line of file.value.split('\n')) {
		const [addr, name = '', ...aliases] = line.replace(/#.*/, '').trim().split(/[ \t]+/);
		if (!addr) continue;
		const a = addressFor(addr, family);
		if (a !== null) out.push({ name, aliases, family, addrs: [a] });
	}
	return out;
}

/** gethostbyname2(NAME, family): every line naming NAME, merged; a digits-and-dots name is read as an address. */
export function hostByName(vfs: Vfs, ns: Netns, name: string, family: Family): HostEntry | undefined {
	if (/^[0-9.]+$/.test(name)) {
		const v = family === 4 ? inetAton(name) : null;
		return v === null ? undefined : { name, aliases: [], family, addrs: [formatIpv4(v)] };
	}
	const wanted = name.toLowerCase();
	let found: HostEntry | undefined;
	for (const e of hostsEntries(vfs, ns, family)) {
		if (![e.name, ...e.aliases].some((n) => n.toLowerCase() === wanted)) continue;
		if (!found) {
			found = { ...e, aliases: [...e.aliases] };
			continue;
		}
		found.addrs.push(...e.addrs);
		for (const n of [e.name, ...e.aliases]) if (n !== found.name && !found.aliases.includes(n)) found.aliases.push(n);
	}
	return found;
}

/** gethostbyaddr(ADDR, family): the first line with that address (given as text in its family's form). */
export function hostByAddr(vfs: Vfs, ns: Netns, addr: string, family: Family): HostEntry | undefined {
	return hostsEntries(vfs, ns, family).find((e) => e.addrs[0] === addr);
}

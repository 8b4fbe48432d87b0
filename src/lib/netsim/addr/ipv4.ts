/** IPv4 addresses as 32-bit unsigned numbers, with the parsing rules of iproute2's get_addr_1(). */

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;

/** A prefix: network address (host bits may be set, as the kernel keeps them for addresses) and length. */
export interface Prefix {
	addr: Ipv4;
	len: number;
}

/**
 * Parses a dotted quad the way inet_pton does: exactly four decimal parts, each 0-255.
 * Returns null on anything else.
 */
export function parseIpv4Strict(text: string): Ipv4 | null {
	const parts = text.split('.');
	if (parts.length !== 4) return null;
	let value = 0;
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part)) return null;
		const n = Number(part);
		if (n > 255) return null;
		value = value * 256 + n;
	}
	return value >>> 0;
}

/**
 * Parses an address the way iproute2 does for prefixes: one to four parts, missing trailing
 * parts are zero (`192.168.1` is 192.168.1.0). Returns the address and how many bytes were given.
 */
export function parseIpv4Loose(text: string): { addr: Ipv4; bytes: number } | null {
	const parts = text.split('.');
	if (parts.length < 1 || parts.length > 4) return null;
	let value = 0;
	for (let i = 0; i < 4; i++) {
		const part = parts[i];
		let n = 0;
		if (part !== undefined) {
			if (!/^\d{1,3}$/.test(part)) return null;
			n = Number(part);
			if (n > 255) return null;
		}
		value = value * 256 + n;
	}
	return { addr: value >>> 0, bytes: parts.length };
}

/** Formats an address as a dotted quad. */
export function formatIpv4(addr: Ipv4): string {
	return [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255].join('.');
}

/** The netmask of a prefix length, as a number. */
export function maskOf(len: number): number {
	return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** The network address of `addr` under a prefix length. */
export function networkOf(addr: Ipv4, len: number): Ipv4 {
	return (addr & maskOf(len)) >>> 0;
}

/** The directed broadcast address of `addr` under a prefix length. */
export function broadcastOf(addr: Ipv4, len: number): Ipv4 {
	return (networkOf(addr, len) | (~maskOf(len) >>> 0)) >>> 0;
}

/** True when `addr` lies inside `prefix`. */
export function inPrefix(addr: Ipv4, prefix: Prefix): boolean {
	return networkOf(addr, prefix.len) === networkOf(prefix.addr, prefix.len);
}

/** Formats a prefix as iproute2 prints route destinations: `/32` is left out. */
export function formatRouteDst(prefix: Prefix): string {
	if (prefix.len === 0 && prefix.addr === 0) return 'default';
	return prefix.len === 32 ? formatIpv4(prefix.addr) : `${formatIpv4(prefix.addr)}/${prefix.len}`;
}

/** True for 127.0.0.0/8. */
export function isLoopback(addr: Ipv4): boolean {
	return addr >>> 24 === 127;
}
/**
 * Parses `ADDR[/LEN]` as iproute2's get_prefix() does for `ip addr`/`ip route`: loose dotted form,
 * a missing length means /32. Returns null when invalid.
 */
export function parsePrefix(text: string, defaultLen = 32): Prefix | null {
	const slash = text.indexOf('/');
	const addrText = slash < 0 ? text : text.slice(0, slash);
	const parsed = parseIpv4Loose(addrText);
	if (!parsed) return null;
	let len = defaultLen;
	if (slash >= 0) {
		const lenText = text.slice(slash + 1);
		if (!/^\d{1,2}$/.test(lenText)) return null;
		len = Number(lenText);
		if (len > 32) return null;
	}
	return { addr: parsed.addr, len };
}

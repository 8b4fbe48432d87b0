/** IPv4 addresses as unsigned 32-bit numbers, so that ranges are plain arithmetic. */

/** An address and prefix length, as in `10.22.0.0/16`. */
export interface Cidr {
	address: number;
	prefix: number;
}

/** `10.22.0.2` → its number, or undefined when it is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) < 256)) return undefined;
	return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** A number → `10.22.0.2`. */
export function formatIpv4(n: number): string {
	return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `10.22.0.0/16` → its parts, or undefined. */
export function parseCidr(text: string): Cidr | undefined {
	const [ip, len, extra] = text.split('/');
	const address = parseIpv4(ip ?? '');
	const prefix = Number(len);
	if (address === undefined || extra !== undefined || !/^\d{1,2}$/.test(len ?? '') || prefix > 32) return undefined;
	return { address, prefix };
}

/** The network address of a CIDR (host bits cleared). */
export function networkOf(c: Cidr): number {
	return c.prefix === 0 ? 0 : (c.address & (~0 << (32 - c.prefix))) >>> 0;
}

/** The broadcast address of a CIDR (host bits set). */
export function broadcastOf(c: Cidr): number {
	return (networkOf(c) + 2 ** (32 - c.prefix) - 1) >>> 0;
}

/** True when `ip` lies inside the CIDR's network. */
export function contains(c: Cidr, ip: number): boolean {
	return ip >= networkOf(c) && ip <= broadcastOf(c);
}

/** Ethernet MAC addresses: parsing, printing, seeded generation and EUI-64 link-local addresses. */

/** A MAC address as six bytes. */
export type Mac = readonly number[];

/** The all-zero MAC (loopback). */
export const ZERO_MAC: Mac = [0, 0, 0, 0, 0, 0];
/** The broadcast MAC. */
export const BROADCAST_MAC: Mac = [255, 255, 255, 255, 255, 255];

/** Formats a MAC as lowercase colon-separated hex. */
export function formatMac(mac: Mac): string {
	return mac.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Parses `aa:bb:cc:dd:ee:ff` (1-2 hex digits per byte, as iproute2's ll_addr_a2n accepts). */
export function parseMac(text: string): Mac | null {
	const parts = text.split(':');
	if (parts.length !== 6) return null;
	const bytes: number[] = [];
	for (const part of parts) {
		if (!/^[0-9a-fA-F]{1,2}$/.test(part)) return null;
		bytes.push(parseInt(part, 16));
	}
	return bytes;
}

/** Compares two MACs byte by byte (for the bridge's "lowest port MAC" rule). */
function compareMac(a: Mac, b: Mac): number {
	for (let i = 0; i < 6; i++) {
		const d = (a[i] ?? 0) - (b[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

/** True when both MACs are equal. */
export function sameMac(a: Mac, b: Mac): boolean {
	return compareMac(a, b) === 0;
}

/** True for group (multicast/broadcast) addresses. */
export function isGroupMac(mac: Mac): boolean {
	return ((mac[0] ?? 0) & 1) === 1;
}

/**
 * A small deterministic PRNG (mulberry32) so that the same lab and commands always produce the
 * same MACs: the kernel picks random ones, the simulator must be reproducible.
 */
export class Rng {
	private state: number;
	constructor(seed: number) {
		this.state = seed >>> 0;
	}
	/** Next 32-bit unsigned value. */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	}
	/** A random locally administered unicast MAC, as eth_random_addr() makes. */
	mac(): Mac {
		const bytes: number[] = [];
		for (let i = 0; i < 6; i++) bytes.push(this.next() & 255);
		bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
		return bytes;
	}
}

/** The EUI-64 IPv6 link-local address of a MAC, formatted as `ip` prints it (`fe80::…`). */
export function linkLocalOf(mac: Mac): string {
	const b = [...mac];
	const words = [
		(((b[0] ?? 0) ^ 2) << 8) | (b[1] ?? 0),
		((b[2] ?? 0) << 8) | 0xff,
		(0xfe << 8) | (b[3] ?? 0),
		((b[4] ?? 0) << 8) | (b[5] ?? 0),
	];
	return formatIpv6([0xfe80, 0, 0, 0, ...words]);
}

/** Formats eight 16-bit words per RFC 5952 (longest zero run compressed, first one on ties). */
export function formatIpv6(words: readonly number[]): string {
	let bestStart = -1;
	let bestLen = 1;
	for (let i = 0; i < 8; ) {
		if (words[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && words[j] === 0) j++;
		if (j - i > bestLen) {
			bestStart = i;
			bestLen = j - i;
		}
		i = j;
	}
	const hex = words.map((w) => w.toString(16));
	if (bestStart < 0) return hex.join(':');
	const head = hex.slice(0, bestStart).join(':');
	const tail = hex.slice(bestStart + bestLen).join(':');
	return `${head}::${tail}`;
}

/** Minimal IPv6 text handling: parse to eight words and print in RFC 5952 form. */
import { formatIpv6 } from './mac.ts';

/** Parses IPv6 text (with `::` and an optional dotted tail); null when invalid. */
function parseIpv6(text: string): number[] | null {
	if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return null;
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const words = (part: string | undefined): number[] | null => {
		if (!part) return [];
		const out: number[] = [];
		const items = part.split(':');
		for (let i = 0; i < items.length; i++) {
			const it = items[i] as string;
			if (i === items.length - 1 && it.includes('.')) {
				const q = it.split('.').map(Number);
				if (q.length !== 4 || q.some((n) => !(n >= 0 && n <= 255))) return null;
				out.push(((q[0] as number) << 8) | (q[1] as number), ((q[2] as number) << 8) | (q[3] as number));
				continue;
			}
			if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
			out.push(parseInt(it, 16));
		}
		return out;
	};
	const h = words(head);
	const t = words(tail);
	if (!h || !t) return null;
	if (tail === undefined && !text.includes('::')) return h.length === 8 ? h : null;
	const fill = 8 - h.length - t.length;
	if (fill < 1) return null;
	return [...h, ...new Array<number>(fill).fill(0), ...t];
}

/** Canonical text of an IPv6 address given as text; null when invalid. */
export function canonicalIpv6(text: string): string | null {
	const w = parseIpv6(text);
	return w ? formatIpv6(w) : null;
}

/** An IPv6 address (text) as 32 hex digits, so that comparing keys compares addresses; '' when invalid. */
export function ipv6Key(text: string): string {
	const w = parseIpv6(text);
	return w ? w.map((x) => x.toString(16).padStart(4, '0')).join('') : '';
}

/** The network of an IPv6 address (text) with `len` prefix bits, in canonical text; null when invalid. */
export function ipv6Network(text: string, len: number): string | null {
	const w = parseIpv6(text);
	if (!w) return null;
	return formatIpv6(w.map((x, i) => {
		const bits = Math.max(0, Math.min(16, len - i * 16));
		return bits === 0 ? 0 : x & ((0xffff << (16 - bits)) & 0xffff);
	}));
}

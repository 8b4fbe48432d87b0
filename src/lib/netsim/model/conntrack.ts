/** Connection tracking entries (ICMP echo flows), with NAT bindings and timeouts. */
import type { Ipv4 } from '../addr/ipv4.ts';

/** A tuple as conntrack prints it. */
export interface Tuple {
	src: Ipv4;
	dst: Ipv4;
	/** ICMP echo id, or a port pair for TCP/UDP. */
	id: number;
}

/** One tracked connection. */
export interface Conntrack {
	proto: number;
	orig: Tuple;
	/** The tuple replies carry (after NAT). */
	reply: Tuple;
	replied: boolean;
	/** Virtual time (ms) the entry expires. */
	expires: number;
}

/** ICMP flows time out 30 s after the last packet. */
export const ICMP_TIMEOUT_MS = 30_000;

/** Finds the entry and direction a packet belongs to. */
export function findConn(list: readonly Conntrack[], proto: number, src: Ipv4, dst: Ipv4, id: number, now: number): { ct: Conntrack; dir: 'orig' | 'reply' } | undefined {
	for (const ct of list) {
		if (ct.proto !== proto || ct.expires <= now) continue;
		if (ct.orig.src === src && ct.orig.dst === dst && ct.orig.id === id) return { ct, dir: 'orig' };
		if (ct.reply.src === src && ct.reply.dst === dst && ct.reply.id === id) return { ct, dir: 'reply' };
	}
	return undefined;
}

/** Connection tracking entries (ICMP echo, TCP, UDP flows) with NAT bindings and timeouts. */
import type { Ipv4 } from '../addr/ipv4.ts';

/** A tuple as conntrack prints it; for ICMP echo both ports hold the echo id. */
interface Tuple {
	src: Ipv4;
	dst: Ipv4;
	sport: number;
	dport: number;
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
	/** TCP state as conntrack prints it. */
	state?: string | undefined;
	assured: boolean;
	finOrig?: boolean | undefined;
	finReply?: boolean | undefined;
}

/** Timeouts (ms) of the kernel's defaults. */
export const TIMEOUT = {
	icmp: 30_000,
	udp: 30_000,
	udpReplied: 120_000,
	synSent: 120_000,
	synRecv: 60_000,
	established: 432_000_000,
	finWait: 120_000,
	lastAck: 30_000,
	timeWait: 120_000,
	close: 10_000,
} as const;

/**
 * Finds the entry and direction a packet belongs to. An ICMP echo's tuple holds its type too
 * (8 one way, 0 back): given `icmpType`, a request matches only the original direction and a
 * reply only the reply one, which tells them apart when both ends are the same address (a ping
 * of the host's own address through lo).
 */
export function findConn(list: readonly Conntrack[], proto: number, src: Ipv4, dst: Ipv4, sport: number, dport: number, now: number, icmpType?: number): { ct: Conntrack; dir: 'orig' | 'reply' } | undefined {
	for (const ct of list) {
		if (ct.proto !== proto || ct.expires <= now) continue;
		const o = ct.orig;
		const r = ct.reply;
		if (icmpType !== 0 && o.src === src && o.dst === dst && o.sport === sport && o.dport === dport) return { ct, dir: 'orig' };
		if (icmpType !== 8 && r.src === src && r.dst === dst && r.sport === sport && r.dport === dport) return { ct, dir: 'reply' };
	}
	return undefined;
}

/** Moves a TCP entry along with the flags of one segment. */
export function trackTcp(ct: Conntrack, dir: 'orig' | 'reply', flags: string, now: number): void {
	const set = (state: string, ms: number): void => {
		ct.state = state;
		ct.expires = now + ms;
	};
	// A reset before the connection was established removes the entry at once.
	if (flags.includes('R')) set('CLOSE', ct.assured ? TIMEOUT.close : 0);
	else if (flags.includes('S') && !flags.includes('A')) set('SYN_SENT', TIMEOUT.synSent);
	else if (flags.includes('S')) set('SYN_RECV', TIMEOUT.synRecv);
	else if (flags.includes('F')) {
		if (dir === 'orig') ct.finOrig = true;
		else ct.finReply = true;
		if (ct.finOrig && ct.finReply) set('LAST_ACK', TIMEOUT.lastAck);
		else set('FIN_WAIT', TIMEOUT.finWait);
	} else if (flags.includes('A')) {
		if (ct.state === 'SYN_RECV' && dir === 'orig') {
			ct.assured = true;
			set('ESTABLISHED', TIMEOUT.established);
		} else if (ct.finOrig && ct.finReply) set('TIME_WAIT', TIMEOUT.timeWait);
		else if (ct.state === 'FIN_WAIT') set('CLOSE_WAIT', TIMEOUT.finWait);
	}
}

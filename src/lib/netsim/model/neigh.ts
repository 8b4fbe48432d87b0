/** The neighbour (ARP) table and its state machine on the virtual clock. */
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Mac } from '../addr/mac.ts';
import type { Ip4 } from './packet.ts';
import type { Link } from './link.ts';

/** NUD states as `ip neigh` prints them. */
export type NudState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT' | 'NOARP';

/** One neighbour entry. */
export interface Neigh {
	link: Link;
	ip: Ipv4;
	mac?: Mac | undefined;
	state: NudState;
	/** Virtual time (ms) of the last state change. */
	since: number;
	/** When an INCOMPLETE resolution gives up (ms). */
	failAt?: number | undefined;
	router?: boolean | undefined;
	/** Packets waiting for resolution (INCOMPLETE), with where they came from. */
	queue?: { pkt: Ip4; origin: 'local' | 'forward' }[] | undefined;
}

/** base_reachable_time is 30 s; the kernel randomises it to 15-45 s, we take the middle. */
const REACHABLE_MS = 30_000;
/** delay_first_probe_time. */
const DELAY_MS = 5_000;
/** Three probes one second apart before FAILED. */
export const RESOLVE_MS = 3_000;

/**
 * Advances an entry's timers to `now`. `answers` says whether a unicast probe would be answered
 * (DELAY → PROBE → REACHABLE), which the caller decides by looking at the wire.
 */
export function ageNeigh(n: Neigh, now: number, answers: () => boolean): void {
	for (let guard = 0; guard < 8; guard++) {
		if (n.state === 'REACHABLE' && now - n.since >= REACHABLE_MS) {
			n.state = 'STALE';
			n.since += REACHABLE_MS;
		} else if (n.state === 'DELAY' && now - n.since >= DELAY_MS) {
			const at = n.since + DELAY_MS;
			if (answers()) {
				n.state = 'REACHABLE';
				n.since = at;
			} else {
				n.state = 'FAILED';
				n.since = at + RESOLVE_MS;
				delete n.mac;
			}
		} else if (n.state === 'INCOMPLETE' && n.failAt !== undefined && now >= n.failAt) {
			n.state = 'FAILED';
			n.since = n.failAt;
			delete n.failAt;
		} else return;
	}
}

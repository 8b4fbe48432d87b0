/** Neighbour entries (RTM_NEWNEIGH, RTM_DELNEIGH) and their timers, run lazily when someone looks. */
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Mac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import { ageNeigh, type Neigh, type NudState } from '../model/neigh.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/** How a neighbour request relates to an existing entry (NLM_F_CREATE/EXCL/REPLACE as `ip neigh` sets them). */
type NeighMode = 'add' | 'replace' | 'change';

/** Ages every entry of a namespace to now: REACHABLE goes STALE, DELAY probes, INCOMPLETE fails. */
export function neighAgeAll(ns: Netns): void {
	for (const n of ns.neigh) ageNeigh(n, ns.world.now, () => n.link.running());
}

/**
 * Adds or updates the entry for `ip` on a device: `add` refuses an existing one (EEXIST), `change`
 * a missing one (ENOENT); a new entry in a state that needs an address refuses to go without one.
 */
export function neighSet(ns: Netns, link: Link, ip: Ipv4, mode: NeighMode, state: NudState, lladdr: Mac | undefined): Result<Neigh> {
	const now = ns.world.now;
	const existing = ns.neigh.find((n) => n.link === link && n.ip === ip);
	if (mode === 'add' && existing) return refuse('EEXIST');
	if (mode === 'change' && !existing) return refuse('ENOENT');
	if (!lladdr && !existing && (state === 'PERMANENT' || state === 'REACHABLE' || state === 'STALE')) return refuse('EINVAL', 'No link layer address given.');
	const n: Neigh = existing ?? { link, ip, state, since: now };
	n.state = state;
	n.since = now;
	if (lladdr) n.mac = lladdr;
	if (!existing) ns.neigh.push(n);
	return ok(n);
}

/** Deletes the entry for `ip` on a device: ENOENT when there is none. */
export function neighDel(ns: Netns, link: Link, ip: Ipv4): Result {
	const existing = ns.neigh.find((n) => n.link === link && n.ip === ip);
	if (!existing) return refuse('ENOENT');
	ns.neigh = ns.neigh.filter((n) => n !== existing);
	return ok();
}

/** Deletes entries (those an `ip neigh flush` selected). */
export function neighRemove(ns: Netns, victims: readonly Neigh[]): void {
	const set = new Set(victims);
	ns.neigh = ns.neigh.filter((n) => !set.has(n));
}

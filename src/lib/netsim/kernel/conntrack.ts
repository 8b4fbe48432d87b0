/** The connection tracking table as `conntrack` reaches it (ctnetlink): expiry and flush. */
import type { Netns } from '../model/netns.ts';

/** Drops the flows whose timeout has passed (their timers, run when someone looks). */
export function conntrackExpire(ns: Netns): void {
	const now = ns.world.now;
	ns.conntrack = ns.conntrack.filter((c) => c.expires > now);
}

/** Empties the table (`conntrack -F`). */
export function conntrackFlush(ns: Netns): void {
	ns.conntrack = [];
}

/** The connection tracking table as `conntrack` reaches it (ctnetlink): expiry, deletion and flush. */
import type { Conntrack } from '../model/conntrack.ts';
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

/** Deletes the given flows (`conntrack -D`, one IPCTNL_MSG_CT_DELETE each). */
export function conntrackDelete(ns: Netns, victims: readonly Conntrack[]): void {
	const set = new Set(victims);
	ns.conntrack = ns.conntrack.filter((c) => !set.has(c));
}

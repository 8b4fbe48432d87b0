/** Routing tables: route records, the kernel's dump order and longest-prefix lookup. */
import { inPrefix, networkOf, type Ipv4, type Prefix } from '../addr/ipv4.ts';
import type { Link } from './link.ts';

/** Route types as `ip route` names them. */
export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

/** One IPv4 route. */
export interface Route {
	table: number;
	type: RouteType;
	dst: Prefix;
	dev?: Link | undefined;
	gateway?: Ipv4 | undefined;
	/** rtnetlink protocol: kernel, boot (the `ip route add` default), static, dhcp, or a number. */
	proto: string;
	scope: 'global' | 'link' | 'host';
	prefsrc?: Ipv4 | undefined;
	/** Priority; 0 is printed as nothing. */
	metric: number;
	onlink: boolean;
}

/** The main table's id (`main`). */
export const TABLE_MAIN = 254;
/** The local table's id (`local`): local and broadcast routes. */
export const TABLE_LOCAL = 255;
/** The default table's id (`default`). */
export const TABLE_DEFAULT = 253;

/** Sorts routes in the order the FIB trie dumps them: by key, longer prefix first, then metric. */
export function sortRoutes(routes: Route[]): Route[] {
	return [...routes].sort((a, b) => {
		const ka = networkOf(a.dst.addr, a.dst.len);
		const kb = networkOf(b.dst.addr, b.dst.len);
		if (ka !== kb) return ka - kb;
		if (a.dst.len !== b.dst.len) return b.dst.len - a.dst.len;
		return a.metric - b.metric;
	});
}

/** True when two routes have the same identity for the kernel (add → File exists). */
export function sameKey(a: Route, b: Route): boolean {
	return a.table === b.table && a.dst.len === b.dst.len && a.dst.addr === b.dst.addr && a.metric === b.metric;
}

/**
 * Longest-prefix match in one table. Routes through a device that is down are dead and skipped,
 * but those of scope host, whose nexthop the kernel never marks dead (a local address answers on
 * a device that is down); among equal prefixes the lowest metric wins, then the oldest.
 */
export function lookup(routes: readonly Route[], dst: Ipv4, oif?: Link): Route | undefined {
	let best: Route | undefined;
	for (const r of routes) {
		if (!inPrefix(dst, r.dst)) continue;
		if (r.dev && !r.dev.adminUp && r.scope !== 'host') continue;
		if (oif && r.dev && r.dev !== oif && r.type === 'unicast') continue;
		if (!best || r.dst.len > best.dst.len || (r.dst.len === best.dst.len && r.metric < best.metric)) best = r;
	}
	return best;
}

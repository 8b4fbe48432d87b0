/** Route resolution as the kernel does it for output and input, and source address selection. */
import { inPrefix, isLoopback, networkOf, type Ipv4 } from '../addr/ipv4.ts';
import { lookup, TABLE_LOCAL, TABLE_MAIN, type Route } from '../model/fib.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';

/** A resolved route. */
export interface Resolved {
	type: 'local' | 'unicast' | 'broadcast';
	dev: Link;
	gateway?: number | undefined;
	src: number;
	route: Route;
}

/** Why there is no route, as errno names. */
export type RouteError = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EINVAL' | 'EACCES';

/** inet_select_addr: the primary address on `dev` for `dst`, else the first global one anywhere. */
export function selectSrc(ns: Netns, dev: Link | undefined, dst: Ipv4, scope: 'link' | 'global' = 'link'): Ipv4 | undefined {
	const prim = ns.v4().filter((a) => !a.secondary);
	if (dev) {
		const onDev = prim.filter((a) => a.link === dev && a.scope !== 'host');
		const same = onDev.find((a) => networkOf(a.local as Ipv4, a.prefixlen) === networkOf(dst, a.prefixlen));
		if (same) return same.local as Ipv4;
		if (onDev[0]) return onDev[0].local as Ipv4;
	}
	const any = prim.find((a) => a.scope === 'global' || (scope === 'link' && a.scope === 'link'));
	return any?.local as Ipv4 | undefined;
}

/** Walks the policy rules in priority order and looks up each rule's table. */
export function fibLookup(ns: Netns, dst: Ipv4, oif?: Link, src?: Ipv4): Route | undefined {
	for (const rule of ns.rules) {
		if (rule.from && (src === undefined || !inPrefix(src, rule.from))) continue;
		if (rule.to && !inPrefix(dst, rule.to)) continue;
		const r = lookup(ns.routes.filter((x) => x.table === rule.table), dst, rule.table === TABLE_LOCAL ? undefined : oif);
		if (r) return r;
	}
	return undefined;
}

/** Output route for a locally generated packet (ip_route_output). */
export function routeOutput(ns: Netns, dst: Ipv4, oif?: Link, src?: Ipv4): Resolved | RouteError {
	if (dst === 0) return 'ENETUNREACH';
	const r = fibLookup(ns, dst, oif);
	if (!r) {
		if (oif && oif.running()) {
			// SO_BINDTODEVICE without a route: the kernel still sends on the device (link scope)
			const s = src ?? selectSrc(ns, oif, dst);
			if (s === undefined) return 'ENETUNREACH';
			return { type: 'unicast', dev: oif, src: s, route: { table: TABLE_MAIN, type: 'unicast', dst: { addr: dst, len: 32 }, dev: oif, proto: 'kernel', scope: 'link', metric: 0, onlink: false } };
		}
		return 'ENETUNREACH';
	}
	if (r.type === 'unreachable') return 'EHOSTUNREACH';
	if (r.type === 'prohibit') return 'EACCES';
	if (r.type === 'blackhole') return 'EINVAL';
	if (r.type === 'local') {
		// ip_route_output: a local route's preferred source, else the destination itself (a ping of
		// 127.0.0.5 leaves from 127.0.0.1, the 127/8 route's src).
		return { type: 'local', dev: ns.lo, src: src ?? r.prefsrc ?? dst, route: r };
	}
	const dev = r.dev;
	if (!dev) return 'ENETUNREACH';
	const s = src ?? r.prefsrc ?? selectSrc(ns, dev, r.gateway ?? dst);
	if (s === undefined) return 'ENETUNREACH';
	return { type: r.type === 'broadcast' ? 'broadcast' : 'unicast', dev, gateway: r.gateway, src: s, route: r };
}

/** Input route for a received packet: local delivery, or forwarding (ip_route_input). */
export function routeInput(ns: Netns, dst: Ipv4, inDev: Link): Resolved | RouteError {
	const r = fibLookup(ns, dst);
	if (r && (r.type === 'local' || r.type === 'broadcast')) return { type: r.type, dev: ns.lo, src: dst, route: r };
	if (dst === 0xffffffff) return { type: 'broadcast', dev: inDev, src: dst, route: r as Route };
	if (isLoopback(dst)) return 'EINVAL';
	if (!ns.forwarding()) return 'EHOSTUNREACH';
	if (!r) return 'ENETUNREACH';
	if (r.type === 'unreachable') return 'EHOSTUNREACH';
	if (r.type !== 'unicast' || !r.dev) return 'EINVAL';
	return { type: 'unicast', dev: r.dev, gateway: r.gateway, src: 0, route: r };
}

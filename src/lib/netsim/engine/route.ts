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

/**
 * Why there is no route, as errno names. `EXDEV`: reverse-path filtering refused the source (the
 * kernel's drop reason IP_RPFILTER; `ip route get` reports it, like every martian, as EINVAL).
 */
export type RouteError = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EINVAL' | 'EACCES' | 'EXDEV';

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
	// __mkroute_output: a loopback source may leave by a real device only where route_localnet
	// allows it (as after OUTPUT's DNAT of a connection to 127.0.0.1 to another machine).
	if (src !== undefined && isLoopback(src) && dev.kind !== 'loopback' && !confOr(ns, dev, 'route_localnet')) return 'EINVAL';
	const s = src ?? r.prefsrc ?? selectSrc(ns, dev, r.gateway ?? dst);
	if (s === undefined) return 'ENETUNREACH';
	return { type: r.type === 'broadcast' ? 'broadcast' : 'unicast', dev, gateway: r.gateway, src: s, route: r };
}

/** A per-device IPv4 `conf` switch that is on when `all` or the device says so (IN_DEV_ORCONF). */
function confOr(ns: Netns, dev: Link, leaf: string): boolean {
	return ns.get(`net.ipv4.conf.all.${leaf}`) === '1' || ns.get(`net.ipv4.conf.${dev.name.replaceAll('.', '/')}.${leaf}`) === '1';
}

/** The reverse-path filter mode on `dev`: the larger of `all` and the device's (IN_DEV_RPFILTER). */
export function rpFilter(ns: Netns, dev: Link): number {
	const num = (k: string): number => Number(ns.get(k) ?? '0') || 0;
	return Math.max(num('net.ipv4.conf.all.rp_filter'), num(`net.ipv4.conf.${dev.name.replaceAll('.', '/')}.rp_filter`));
}

/**
 * fib_validate_source: may a packet from `src` to `dst` arrive on `inDev` (to be delivered, or
 * forwarded out of `oif`)? Without reverse-path filtering only a source that is one of this
 * namespace's own addresses is refused. With it, the route back to `src` is looked up: none
 * refuses (both modes); strict mode (1) also refuses one that leaves by another device, loose mode
 * (2) takes any. The kernel's full check also runs for a packet forwarded back out of the device
 * it came in on while redirects are sent, and where local routes or policy rules were added.
 */
export function validateSource(ns: Netns, src: Ipv4, dst: Ipv4, inDev: Link, oif?: Link): 'EINVAL' | 'EXDEV' | undefined {
	const rpf = rpFilter(ns, inDev);
	const txRedirects = ns.forwarding() && confOr(ns, inDev, 'send_redirects');
	const customRules = ns.rules.length !== 3 || ns.rules.some((r) => r.from || r.to);
	const customLocal = ns.routes.some((r) => r.type === 'local' && r.proto !== 'kernel');
	if (!rpf && (oif !== inDev || !txRedirects)) {
		if (confOr(ns, inDev, 'accept_local')) return undefined;
		if (!customRules && !customLocal) return ns.v4().some((a) => a.local === src) ? 'EINVAL' : undefined;
	}
	const lastResort = (): 'EXDEV' | undefined => (rpf ? 'EXDEV' : undefined);
	const r = fibLookup(ns, src, undefined, dst);
	// unreachable, prohibit, blackhole: the lookup itself fails (fib_props' errors)
	if (!r || r.type === 'unreachable' || r.type === 'prohibit' || r.type === 'blackhole') return lastResort();
	if (r.type !== 'unicast' && (r.type !== 'local' || !confOr(ns, inDev, 'accept_local'))) return 'EINVAL';
	if (r.dev === inDev || (r.type === 'local' && inDev.kind === 'loopback')) return undefined;
	if (!ns.v4(inDev).length) return lastResort();
	return rpf === 1 ? 'EXDEV' : undefined;
}

/**
 * Input route for a packet from `src` received on `inDev`: local delivery, or forwarding
 * (ip_route_input_slow), with its checks of the source (martians, reverse path).
 */
export function routeInput(ns: Netns, dst: Ipv4, inDev: Link, src: Ipv4): Resolved | RouteError {
	const localnet = confOr(ns, inDev, 'route_localnet');
	// Martian sources: multicast or limited broadcast; 0.0.0.0 unless broadcast; 127/8 off lo.
	if (src >>> 28 === 14 || src === 0xffffffff) return 'EINVAL';
	if (dst === 0xffffffff) {
		const bad = src !== 0 ? validateSource(ns, src, 0, inDev) : undefined;
		return bad ?? { type: 'broadcast', dev: inDev, src: dst, route: fibLookup(ns, dst) as Route };
	}
	if (src === 0) return 'EINVAL';
	if (!isLoopback(dst) && isLoopback(src) && !localnet && inDev.kind !== 'loopback') return 'EINVAL';
	const r = fibLookup(ns, dst, undefined, src);
	if (r && (r.type === 'local' || r.type === 'broadcast')) {
		const bad = validateSource(ns, src, dst, inDev);
		return bad ?? { type: r.type, dev: ns.lo, src: dst, route: r };
	}
	if (isLoopback(dst)) return 'EINVAL';
	// Forwarding is allowed by the device the packet came in on (IN_DEV_FORWARD(in_dev)).
	if (!ns.forwardingOn(inDev)) return 'EHOSTUNREACH';
	if (!r) return 'ENETUNREACH';
	if (r.type === 'unreachable') return 'EHOSTUNREACH';
	if (r.type !== 'unicast' || !r.dev) return 'EINVAL';
	const bad = validateSource(ns, src, dst, inDev, r.dev);
	return bad ?? { type: 'unicast', dev: r.dev, gateway: r.gateway, src: 0, route: r };
}

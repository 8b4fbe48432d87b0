/**
 * Interface addresses (RTM_NEWADDR, RTM_DELADDR): IPv4 addresses with their kernel routes,
 * primaries and secondaries; IPv6 addresses as text.
 */
import { networkOf, type Ipv4 } from '../addr/ipv4.ts';
import type { Link } from '../model/link.ts';
import type { Addr, Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/** An IPv4 address to add. */
interface Addr4Request {
	local: Ipv4;
	prefixlen: number;
	brd?: Ipv4 | undefined;
	/** Default: host for 127.0.0.0/8, else global. */
	scope?: Addr['scope'] | undefined;
	/** Default: the device's name. */
	label?: string | undefined;
	/** No prefix route for the subnet (IFA_F_NOPREFIXROUTE). */
	noprefixroute?: boolean | undefined;
	/** The far end of a point-to-point address (IFA_ADDRESS when it differs from IFA_LOCAL). */
	peer?: Ipv4 | undefined;
}

/**
 * Adds an IPv4 address: EEXIST when the device has it already. An address in the subnet of a
 * primary one is a secondary; primaries are listed before secondaries, as the kernel keeps them.
 */
export function addr4Add(ns: Netns, link: Link, r: Addr4Request): Result<Addr> {
	if (ns.v4(link).some((x) => x.local === r.local && x.prefixlen === r.prefixlen)) return refuse('EEXIST', 'ipv4: Address already assigned.');
	const secondary = ns.v4(link).some((x) => !x.secondary && x.prefixlen === r.prefixlen && networkOf(x.local as Ipv4, x.prefixlen) === networkOf(r.local, r.prefixlen));
	const scope = r.scope ?? (r.local >>> 24 === 127 ? 'host' : 'global');
	const addr: Addr = { family: 4, link, local: r.local, prefixlen: r.prefixlen, scope, brd: r.brd, secondary, label: r.label ?? link.name, peer: r.peer, noprefixroute: r.noprefixroute || undefined };
	const v4 = ns.addrs.filter((x) => x.family === 4 && x.link === link);
	const lastPrimary = secondary ? v4[v4.length - 1] : [...v4].reverse().find((x) => !x.secondary);
	const idx = lastPrimary ? ns.addrs.indexOf(lastPrimary) + 1 : v4.length > 0 ? ns.addrs.indexOf(v4[0] as Addr) : ns.addrs.length;
	ns.addrs.splice(idx, 0, addr);
	ns.addAddrRoutes(addr);
	return ok(addr);
}

/** Adds an IPv6 address (canonical text): EEXIST when the device has it already. */
export function addr6Add(ns: Netns, link: Link, local: string, prefixlen: number): Result<Addr> {
	if (ns.addrs.some((x) => x.family === 6 && x.link === link && x.local === local)) return refuse('EEXIST');
	const scope = local.startsWith('fe80:') ? 'link' : local === '::1' ? 'host' : 'global';
	const addr: Addr = { family: 6, link, local, prefixlen, scope, secondary: false, label: link.name };
	ns.addrs.push(addr);
	return ok(addr);
}

/**
 * Deletes the IPv4 address `local` of a device, of any prefix length when `prefixlen` is
 * undefined (iproute2's wildcard deletion): EADDRNOTAVAIL when there is none, with the extended
 * ack inet_rtm_deladdr gives.
 */
export function addr4Del(ns: Netns, link: Link, local: Ipv4, prefixlen: number | undefined): Result<Addr> {
	const hit = ns.v4(link).find((x) => x.local === local && (prefixlen === undefined || x.prefixlen === prefixlen));
	if (!hit) return refuse('EADDRNOTAVAIL', 'ipv4: Address not found.');
	addrRemove(ns, hit);
	return ok(hit);
}

/** Deletes the IPv6 address `local` of a device (of one prefix length if given): EADDRNOTAVAIL when there is none. */
export function addr6Del(ns: Netns, link: Link, local: string, prefixlen: number | undefined): Result<Addr> {
	const hit = ns.addrs.find((x) => x.family === 6 && x.link === link && x.local === local && (prefixlen === undefined || x.prefixlen === prefixlen));
	if (!hit) return refuse('EADDRNOTAVAIL');
	addrRemove(ns, hit);
	return ok(hit);
}

/**
 * Removes an address the namespace has (__inet_del_ifa). An IPv4 primary takes its secondaries
 * along, unless promote_secondaries is on (for the device or `all`): then the first of them
 * becomes the primary and the others stay, their routes put back with its address as source.
 * The last IPv4 address of a device gone, the kernel disables IP on it (fib_disable_ip), which
 * flushes its routes and its ARP cache.
 */
export function addrRemove(ns: Netns, a: Addr): void {
	if (a.family === 6) {
		ns.addrs = ns.addrs.filter((x) => x !== a);
		return;
	}
	const secondaries = a.secondary ? [] : ns.v4(a.link).filter((x) => x.secondary && x.prefixlen === a.prefixlen && networkOf(x.local as Ipv4, x.prefixlen) === networkOf(a.local as Ipv4, a.prefixlen));
	const conf = (dev: string): boolean => ns.get(`net.ipv4.conf.${dev}.promote_secondaries`) === '1';
	const promote = conf('all') || conf(a.link.name.replaceAll('.', '/')) ? secondaries[0] : undefined;
	const victims = promote ? [a] : [a, ...secondaries];
	for (const v of victims) {
		ns.removeAddrRoutes(v);
		ns.addrs = ns.addrs.filter((x) => x !== v);
	}
	if (promote) {
		// The promoted address moves up among the primaries; every route of the subnet's
		// addresses goes in again with it as the source.
		for (const x of secondaries) ns.removeAddrRoutes(x);
		ns.addrs = ns.addrs.filter((x) => x !== promote);
		promote.secondary = false;
		const lastPrimary = ns.v4(a.link).filter((x) => !x.secondary).pop();
		const firstOfLink = ns.v4(a.link)[0];
		const idx = lastPrimary ? ns.addrs.indexOf(lastPrimary) + 1 : firstOfLink ? ns.addrs.indexOf(firstOfLink) : ns.addrs.length;
		ns.addrs.splice(idx, 0, promote);
		for (const x of secondaries) ns.addAddrRoutes(x);
	}
	if (ns.v4(a.link).length === 0) {
		ns.routes = ns.routes.filter((r) => r.dev !== a.link);
		ns.neigh = ns.neigh.filter((n) => n.link !== a.link);
	}
}

/**
 * Removes one IPv4 address and the kernel routes it put in, and nothing else: what the
 * simulator's CNI bridge plugin does with `forceAddress`. (RTM_DELADDR, addrRemove, also takes
 * secondaries along and, for a device's last address, its routes and neighbours: a known gap.)
 */
export function addrUnassign(ns: Netns, a: Addr): void {
	ns.removeAddrRoutes(a);
	ns.addrs = ns.addrs.filter((x) => x !== a);
}

/** `ip route show`: the selected IPv4 routes, and the IPv6 routes the kernel keeps for link-local addressing. */
import { TABLE_MAIN } from '../../model/fib.ts';
import { ipv6Key, ipv6Network } from '../../addr/ipv6.ts';
import type { Link } from '../../model/link.ts';
import { Printer } from '../../print/printer.ts';
import { printRoute, type RoutePrintOpts } from '../../print/route.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { Args } from '../args.ts';
import type { IpCtx, IpOut } from './common.ts';
import { filterRoutes, parseFilter } from './route-select.ts';

/** `ip route show` (and `ip -6 route`). */
export function routeShow(ic: IpCtx, a: Args): IpOut {
	if (ic.opts.family === 6) return ipv6Routes(ic);
	const f = parseFilter(ic, a);
	const p = new Printer(ic.opts.json);
	p.openArray();
	if (f.table !== TABLE_MAIN && f.table !== -1 && !ic.ns.tables.has(f.table)) {
		throw new ToolExit(2, 'Error: ipv4: FIB table does not exist.\nDump terminated\n');
	}
	const po: RoutePrintOpts = { details: ic.opts.details, numeric: ic.opts.numeric, hideProto: f.proto !== undefined, hideScope: f.scope !== undefined, hideVia: f.via !== undefined };
	for (const r of filterRoutes(ic, f)) printRoute(p, r, f.table === -1, f.dev !== undefined, po);
	if (f.table === -1 && !ic.opts.family) ipv6Rows(ic, p, true);
	p.close();
	return { stdout: p.result() };
}

/** `ip -6 route`: the link-local prefixes of devices with IPv6 addresses. */
function ipv6Routes(ic: IpCtx): IpOut {
	const p = new Printer(ic.opts.json);
	p.openArray();
	ipv6Rows(ic, p, false);
	p.close();
	return { stdout: p.result() };
}

/**
 * IPv6 routes the kernel keeps for its addresses (main, and with `all` the local table): the
 * prefix route of each address (fe80::/64 once a device has a link-local one), in the fib6
 * tree's order, by prefix.
 */
function ipv6Rows(ic: IpCtx, p: Printer, withLocal: boolean): void {
	const seen = new Set<string>();
	const prefixes: { dst: string; link: Link }[] = [];
	for (const a of ic.ns.addrs) {
		// ::1 has only its local route (the loopback's own address, not a prefix of it).
		if (a.family !== 6 || !a.link.adminUp || a.local === '::1') continue;
		const net = a.scope === 'link' ? 'fe80::' : ipv6Network(String(a.local), a.prefixlen);
		const len = a.scope === 'link' ? 64 : a.prefixlen;
		// A /128 prints bare, as iproute2 prints every host route.
		const dst = len === 128 ? String(net) : `${net}/${len}`;
		if (net === null || seen.has(`${dst} ${a.link.ifindex}`)) continue;
		seen.add(`${dst} ${a.link.ifindex}`);
		prefixes.push({ dst, link: a.link });
	}
	const order = (x: { dst: string }): string => ipv6Key(x.dst.split('/')[0] ?? '') + (x.dst.split('/')[1] ?? '128').padStart(3, '0');
	prefixes.sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
	for (const { dst, link } of prefixes) {
		p.openObject();
		p.str('dst', '%s ', dst);
		p.str('dev', 'dev %s ', link.name);
		p.str('protocol', 'proto %s ', 'kernel');
		p.num('metric', 'metric %u ', 256);
		p.openArray('flags');
		if (!link.carrier()) p.str(undefined, 'linkdown ', 'linkdown');
		p.close();
		p.str('pref', 'pref %s', 'medium');
		p.close();
		p.out('\n');
	}
	if (!withLocal) return;
	const row = (type: string, dst: string, link: Link, metric: number): void => {
		p.openObject();
		p.str('type', '%s ', type);
		p.str('dst', '%s ', dst);
		p.str('dev', 'dev %s ', link.name);
		p.str('table', 'table %s ', 'local');
		p.str('protocol', 'proto %s ', 'kernel');
		p.num('metric', 'metric %u ', metric);
		p.openArray('flags');
		// The multicast route's nexthop has link scope: RTNH_F_LINKDOWN without carrier.
		if (type === 'multicast' && !link.carrier()) p.str(undefined, 'linkdown ', 'linkdown');
		p.close();
		p.str('pref', 'pref %s', 'medium');
		p.close();
		p.out('\n');
	};
	// Local and multicast routes come with IPv6 starting on the device (addrconf, which waits for
	// carrier: an address on a device that never had it stays tentative, without its local route).
	const v6 = ic.ns.addrs.filter((a) => a.family === 6 && a.link.adminUp && (a.link.v6Ready || a.link.kind === 'loopback'));
	// The fib6 tree dumps the local /128 routes in address order, not in the order they came.
	const key = (a: { local: unknown }): string => ipv6Key(String(a.local));
	const locals = [...v6].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
	for (const a of locals) row('local', String(a.local), a.link, 0);
	const mc = new Set<Link>();
	for (const a of v6) {
		if (a.link.kind === 'loopback' || mc.has(a.link)) continue;
		mc.add(a.link);
		row('multicast', 'ff00::/8', a.link, 256);
	}
}


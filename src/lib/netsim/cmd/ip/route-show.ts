/** `ip route show`: the selected IPv4 routes, and the IPv6 routes the kernel keeps for link-local addressing. */
import { TABLE_MAIN } from '../../model/fib.ts';
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

/** IPv6 routes the kernel keeps for link-local addressing (main, and with `all` the local table). */
function ipv6Rows(ic: IpCtx, p: Printer, withLocal: boolean): void {
	const seen = new Set<Link>();
	for (const a of ic.ns.addrs) {
		if (a.family !== 6 || a.scope !== 'link' || seen.has(a.link) || !a.link.adminUp) continue;
		seen.add(a.link);
		p.openObject();
		p.str('dst', '%s ', 'fe80::/64');
		p.str('dev', 'dev %s ', a.link.name);
		p.str('protocol', 'proto %s ', 'kernel');
		p.num('metric', 'metric %u ', 256);
		p.openArray('flags');
		if (!a.link.carrier()) p.str(undefined, 'linkdown ', 'linkdown');
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
	const v6 = ic.ns.addrs.filter((a) => a.family === 6 && a.link.adminUp);
	// The fib6 tree dumps the local /128 routes in address order, not in the order they came.
	const locals = [...v6].sort((x, y) => (v6Key(String(x.local)) < v6Key(String(y.local)) ? -1 : v6Key(String(x.local)) > v6Key(String(y.local)) ? 1 : 0));
	for (const a of locals) row('local', String(a.local), a.link, 0);
	const mc = new Set<Link>();
	for (const a of v6) {
		if (a.link.kind === 'loopback' || mc.has(a.link)) continue;
		mc.add(a.link);
		row('multicast', 'ff00::/8', a.link, 256);
	}
}

/** An IPv6 address as 32 hex digits, so that text order is address order. */
function v6Key(text: string): string {
	const [head = '', tail] = text.split('::');
	const groups = (t: string): string[] => (t === '' ? [] : t.split(':'));
	const h = groups(head);
	const t = tail === undefined ? [] : groups(tail);
	const fill = Array<string>(8 - h.length - t.length).fill('0');
	return [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join('');
}

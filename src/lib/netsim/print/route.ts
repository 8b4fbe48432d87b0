/**
 * A route as `ip route` prints it (iproute.c's print_route), shared by `ip route` and the packet
 * traces, which quote the route that matched. Table, protocol and scope names are iproute2's
 * (lib/rt_names.c).
 */
import { formatIpv4, formatRouteDst } from '../addr/ipv4.ts';
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Route } from '../model/fib.ts';
import { Printer } from './printer.ts';

/** Routing protocols by name, with their numbers (`-N` prints the numbers). */
export const PROTOS: Record<string, number> = { unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, keepalived: 18, babel: 42, openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192 };

/** Route scopes by name, with their numbers. */
const SCOPES: Record<string, number> = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 };

/** How `ip route` prints a route beyond the route itself (print_route's filter and option checks). */
export interface RoutePrintOpts {
	details?: boolean | undefined;
	numeric?: boolean | undefined;
	hideProto?: boolean | undefined;
	hideScope?: boolean | undefined;
	hideVia?: boolean | undefined;
}

/** Table names as iproute2 prints them. */
export function tableName(id: number): string {
	return id === TABLE_MAIN ? 'main' : id === TABLE_LOCAL ? 'local' : id === TABLE_DEFAULT ? 'default' : String(id);
}

/** One route as `ip route` prints it, without the trailing space (for packet traces). */
export function routeText(r: Route): string {
	const p = new Printer(false);
	printRoute(p, r, r.table !== TABLE_MAIN);
	return p.result().trimEnd();
}

/** Prints one route (print_route): `showTable` for dumps of every table, `hideDev` when filtered by device. */
export function printRoute(p: Printer, r: Route, showTable: boolean, hideDev = false, o: RoutePrintOpts = {}): void {
	p.openObject();
	if (r.type !== 'unicast' || o.details) p.str('type', '%s ', r.type);
	p.str('dst', '%s ', formatRouteDst(r.dst));
	if (r.gateway !== undefined && !o.hideVia) p.str('gateway', 'via %s ', formatIpv4(r.gateway));
	if (r.dev && !hideDev) p.str('dev', 'dev %s ', r.dev.name);
	if (showTable && r.table !== TABLE_MAIN) p.str('table', 'table %s ', tableName(r.table));
	if ((r.proto !== 'boot' || o.details) && !o.hideProto) p.str('protocol', 'proto %s ', o.numeric ? String(PROTOS[r.proto] ?? r.proto) : r.proto);
	if ((r.scope !== 'global' || o.details) && !o.hideScope) p.str('scope', 'scope %s ', o.numeric ? String(SCOPES[r.scope] ?? r.scope) : r.scope);
	if (r.prefsrc !== undefined) p.str('prefsrc', 'src %s ', formatIpv4(r.prefsrc));
	if (r.metric) p.num('metric', 'metric %u ', r.metric);
	p.openArray('flags');
	if (r.onlink) p.str(undefined, 'onlink ', 'onlink');
	// RTNH_F_LINKDOWN: set on every nexthop through a device without carrier but those of scope
	// host (a local route's nexthop has scope nowhere, which fib_sync_down_dev leaves alone).
	if (r.dev && r.scope !== 'host' && !r.dev.carrier()) p.str(undefined, 'linkdown ', 'linkdown');
	p.close();
	p.close();
	p.out('\n');
}

/** `ip route`: show, add/append/replace/change, del, get, flush. */
import { formatIpv4, inPrefix, networkOf, parseIpv4Loose, parsePrefix, type Ipv4, type Prefix } from '../../addr/ipv4.ts';
import { USAGE_IP_ROUTE } from '../usage.ts';
import { routeInput, routeOutput } from '../../engine/route.ts';
import { refuse } from '../../kernel/errno.ts';
import { routeAdd, routeDel, routesRemove, type RouteMode } from '../../kernel/route.ts';
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Route, type RouteType } from '../../model/fib.ts';
import type { Link } from '../../model/link.ts';
import { Printer } from '../../print/printer.ts';
import { printRoute, PROTOS, type RoutePrintOpts } from '../../print/route.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { answer, badAddr, badPrefix, duparg, incomplete, invarg, kerr, must, nodev } from './errors.ts';

const TYPES: RouteType[] = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'];

function parseTable(v: string, what = '"table"'): number {
	if (v === 'main') return TABLE_MAIN;
	if (v === 'local') return TABLE_LOCAL;
	if (v === 'default') return TABLE_DEFAULT;
	if (v === 'all') return -1;
	if (/^\d+$/.test(v) && Number(v) < 2 ** 32) return Number(v);
	invarg(`${what} value is invalid\n`, v);
}

interface RouteFilter {
	table: number;
	dev?: Link | undefined;
	proto?: string | undefined;
	scope?: string | undefined;
	type?: RouteType | undefined;
	/** Exact prefix (`ip route show 10.0.0.0/8`), or `root`/`match` variants. */
	prefix?: Prefix | undefined;
	mode: 'exact' | 'root' | 'match';
	via?: Ipv4 | undefined;
	src?: Ipv4 | undefined;
}

function parseFilter(ic: IpCtx, a: Args): RouteFilter {
	const f: RouteFilter = { table: TABLE_MAIN, mode: 'exact' };
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (matches(w, 'table')) f.table = parseTable(nextArg(a), 'table id');
		else if (matches(w, 'cache')) continue;
		else if (w === 'dev' || w === 'oif') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			f.dev = l;
		} else if (matches(w, 'protocol')) f.proto = nextArg(a);
		else if (matches(w, 'scope')) f.scope = nextArg(a);
		else if (matches(w, 'type')) f.type = nextArg(a) as RouteType;
		else if (w === 'via') {
			const v = nextArg(a);
			const g = parseIpv4Loose(v);
			if (!g) badAddr(v);
			f.via = g.addr;
		} else if (w === 'src') {
			const v = nextArg(a);
			const g = parseIpv4Loose(v);
			if (!g) badAddr(v);
			f.src = g.addr;
		} else if (w === 'root' || w === 'match' || w === 'exact') {
			f.mode = w;
			const v = nextArg(a);
			f.prefix = v === 'default' || v === 'all' ? { addr: 0, len: 0 } : parsePrefix(v) ?? badPrefix(v);
		} else {
			let v = w;
			if (w === 'to') v = nextArg(a);
			if (v === 'all') {
				f.prefix = { addr: 0, len: 0 };
				f.mode = 'root';
			} else if (v === 'default') f.prefix = { addr: 0, len: 0 };
			else {
				const pre = parsePrefix(v);
				if (!pre) badPrefix(v);
				f.prefix = pre;
			}
		}
	}
	return f;
}

function filterRoutes(ic: IpCtx, f: RouteFilter): Route[] {
	const routes = f.table === -1 ? [...new Set(ic.ns.routes.map((r) => r.table))].sort((a, b) => (a % 256) - (b % 256) || a - b).flatMap((t) => ic.ns.table(t)) : ic.ns.table(f.table);
	return routes.filter((r) => {
		if (f.dev && r.dev !== f.dev) return false;
		if (f.proto && r.proto !== f.proto) return false;
		if (f.scope && r.scope !== f.scope) return false;
		if (f.type && r.type !== f.type) return false;
		if (f.via !== undefined && r.gateway !== f.via) return false;
		if (f.src !== undefined && r.prefsrc !== f.src) return false;
		if (f.prefix) {
			const pre = f.prefix;
			const net = networkOf(pre.addr, pre.len);
			if (f.mode === 'exact' && (r.dst.len !== pre.len || r.dst.addr !== net)) return false;
			if (f.mode === 'root' && (r.dst.len < pre.len || !inPrefix(r.dst.addr, { addr: net, len: pre.len }))) return false;
			if (f.mode === 'match' && (r.dst.len > pre.len || !inPrefix(net, r.dst))) return false;
		}
		return true;
	});
}

function routeShow(ic: IpCtx, a: Args): IpOut {
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
	const row = (type: string, dst: string, dev: string, metric: number): void => {
		p.openObject();
		p.str('type', '%s ', type);
		p.str('dst', '%s ', dst);
		p.str('dev', 'dev %s ', dev);
		p.str('table', 'table %s ', 'local');
		p.str('protocol', 'proto %s ', 'kernel');
		p.num('metric', 'metric %u ', metric);
		p.openArray('flags');
		p.close();
		p.str('pref', 'pref %s', 'medium');
		p.close();
		p.out('\n');
	};
	const v6 = ic.ns.addrs.filter((a) => a.family === 6 && a.link.adminUp);
	for (const a of v6) row('local', String(a.local), a.link.name, 0);
	const mc = new Set<Link>();
	for (const a of v6) {
		if (a.link.kind === 'loopback' || mc.has(a.link)) continue;
		mc.add(a.link);
		row('multicast', 'ff00::/8', a.link.name, 256);
	}
}

interface RouteReq {
	route: Route;
	devName?: string | undefined;
	hasDst: boolean;
}

function parseModify(_ic: IpCtx, a: Args): RouteReq {
	const r: Route = { table: TABLE_MAIN, type: 'unicast', dst: { addr: 0, len: 0 }, proto: 'boot', scope: 'global', metric: 0, onlink: false };
	const req: RouteReq = { route: r, hasDst: false };
	let scopeSet = false;
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'src') {
			const v = nextArg(a);
			const g = parseIpv4Loose(v);
			if (!g) badAddr(v);
			r.prefsrc = g.addr;
		} else if (w === 'via') {
			const v = nextArg(a);
			if (r.gateway !== undefined) duparg('via', v);
			const g = v.includes('.') || /^\d+$/.test(v) ? parseIpv4Loose(v) : null;
			if (!g) badAddr(v);
			r.gateway = g.addr;
		} else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
			const v = nextArg(a);
			if (!/^\d+$/.test(v)) invarg('"metric" value is invalid\n', v);
			r.metric = Number(v);
		} else if (w === 'dev' || w === 'oif') {
			req.devName = nextArg(a);
		} else if (matches(w, 'table')) {
			const t = parseTable(nextArg(a));
			r.table = t < 0 ? TABLE_MAIN : t;
		} else if (matches(w, 'protocol')) {
			const v = nextArg(a);
			if (!(v in PROTOS) && !/^\d+$/.test(v)) invarg('"protocol" value is invalid\n', v);
			r.proto = Object.keys(PROTOS).find((k) => String(PROTOS[k]) === v) ?? v;
		} else if (matches(w, 'scope')) {
			const v = nextArg(a);
			if (!['global', 'link', 'host', 'universe', 'site', 'nowhere'].includes(v)) invarg('invalid "scope" value\n', v);
			r.scope = (v === 'universe' ? 'global' : v) as Route['scope'];
			scopeSet = true;
		} else if (w === 'onlink') r.onlink = true;
		else if (matches(w, 'mtu') || matches(w, 'advmss') || matches(w, 'realm') || matches(w, 'initcwnd') || w === 'tos' || w === 'dsfield') nextArg(a);
		else {
			let v = w;
			if (w === 'to') v = nextArg(a);
			if ((TYPES as string[]).includes(v) && !req.hasDst) {
				r.type = v as RouteType;
				v = nextArg(a);
			}
			if (req.hasDst) duparg('to', v);
			if (v === 'default' || v === 'all' || v === 'any') r.dst = { addr: 0, len: 0 };
			else {
				const pre = parsePrefix(v);
				if (!pre) badPrefix(v);
				if (networkOf(pre.addr, pre.len) !== pre.addr) kerr('Invalid prefix for given prefix length.');
				r.dst = pre;
			}
			req.hasDst = true;
		}
	}
	if (!scopeSet) {
		if (r.type === 'local') r.scope = 'host';
		else if (r.type === 'broadcast') r.scope = 'link';
		else if (r.type === 'unicast' && r.gateway === undefined) r.scope = 'link';
	}
	if (r.type === 'local' || r.type === 'broadcast') r.table = r.table === TABLE_MAIN ? TABLE_LOCAL : r.table;
	return req;
}

function routeModify(ic: IpCtx, a: Args, mode: RouteMode): IpOut {
	const req = parseModify(ic, a);
	const r = req.route;
	const ns = ic.ns;
	if (!req.hasDst && r.gateway !== undefined) throw new ToolExit(255, USAGE_IP_ROUTE);
	if (!req.hasDst) incomplete();
	if (req.devName !== undefined) {
		const d = ns.link(req.devName);
		if (!d) nodev(req.devName);
		r.dev = d;
	}
	must(routeAdd(ns, r, mode));
	return { stdout: '' };
}

function routeDelete(ic: IpCtx, a: Args): IpOut {
	const req = parseModify(ic, a);
	const ns = ic.ns;
	if (!req.hasDst) incomplete();
	let dev: Link | undefined;
	if (req.devName !== undefined) {
		dev = ns.link(req.devName);
		if (!dev) nodev(req.devName);
	}
	must(routeDel(ns, req.route, dev));
	return { stdout: '' };
}

function routeFlush(ic: IpCtx, a: Args): IpOut {
	const f = parseFilter(ic, a);
	routesRemove(ic.ns, filterRoutes(ic, f));
	return { stdout: '' };
}

function routeGet(ic: IpCtx, a: Args): IpOut {
	let dst: Ipv4 | undefined;
	let from: Ipv4 | undefined;
	let iif: Link | undefined;
	let oif: Link | undefined;
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'from') {
			const v = nextArg(a);
			const g = parsePrefix(v);
			if (!g) badPrefix(v);
			from = g.addr;
		} else if (w === 'iif') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			iif = l;
		} else if (w === 'oif' || w === 'dev') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			oif = l;
		} else if (w === 'tos' || matches(w, 'dsfield') || w === 'mark' || w === 'uid' || w === 'vrf' || w === 'ipproto' || w === 'sport' || w === 'dport') nextArg(a);
		else if (w === 'connected' || w === 'fibmatch' || w === 'notify') continue;
		else {
			let v = w;
			if (w === 'to') v = nextArg(a);
			const g = parsePrefix(v);
			if (!g) badPrefix(v);
			dst = g.addr;
		}
	}
	if (dst === undefined) throw new ToolExit(1, 'need at least a destination address\n');
	const p = new Printer(ic.opts.json);
	p.openArray();
	p.openObject();
	if (iif) {
		if (from === undefined) from = 0;
		const rt = routeInput(ic.ns, dst, iif);
		if (typeof rt === 'string') answer(refuse(rt));
		if (rt.type === 'local') p.str('type', '%s ', 'local');
		p.str('dst', '%s ', formatIpv4(dst));
		p.str('from', 'from %s ', formatIpv4(from));
		if (rt.gateway !== undefined) p.str('gateway', 'via %s ', formatIpv4(rt.gateway));
		p.str('dev', 'dev %s ', rt.dev.name);
		if (rt.type === 'local') p.str('prefsrc', 'src %s ', formatIpv4(dst));
		p.openArray('flags');
		p.close();
		p.out('\n    cache ');
		p.openArray('cache');
		if (rt.type === 'local') p.str(undefined, '<local> ', 'local');
		p.close();
		p.str('iif', 'iif %s ', iif.name);
		p.close();
		p.close();
		p.out('\n');
		return { stdout: p.result() };
	}
	const rt = routeOutput(ic.ns, dst, oif, from);
	if (typeof rt === 'string') answer(refuse(rt));
	if (rt.type === 'local') p.str('type', '%s ', 'local');
	if (rt.type === 'broadcast') p.str('type', '%s ', 'broadcast');
	p.str('dst', '%s ', formatIpv4(dst));
	if (from !== undefined) p.str('from', 'from %s ', formatIpv4(from));
	if (rt.gateway !== undefined) p.str('gateway', 'via %s ', formatIpv4(rt.gateway));
	p.str('dev', 'dev %s ', rt.dev.name);
	if (from === undefined) p.str('prefsrc', 'src %s ', formatIpv4(rt.src));
	p.openArray('flags');
	p.close();
	p.num('uid', 'uid %u ', 0);
	p.out('\n    cache ');
	p.openArray('cache');
	if (rt.type === 'local') p.str(undefined, '<local> ', 'local');
	if (rt.type === 'broadcast') p.str(undefined, '<local,brd> ', 'local');
	p.close();
	p.close();
	p.close();
	p.out('\n');
	return { stdout: p.result() };
}

/** Entry point for `ip route …`. */
export function ipRoute(ic: IpCtx, argv: string[]): IpOut {
	const a = new Args(argv);
	const w = a.cur;
	if (w === undefined) return routeShow(ic, a);
	a.next();
	if (matches(w, 'add')) return routeModify(ic, a, 'add');
	if (matches(w, 'append')) return routeModify(ic, a, 'append');
	if (matches(w, 'replace')) return routeModify(ic, a, 'replace');
	if (matches(w, 'change')) return routeModify(ic, a, 'change');
	if (matches(w, 'delete')) return routeDelete(ic, a);
	if (matches(w, 'show') || matches(w, 'list') || matches(w, 'lst')) return routeShow(ic, a);
	if (matches(w, 'get')) return routeGet(ic, a);
	if (matches(w, 'flush')) return routeFlush(ic, a);
	if (matches(w, 'help')) throw new ToolExit(255, ROUTE_USAGE);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip route help".\n`);
}

const ROUTE_USAGE = USAGE_IP_ROUTE;

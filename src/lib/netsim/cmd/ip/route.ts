/** `ip route`: add/append/replace/change, del, flush here; show (route-show.ts) and get (route-get.ts) beside. */
import { networkOf, parseIpv4Loose, parsePrefix } from '../../addr/ipv4.ts';
import { routeAdd, routeDel, routesRemove, type RouteMode } from '../../kernel/route.ts';
import { TABLE_LOCAL, TABLE_MAIN, type Route, type RouteType } from '../../model/fib.ts';
import type { Link } from '../../model/link.ts';
import { PROTOS } from '../../print/route.ts';
import { ToolExit } from '../../tool/exit.ts';
import { Args, matches } from '../args.ts';
import { USAGE_IP_ROUTE } from '../usage.ts';
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { badAddr, badPrefix, duparg, invarg, kerr, must, nodev } from './errors.ts';
import { routeGet } from './route-get.ts';
import { filterRoutes, parseFilter, parseTable } from './route-select.ts';
import { routeShow } from './route-show.ts';

const TYPES: RouteType[] = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'];

/** The route metrics iproute2 reads as unsigned numbers, `lock` first if given, and its key in errors. */
const METRICS: [string, string, boolean][] = [
	['mtu', 'mtu', true],
	['hoplimit', 'hoplimit', true],
	['advmss', 'mss', true],
	['reordering', 'reordering', false],
	['window', 'window', false],
	['cwnd', 'cwnd', false],
	['initcwnd', 'initcwnd', false],
	['initrwnd', 'initrwnd', false],
	['ssthresh', 'ssthresh', false],
];

/** A metric option (`mtu [lock] N`…): read and checked, not modelled. False when `w` is none. */
function metricOption(a: Args, w: string): boolean {
	const m = METRICS.find(([name, , exact]) => (exact ? w === name : matches(w, name)));
	if (!m) return false;
	let v = nextArg(a);
	if (v === 'lock') v = nextArg(a);
	if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(v) || Number(v) > 0xffffffff) invarg(`"${m[1]}" value is invalid\n`, v);
	return true;
}

interface RouteReq {
	route: Route;
	devName?: string | undefined;
	hasDst: boolean;
}

function parseModify(ic: IpCtx, a: Args): RouteReq {
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
			if (r.gateway !== undefined) invarg('use nexthop syntax to specify multiple via\n', w);
			const v = nextArg(a);
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
		} else if (w === 'scope') {
			const v = nextArg(a);
			if (!['global', 'link', 'host', 'universe', 'site', 'nowhere'].includes(v)) invarg('invalid "scope" value\n', v);
			r.scope = (v === 'universe' ? 'global' : v) as Route['scope'];
			scopeSet = true;
		} else if (w === 'onlink') r.onlink = true;
		else if (metricOption(a, w)) continue;
		else if (matches(w, 'realms')) {
			const v = nextArg(a);
			if (!/^(\d+\/)?\d+$/.test(v)) invarg('"realm" value is invalid\n', v);
		} else if (w === 'tos' || matches(w, 'dsfield')) {
			const v = nextArg(a);
			if (!/^(0[xX])?[0-9a-fA-F]+$/.test(v) || parseInt(v, 16) > 255) invarg('"tos" value is invalid\n', v);
		}
		else {
			let v = w;
			if (w === 'to') v = nextArg(a);
			if ((TYPES as string[]).includes(v) && !req.hasDst) {
				r.type = v as RouteType;
				v = nextArg(a);
			}
			if (req.hasDst) duparg('to', v);
			// `-4`/`-6` set the family get_prefix reads in.
			if (ic.opts.family === 4 && v.includes(':')) throw new ToolExit(1, `Error: inet prefix is expected rather than "${v}".\n`);
			if (ic.opts.family === 6 && !v.includes(':') && !['default', 'all', 'any'].includes(v)) throw new ToolExit(1, `Error: inet6 prefix is expected rather than "${v}".\n`);
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
	if (!req.hasDst) throw new ToolExit(255, USAGE_IP_ROUTE);
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
	if (!req.hasDst) throw new ToolExit(255, USAGE_IP_ROUTE);
	let dev: Link | undefined;
	if (req.devName !== undefined) {
		dev = ns.link(req.devName);
		if (!dev) nodev(req.devName);
	}
	must(routeDel(ns, req.route, dev));
	return { stdout: '' };
}

function routeFlush(ic: IpCtx, a: Args): IpOut {
	if (a.cur === undefined) throw new ToolExit(1, '"ip route flush" requires arguments.\n');
	const f = parseFilter(ic, a);
	routesRemove(ic.ns, filterRoutes(ic, f));
	return { stdout: '' };
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
	if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_ROUTE);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip route help".\n`);
}

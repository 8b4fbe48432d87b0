/** Which routes `ip route show` and `ip route flush` mean: the selectors and the routes they pick. */
import { inPrefix, networkOf, parseIpv4Loose, parsePrefix, type Ipv4, type Prefix } from '../../addr/ipv4.ts';
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Route, type RouteType } from '../../model/fib.ts';
import type { Link } from '../../model/link.ts';
import { PROTOS } from '../../print/route.ts';
import { matches, type Args } from '../args.ts';
import { nextArg, type IpCtx } from './common.ts';
import { badAddr, badPrefix, invarg, nodev } from './errors.ts';

/** A table by name or number (`all` is -1). */
export function parseTable(v: string, what = '"table"'): number {
	if (v === 'main') return TABLE_MAIN;
	if (v === 'local') return TABLE_LOCAL;
	if (v === 'default') return TABLE_DEFAULT;
	if (v === 'all') return -1;
	if (/^\d+$/.test(v) && Number(v) < 2 ** 32) return Number(v);
	invarg(`${what} value is invalid\n`, v);
}

/** Route types rtnl_rtntype_a2n knows. */
const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

/** What `ip route show` and `flush` select. */
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

/** The selectors of `ip route show` and `flush`. */
export function parseFilter(ic: IpCtx, a: Args): RouteFilter {
	const f: RouteFilter = { table: TABLE_MAIN, mode: 'exact' };
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (matches(w, 'table')) f.table = parseTable(nextArg(a), 'table id');
		else if (matches(w, 'cache')) continue;
		else if (w === 'dev' || w === 'oif') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			f.dev = l;
		} else if (matches(w, 'protocol')) {
			const v = nextArg(a);
			if (!(v in PROTOS) && !/^\d+$/.test(v) && v !== 'all') invarg('invalid "protocol"\n', v);
			f.proto = v;
		} else if (matches(w, 'scope')) {
			const v = nextArg(a);
			if (!['host', 'link', 'global', 'site', 'nowhere', 'universe', 'all'].includes(v) && !(/^\d+$/.test(v) && Number(v) <= 255)) invarg('invalid "scope"\n', v);
			f.scope = v;
		} else if (matches(w, 'type')) {
			const v = nextArg(a);
			if (!ROUTE_TYPES.includes(v)) invarg('node type value is invalid\n', v);
			f.type = v as RouteType;
		} else if (w === 'via') {
			// get_prefix, in the family the words so far set (none).
			const v = nextArg(a);
			const g = v.includes('.') || /^\d+$/.test(v) ? parseIpv4Loose(v) : null;
			if (!g) badPrefix(v);
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

/** The routes a filter selects, in dump order (every table's, table by table, for `table all`). */
export function filterRoutes(ic: IpCtx, f: RouteFilter): Route[] {
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

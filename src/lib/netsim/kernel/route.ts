/** Routes (RTM_NEWROUTE, RTM_DELROUTE): the checks on a route's nexthop and its identity in its table. */
import { inPrefix, networkOf, type Prefix } from '../addr/ipv4.ts';
import { sameKey, TABLE_LOCAL, TABLE_MAIN, type Route } from '../model/fib.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/** How a new route relates to routes with its key (NLM_F_CREATE/EXCL/APPEND/REPLACE as `ip route` sets them). */
export type RouteMode = 'add' | 'append' | 'replace' | 'change';

/** The destination's host bits must be clear (rtm_to_fib_config). */
function checkDst(dst: Prefix): Result {
	return networkOf(dst.addr, dst.len) === dst.addr ? ok() : refuse('EINVAL', 'Invalid prefix for given prefix length.');
}

/**
 * Checks a unicast route's nexthop (fib_check_nh): a gateway must be on a link route of an up
 * device (whose device the route then takes), unless `onlink`, which needs a device.
 */
function checkNexthop(ns: Netns, r: Route): Result {
	if (r.gateway !== undefined && !r.onlink && r.scope === 'link') return refuse('EINVAL', 'Nexthop has invalid gateway.');
	if (r.gateway !== undefined && !r.onlink) {
		const gw = r.gateway;
		const via = ns.table(TABLE_MAIN).filter((x) => x.type === 'unicast' && (!r.dev || x.dev === r.dev) && inPrefix(gw, x.dst) && x.scope === 'link' && x.dev?.adminUp);
		const best = via.sort((x, y) => y.dst.len - x.dst.len)[0];
		if (!best) return refuse('EINVAL', 'Nexthop has invalid gateway.');
		r.dev = best.dev;
	} else if (r.gateway !== undefined && r.onlink && !r.dev) return refuse('EINVAL', 'Nexthop device required for onlink.');
	if (!r.dev && r.gateway === undefined) return refuse('ENODEV');
	if (r.dev && !r.dev.adminUp) return refuse('ENETDOWN', 'Nexthop device is not up.');
	if (r.prefsrc !== undefined && !ns.isLocal(r.prefsrc)) return refuse('EINVAL', 'Invalid prefsrc address.');
	return ok();
}

/**
 * Adds a route (its device filled in from the gateway when not given). `add` refuses a route
 * whose key exists (EEXIST), `change` one whose key does not (ENOENT); `replace` and `change`
 * take the place of the routes with the key; `append` refuses only the same nexthop twice.
 */
export function routeAdd(ns: Netns, r: Route, mode: RouteMode): Result<Route> {
	const dst = checkDst(r.dst);
	if (!dst.ok) return dst;
	// Types that answer with an error have no nexthop (fib_create_info).
	if (['unreachable', 'prohibit', 'blackhole', 'throw'].includes(r.type) && (r.gateway !== undefined || r.dev)) return refuse('EINVAL', 'Gateway, device and multipath can not be specified for this route type.');
	if (r.type === 'unicast') {
		const nh = checkNexthop(ns, r);
		if (!nh.ok) return nh;
	}
	const existing = ns.routes.filter((x) => (sameKey(x, r) && x.type !== 'local' && x.type !== 'broadcast') || (sameKey(x, r) && x.type === r.type));
	if (mode === 'add' && existing.length > 0) return refuse('EEXIST');
	if (mode === 'change' && existing.length === 0) return refuse('ENOENT');
	if (mode === 'replace' || mode === 'change') ns.routes = ns.routes.filter((x) => !existing.includes(x));
	if (mode === 'append' && existing.some((x) => x.dev === r.dev && x.gateway === r.gateway)) return refuse('EEXIST');
	ns.tables.add(r.table);
	ns.routes.push(r);
	return ok(r);
}

/**
 * Deletes the first route of `r.table` matching what is given of `r` (destination always; device,
 * gateway, metric and type when set): ESRCH when none does.
 */
export function routeDel(ns: Netns, r: Route, dev: Link | undefined): Result<Route> {
	const dst = checkDst(r.dst);
	if (!dst.ok) return dst;
	if (r.table !== TABLE_LOCAL && !ns.tables.has(r.table)) return refuse('ESRCH', 'FIB table does not exist.');
	const hit = ns.table(r.table).find((x) => x.dst.addr === r.dst.addr && x.dst.len === r.dst.len && (!dev || x.dev === dev) && (r.gateway === undefined || x.gateway === r.gateway) && (!r.metric || x.metric === r.metric) && (r.type === 'unicast' || x.type === r.type));
	if (!hit) return refuse('ESRCH');
	ns.routes = ns.routes.filter((x) => x !== hit);
	return ok(hit);
}

/** Deletes routes (those an `ip route flush` selected). */
export function routesRemove(ns: Netns, victims: readonly Route[]): void {
	const set = new Set(victims);
	ns.routes = ns.routes.filter((r) => !set.has(r));
}

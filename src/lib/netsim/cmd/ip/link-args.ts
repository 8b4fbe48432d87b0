/** iplink_parse: the keyword loop `ip link add`, `set` and `delete` share, and a veth's `peer` options. */
import { parseMac, type Mac } from '../../addr/mac.ts';
import type { Link } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { USAGE_IP_LINK } from '../usage.ts';
import { nextArg, type IpCtx } from './common.ts';
import { duparg, err1, invarg } from './errors.ts';

/** Parsed `ip link add/set` arguments. */
export interface LinkReq {
	dev?: string | undefined;
	name?: string | undefined;
	up?: boolean | undefined;
	mtu?: number | undefined;
	address?: Mac | undefined;
	netns?: Netns | undefined;
	master?: Link | null | undefined;
	type?: string | undefined;
	typeArgs: string[];
	link?: string | undefined;
	txqlen?: number | undefined;
	alias?: string | undefined;
}

/** `netns NAME`, or a PID: the simulator has no processes, so PID 1 (the host itself) only. */
function lookupNetns(ic: IpCtx, value: string): Netns {
	const ns = ic.ctx.host.named.get(value);
	if (ns) return ns;
	if (/^\d+$/.test(value)) {
		if (value === '1') return ic.ctx.host.root;
		throw new ToolExit(2, 'RTNETLINK answers: No such process\n');
	}
	invarg('Invalid "netns" value\n', value);
}

/** The `on`/`off` flags iproute2 parses and the simulator accepts without modelling. */
const FLAGS = ['multicast', 'allmulticast', 'promisc', 'trailers', 'arp', 'carrier', 'protodown'];

/** Reads one option of the loop into `req`; false when `w` is none of them. */
function linkOption(ic: IpCtx, a: Args, req: LinkReq, w: string): boolean {
	if (w === 'up') req.up = true;
	else if (w === 'down') req.up = false;
	else if (w === 'name') req.name = nextArg(a);
	else if (w === 'index') nextArg(a);
	else if (matches(w, 'link')) req.link = nextArg(a);
	else if (matches(w, 'address')) {
		const v = nextArg(a);
		const mac = parseMac(v);
		if (!mac) err1(`"${v}" is invalid lladdr.\n`);
		req.address = mac;
	} else if (matches(w, 'broadcast') || w === 'brd') nextArg(a);
	else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
		const v = nextArg(a);
		if (!/^\d+$/.test(v)) invarg('Invalid "txqueuelen" value\n', v);
		req.txqlen = Number(v);
	} else if (w === 'mtu') {
		const v = nextArg(a);
		if (!/^\d+$/.test(v)) invarg('Invalid "mtu" value\n', v);
		req.mtu = Number(v);
	} else if (w === 'netns') {
		const v = nextArg(a);
		if (req.netns) duparg('netns', v);
		req.netns = lookupNetns(ic, v);
	} else if (FLAGS.includes(w)) {
		const v = nextArg(a);
		if (v !== 'on' && v !== 'off') err1(`Error: argument of "${w}" must be "on" or "off", not "${v}"\n`);
	} else if (matches(w, 'master')) {
		const v = nextArg(a);
		const m = ic.ns.link(v);
		if (!m) invarg('Device does not exist\n', v);
		req.master = m;
	} else if (matches(w, 'nomaster')) req.master = null;
	else return false;
	return true;
}

/** The keyword loop; stops at `type`, whose arguments go to the kind (a veth peer's `type` is its own). */
export function parseLinkArgs(ic: IpCtx, a: Args, req: LinkReq, isPeer = false): void {
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (linkOption(ic, a, req, w)) continue;
		if (matches(w, 'type') && !isPeer) {
			req.type = nextArg(a);
			a.next();
			req.typeArgs = a.rest();
			return;
		} else if (matches(w, 'alias')) req.alias = nextArg(a);
		else if (matches(w, 'group')) nextArg(a);
		else if (matches(w, 'mode')) nextArg(a);
		else if (matches(w, 'state')) nextArg(a);
		else if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_LINK);
		else {
			if (isPeer && matches(w, 'type')) {
				req.type = nextArg(a);
				continue;
			}
			let v = w;
			if (w === 'dev') v = nextArg(a);
			if (req.dev !== undefined) duparg('dev', v);
			if (v.length > 16 || /[\s/:]/.test(v) || v === '') invarg('"dev" not a valid ifname', v);
			req.dev = v;
		}
	}
}

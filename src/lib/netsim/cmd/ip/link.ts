/** `ip link`: show, add (each kind in its own link-KIND.ts, as iproute2's link_util), set, delete. */
import { USAGE_IP_ADDR, USAGE_IP_LINK } from '../usage.ts';
import { linkChange, linkDelete } from '../../kernel/link.ts';
import { checkNewLink, linkDriver } from '../../kernel/newlink.ts';
import type { Link } from '../../model/link.ts';
import { printLink } from '../../print/link.ts';
import { Printer } from '../../print/printer.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { duparg, invarg, must, nodev } from './errors.ts';
import { parseLinkArgs, type LinkReq } from './link-args.ts';
import { bridgeAdd, parseBridgeOptions } from './link-bridge.ts';
import { macvlanAdd } from './link-macvlan.ts';
import { vethAdd } from './link-veth.ts';
import { vlanAdd } from './link-vlan.ts';
import { vxlanAdd } from './link-vxlan.ts';

/**
 * `ip link add`: the request, the kernel's checks common to every device (made before the
 * kind's options are read, as the simulator always has), then the kind.
 */
function linkAdd(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req);
	const name = req.name ?? req.dev;
	if (!req.type) throw new ToolExit(2, 'Not enough information: "type" argument is required\n');
	if (req.type === 'vlan') return vlanAdd(req.typeArgs);
	const kind = must(linkDriver(req.type));
	const target = req.netns ?? ic.ns;
	must(checkNewLink(target, name, req.mtu));
	switch (kind) {
		case 'veth':
			return vethAdd(ic, req, target, name);
		case 'bridge':
			return bridgeAdd(req, target, name);
		case 'macvlan':
			return macvlanAdd(ic, req, target, name);
		default:
			return vxlanAdd(ic, req, target, name);
	}
}

/** `ip link set`: the device, then the change the kernel makes or refuses. */
function linkSet(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req);
	const bridge = req.type === 'bridge' ? parseBridgeOptions(req.typeArgs) : undefined;
	const devName = req.dev ?? req.name;
	if (!devName) throw new ToolExit(255, 'Not enough information: "dev" argument is required.\n');
	const link = ic.ns.link(devName);
	if (!link) nodev(devName);
	// `name` renames only when the device was named by `dev`.
	const name = req.dev && req.name ? req.name : undefined;
	must(linkChange(link, { name, mtu: req.mtu, netns: req.netns, bridge, master: req.master, address: req.address, txqlen: req.txqlen, alias: req.alias, up: req.up }));
	return { stdout: '' };
}

/** `ip link show` filters (ipaddr_list_flush_or_save's loop). */
interface ShowFilter {
	dev?: string | undefined;
	up: boolean;
	master?: Link | undefined;
	type?: string | undefined;
	to?: string | undefined;
	scope?: string | undefined;
	label?: string | undefined;
}

/** Parses show arguments; throws on errors with iproute2's wording. */
export function parseShowFilter(ic: IpCtx, a: Args, forAddr: boolean): ShowFilter {
	const f: ShowFilter = { up: false };
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (forAddr && w === 'to') {
			f.to = nextArg(a);
		} else if (forAddr && w === 'scope') f.scope = nextArg(a);
		else if (w === 'up') f.up = true;
		else if (forAddr && w === 'label') f.label = nextArg(a);
		else if (w === 'dev') {
			const v = nextArg(a);
			if (f.dev !== undefined) duparg('dev', v);
			f.dev = v;
		} else if (w === 'master') {
			const v = nextArg(a);
			const m = ic.ns.link(v);
			if (!m) invarg('Device does not exist\n', v);
			f.master = m;
		} else if (w === 'type') f.type = nextArg(a);
		else if (w === 'vrf' || w === 'group') nextArg(a);
		else if (w === 'nomaster') continue;
		else if (forAddr && (w === 'permanent' || w === 'dynamic' || w === 'secondary' || w === 'primary' || w === 'tentative' || w === 'deprecated' || w === 'dadfailed' || w === 'temporary')) continue;
		else {
			if (matches(w, 'help')) throw new ToolExit(255, forAddr ? USAGE_IP_ADDR : USAGE_IP_LINK);
			if (f.dev !== undefined) duparg('dev', w);
			f.dev = w;
		}
	}
	if (f.dev !== undefined && !ic.ns.link(f.dev)) throw new ToolExit(1, `Device "${f.dev}" does not exist.\n`);
	return f;
}

/** Links selected by a show filter, in ifindex order. */
export function selectLinks(ic: IpCtx, f: ShowFilter): Link[] {
	return ic.ns.links.filter((l) => {
		if (f.dev !== undefined && l.name !== f.dev) return false;
		if (f.up && !l.adminUp) return false;
		if (f.master && l.master !== f.master) return false;
		if (f.type !== undefined) {
			if (f.type.endsWith('_slave')) {
				if (!l.master || `${l.master.kind}_slave` !== f.type) return false;
			} else if (l.kind !== f.type) return false;
		}
		return true;
	});
}

/** `ip link show`. */
function linkShow(ic: IpCtx, a: Args): IpOut {
	const f = parseShowFilter(ic, a, false);
	const p = new Printer(ic.opts.json);
	p.openArray();
	for (const link of selectLinks(ic, f)) {
		p.openObject();
		printLink(p, link, ic.ctx.host, { brief: ic.opts.brief, details: ic.opts.details, stats: ic.opts.stats > 0, oneline: ic.opts.oneline, forAddr: false, familyFilter: false });
		p.close();
		p.out('\n');
	}
	p.close();
	return { stdout: p.result() };
}

/** `ip link delete`. */
function linkDel(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req);
	const name = req.dev ?? req.name;
	if (!name) throw new ToolExit(255, 'Not enough information: "dev" argument is required.\n');
	const link = ic.ns.link(name);
	if (!link) nodev(name);
	must(linkDelete(link));
	return { stdout: '' };
}

/** Entry point for `ip link …`. */
export function ipLink(ic: IpCtx, argv: string[]): IpOut {
	const a = new Args(argv);
	const w = a.cur;
	if (w === undefined) return linkShow(ic, a);
	a.next();
	if (matches(w, 'add')) return linkAdd(ic, a);
	if (matches(w, 'set') || matches(w, 'change')) return linkSet(ic, a);
	if (matches(w, 'delete')) return linkDel(ic, a);
	if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return linkShow(ic, a);
	if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_LINK);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip link help".\n`);
}

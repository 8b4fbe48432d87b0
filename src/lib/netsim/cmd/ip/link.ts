/** `ip link`: show, add (each kind in its own link-KIND.ts, as iproute2's link_util), set, delete. */
import { USAGE_IP_ADDR, USAGE_IP_LINK } from '../usage.ts';
import { linkChange, linkDelete, linkSetCarrier } from '../../kernel/link.ts';
import type { Result } from '../../kernel/errno.ts';
import { vxlanValidate } from '../../kernel/link-vxlan.ts';
import { checkNewLink, linkDriver } from '../../kernel/newlink.ts';
import { parsePrefix } from '../../addr/ipv4.ts';
import { canonicalIpv6 } from '../../addr/ipv6.ts';
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

/** Link types iproute2 knows (its TYPE list): their options are theirs to read, not garbage. */
const KNOWN_TYPES: string[] = USAGE_IP_LINK.slice(USAGE_IP_LINK.indexOf('TYPE := {')).match(/[a-z_0-9]+/g) ?? [];

/**
 * `ip link add`, in iproute2's order then the kernel's: the request (iplink_parse), the kind's
 * options (its parse_opt, only when there are some), `type` required; then what every new device
 * passes in the kernel (checkNewLink: name policy, the kind's validation, name taken, driver, MTU),
 * run by the kind once its options are read; then the kind creates the device.
 */
function linkAdd(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req, 'create');
	const name = req.name ?? req.dev;
	const type = req.type;
	const target = req.netns ?? ic.ns;
	const kernelChecks = (validate?: () => Result): void => {
		must(checkNewLink(target, name, req.mtu, { type, validate, address: req.address }));
	};
	if (type === undefined) throw new ToolExit(1, 'Not enough information: "type" argument is required\n');
	const hasOptions = req.typeArgs.length > 0;
	switch (type) {
		case 'veth':
			return vethAdd(ic, req, target, name, kernelChecks);
		case 'bridge':
			return bridgeAdd(req, target, name, kernelChecks);
		case 'macvlan':
		case 'macvtap':
			return macvlanAdd(ic, req, target, name, kernelChecks);
		case 'vxlan':
			if (!hasOptions) kernelChecks(() => vxlanValidate(false));
			return vxlanAdd(ic, req, target, name, kernelChecks);
		case 'vlan':
			return vlanAdd(req.typeArgs, kernelChecks);
	}
	if (hasOptions && !KNOWN_TYPES.includes(type)) {
		if (matches(req.typeArgs[0], 'help')) throw new ToolExit(255, USAGE_IP_LINK);
		throw new ToolExit(1, `Garbage instead of arguments "${req.typeArgs[0]} ...". Try "ip link help".\n`);
	}
	kernelChecks();
	must(linkDriver(type));
	return { stdout: '' };
}

/** `ip link set`: the device, then the change the kernel makes or refuses. */
function linkSet(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req, 'change');
	const bridge = req.type === 'bridge' ? parseBridgeOptions(req.typeArgs, ic.ctx.world.profile.iproute2) : undefined;
	// `group N` with no device: the devices of that group, which the simulator does not keep.
	if (req.dev === undefined) return { stdout: '' };
	const link = ic.ns.link(req.dev);
	if (!link) nodev(req.dev);
	const name = req.name;
	must(linkChange(link, { name, mtu: req.mtu, netns: req.netns, bridge, master: req.master, address: req.address, txqlen: req.txqlen, alias: req.alias, up: req.up }));
	if (req.carrier !== undefined) must(linkSetCarrier(link));
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
			const v = nextArg(a);
			const fam = ic.opts.family;
			const name = fam === 4 ? 'inet' : fam === 6 ? 'inet6' : 'any valid';
			const valid = v.includes(':') ? fam !== 4 && canonicalIpv6(v.split('/')[0] ?? '') !== null : fam !== 6 && parsePrefix(v) !== null;
			if (!valid) throw new ToolExit(1, `Error: ${name} prefix is expected rather than "${v}".\n`);
			f.to = v;
		} else if (forAddr && w === 'scope') {
			const v = nextArg(a);
			const known = ['global', 'link', 'host', 'site', 'nowhere', 'universe', 'all'].includes(v) || (/^\d+$/.test(v) && Number(v) <= 255);
			if (!known) invarg('invalid "scope"\n', v);
			f.scope = v;
		}
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
		else if (w === 'group') {
			const v = nextArg(a);
			if (v !== 'default' && !/^(0[xX][0-9a-fA-F]+|\d+)$/.test(v)) invarg('Invalid "group" value\n', v);
		} else if (w === 'vrf') nextArg(a);
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
	parseLinkArgs(ic, a, req, 'change');
	if (req.dev === undefined) return { stdout: '' };
	const link = ic.ns.link(req.dev);
	if (!link) nodev(req.dev);
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

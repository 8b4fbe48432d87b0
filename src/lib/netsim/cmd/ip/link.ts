/** `ip link`: show, add (veth, bridge, vxlan, macvlan), set, delete. */
import { parseIpv4Strict } from '../../addr/ipv4.ts';
import { USAGE_IP_ADDR, USAGE_IP_LINK } from '../usage.ts';
import { parseMac, type Mac } from '../../addr/mac.ts';
import type { Link, LinkKind } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import { Printer } from '../../print/printer.ts';
import { Args, matches, ToolExit } from '../args.ts';
import type { IpCtx, IpOut } from './common.ts';
import { duparg, err1, incomplete, invarg, kerr, nodev, rtnl } from './errors.ts';
import { applyBridgeOptions, parseBridgeOptions } from './link-bridge.ts';
import { printLink } from '../../print/link.ts';

/** Parsed `ip link add/set` arguments (iplink_parse). */
interface LinkReq {
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

function nextArg(a: Args): string {
	const v = a.next();
	if (v === undefined) incomplete();
	return v;
}

function lookupNetns(ic: IpCtx, value: string): Netns {
	const ns = ic.ctx.host.named.get(value);
	if (ns) return ns;
	if (/^\d+$/.test(value)) {
		// A PID: the simulator has no processes; PID 1 is the host itself.
		if (value === '1') return ic.ctx.host.root;
		throw new ToolExit(2, 'RTNETLINK answers: No such process\n');
	}
	invarg('Invalid "netns" value\n', value);
}

/** iplink_parse: the keyword loop shared by add and set. Stops at `type`. */
function parseLinkArgs(ic: IpCtx, a: Args, req: LinkReq, isPeer = false): void {
	for (let w = a.cur; w !== undefined; w = a.next()) {
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
		} else if (w === 'multicast' || w === 'allmulticast' || w === 'promisc' || w === 'trailers' || w === 'arp' || w === 'carrier' || w === 'protodown') {
			const v = nextArg(a);
			if (v !== 'on' && v !== 'off') err1(`Error: argument of "${w}" must be "on" or "off", not "${v}"\n`);
		} else if (matches(w, 'master')) {
			const v = nextArg(a);
			const m = ic.ns.link(v);
			if (!m) invarg('Device does not exist\n', v);
			req.master = m;
		} else if (matches(w, 'nomaster')) req.master = null;
		else if (matches(w, 'type') && !isPeer) {
			req.type = nextArg(a);
			a.next();
			req.typeArgs = a.rest();
			return;
		} else if (matches(w, 'alias')) req.alias = nextArg(a);
		else if (matches(w, 'group')) nextArg(a);
		else if (matches(w, 'mode')) nextArg(a);
		else if (matches(w, 'state')) nextArg(a);
		else if (matches(w, 'help')) throw new ToolExit(255, LINK_USAGE);
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

/** `ip link add`. */
function linkAdd(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req);
	const name = req.name ?? req.dev;
	if (!req.type) {
		throw new ToolExit(2, 'Not enough information: "type" argument is required\n');
	}
	const kinds: Record<string, LinkKind> = { veth: 'veth', bridge: 'bridge', vxlan: 'vxlan', macvlan: 'macvlan', macvtap: 'macvlan' };
	const kind = kinds[req.type];
	if (req.type === 'vlan') return vlanParse(req.typeArgs);
	// This kernel has no dummy, vlan, ipvlan, bonding, wireguard…: the kernel refuses the type.
	if (!kind) kerr('Unknown device type.');
	const ns = ic.ns;
	const world = ns.world;
	const target = req.netns ?? ns;
	const autoName = (base: string, where: Netns, taken: string[] = []): string => {
		for (let i = 0; ; i++) if (!where.link(`${base}${i}`) && !taken.includes(`${base}${i}`)) return `${base}${i}`;
	};
	if (name && name.length > 15) kerr('Attribute failed policy validation.');
	if (name && target.link(name)) rtnl('File exists');
	if (req.mtu !== undefined && (req.mtu < 68 || req.mtu > 65535)) kerr(req.mtu < 68 ? 'mtu less than device minimum.' : 'mtu greater than device maximum.');
	if (kind === 'veth') {
		const pa = new Args(req.typeArgs);
		const peer: LinkReq = { typeArgs: [] };
		if (pa.cur !== undefined) {
			if (pa.cur !== 'peer') {
				if (matches(pa.cur, 'help')) throw new ToolExit(255, 'Usage: ip link <options> type veth [peer <options>]\nTo get <options> type \'ip link add help\'\n');
				throw new ToolExit(255, `Garbage instead of arguments "${pa.rest().join(' ')} ...". Try "ip link help".\n`);
			}
			pa.next();
			parseLinkArgs(ic, pa, peer, true);
		}
		const peerNs = peer.netns ?? ns;
		const peerName = peer.name ?? peer.dev;
		if (peerName && peerNs.link(peerName)) rtnl('File exists');
		if (peerName && name === peerName && peerNs === target) rtnl('File exists');
		const n2 = peerName ?? autoName('veth', peerNs);
		const n1 = name ?? autoName('veth', target, peerNs === target ? [n2] : []);
		if (peerNs === target && n1 === n2) rtnl('File exists');
		// The kernel registers the peer first, so it gets the lower ifindex.
		const p = peerNs.addLink(n2, 'veth', peer.address ?? world.mac());
		const l = target.addLink(n1, 'veth', req.address ?? world.mac());
		l.peer = p;
		p.peer = l;
		if (req.mtu) l.mtu = req.mtu;
		if (peer.mtu) p.mtu = peer.mtu;
		if (req.txqlen !== undefined) l.txqlen = req.txqlen;
		if (peer.txqlen !== undefined) p.txqlen = peer.txqlen;
		world.linkEvent(p);
		world.linkEvent(l);
		if (req.up) target.linkUp(l);
		if (peer.up) peerNs.linkUp(p);
		return { stdout: '' };
	}
	if (kind === 'bridge') {
		const options = parseBridgeOptions(req.typeArgs);
		const l = target.addLink(name ?? autoName('bridge', target), 'bridge', req.address ?? world.mac());
		applyBridgeOptions(l, options);
		// An address given changes the bridge id, and STP's port selection runs (br_stp_change_bridge_id).
		if (req.address) l.macFixed = l.hadPorts = true;
		if (req.mtu) l.mtu = req.mtu;
		if (req.up) target.linkUp(l);
		return { stdout: '' };
	}
	if (kind === 'macvlan') {
		let mode = 'vepa';
		const ta = new Args(req.typeArgs);
		for (let w = ta.cur; w !== undefined; w = ta.next()) {
			if (w === 'mode') {
				const v = ta.next();
				if (!v) incomplete();
				if (!['private', 'vepa', 'bridge', 'passthru', 'source'].includes(v)) {
					throw new ToolExit(1, `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"\n`);
				}
				mode = v;
			} else throw new ToolExit(255, `macvlan: unknown option "${w}"?\n`);
		}
		if (!req.link) rtnl('Invalid argument');
		const lower = ns.link(req.link);
		if (!lower) nodev(req.link);
		const l = target.addLink(name ?? autoName('macvlan', target), 'macvlan', req.address ?? world.mac());
		l.lower = lower;
		l.macvlanMode = mode;
		l.mtu = lower.mtu;
		world.linkEvent(l);
		if (req.up) target.linkUp(l);
		return { stdout: '' };
	}
	// vxlan
	const ta = new Args(req.typeArgs);
	let id: number | undefined;
	let dstport: number | undefined;
	let remote: number | undefined;
	let local: number | undefined;
	let group: number | undefined;
	let lower: Link | undefined;
	let learning = true;
	for (let w = ta.cur; w !== undefined; w = ta.next()) {
		const v = (): string => {
			const x = ta.next();
			if (x === undefined) incomplete();
			return x;
		};
		const ip = (key: string): number => {
			const t = v();
			const addr = parseIpv4Strict(t);
			if (addr === null) invarg(`invalid ${key} address`, t);
			return addr;
		};
		if (w === 'id' || w === 'vni') {
			const t = v();
			if (!/^\d+$/.test(t) || Number(t) >= 1 << 24) invarg('invalid id', t);
			id = Number(t);
		} else if (w === 'dstport') {
			const t = v();
			if (!/^\d+$/.test(t) || Number(t) > 65535) invarg('dstport', t);
			dstport = Number(t);
		} else if (w === 'remote') remote = ip('remote');
		else if (w === 'local') local = ip('local');
		else if (w === 'group') group = ip('group');
		else if (w === 'dev') {
			const t = v();
			lower = ns.link(t);
			if (!lower) invarg('"dev" not a valid ifname', t);
		} else if (w === 'nolearning' || w === 'learning') learning = w === 'learning';
		else if (w === 'noudpcsum' || w === 'udpcsum') continue;
		else if (w === 'ttl' || w === 'tos' || w === 'ageing' || w === 'maxaddress') v();
		else throw new ToolExit(255, `vxlan: unknown command "${w}"?\n`);
	}
	if (id === undefined) throw new ToolExit(1, 'vxlan: missing virtual network identifier\n');
	let stderr = '';
	if (dstport === undefined) {
		stderr = 'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse \'dstport 4789\' to get the IANA assigned value\nUse \'dstport 0\' to get default and quiet this message\n';
	}
	const l = target.addLink(name ?? autoName('vxlan', target), 'vxlan', req.address ?? world.mac());
	l.vxlan = { id, dstport: dstport || 8472, remote, local, group, lower, learning };
	if (req.up) target.linkUp(l);
	return { stdout: '', stderr };
}

function vlanParse(args: string[]): IpOut {
	const a = new Args(args);
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'id' || w === 'protocol' || w === 'reorder_hdr' || w === 'gvrp' || w === 'mvrp' || w === 'loose_binding' || w === 'bridge_binding' || w === 'ingress-qos-map' || w === 'egress-qos-map') {
			if (a.next() === undefined) incomplete();
			continue;
		}
		throw new ToolExit(1, `vlan: unknown command "${w}"?\n${VLAN_USAGE}`);
	}
	kerr('Unknown device type.');
}

const VLAN_USAGE = `Usage: ... vlan id VLANID
		[ protocol VLANPROTO ]
		[ reorder_hdr { on | off } ]
		[ gvrp { on | off } ]
		[ mvrp { on | off } ]
		[ loose_binding { on | off } ]
		[ bridge_binding { on | off } ]
		[ ingress-qos-map QOS-MAP ]
		[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO
`;

/** `ip link set`. */
function linkSet(ic: IpCtx, a: Args): IpOut {
	const req: LinkReq = { typeArgs: [] };
	parseLinkArgs(ic, a, req);
	const bridge = req.type === 'bridge' ? parseBridgeOptions(req.typeArgs) : undefined;
	const devName = req.dev ?? req.name;
	if (!devName) throw new ToolExit(255, 'Not enough information: "dev" argument is required.\n');
	const ns = ic.ns;
	const link = ns.link(devName);
	if (!link) nodev(devName);
	const world = ns.world;
	if (req.dev && req.name && req.name !== link.name) {
		if (ns.link(req.name)) rtnl('File exists');
	}
	if (req.mtu !== undefined) {
		const max = link.kind === 'loopback' ? 0xffffffff : 65535;
		if (req.mtu > max) kerr('mtu greater than device maximum.');
		if (req.mtu < 68) kerr('mtu less than device minimum.');
	}
	if (req.netns && req.netns !== ns) {
		if (link.kind === 'loopback') rtnl('Invalid argument');
		if (req.netns.link(link.name)) rtnl('File exists');
	}
	// Options for a kind the device is not: the kernel has no changelink to give them to.
	if (bridge && Object.keys(bridge).length && link.kind !== 'bridge') rtnl('Operation not supported');
	if (bridge) applyBridgeOptions(link, bridge);
	if (req.master && req.master !== link.master) {
		// The kernel lets go of the old master before it tries the new one.
		if (req.master.kind !== 'bridge' || req.master === link) {
			if (link.master) setMaster(link, null);
			rtnl(req.master === link ? 'Invalid argument' : 'Operation not supported');
		}
	}
	if (req.dev && req.name && req.name !== link.name) link.name = req.name;
	if (req.address) {
		link.mac = req.address;
		if (link.kind === 'bridge') link.macFixed = link.hadPorts = true;
		if (link.master) world.updateBridgeMac(link.master);
	}
	if (req.mtu !== undefined) link.mtu = req.mtu;
	if (req.txqlen !== undefined) link.txqlen = req.txqlen;
	if (req.alias !== undefined) link.alias = req.alias;
	if (req.master !== undefined) setMaster(link, req.master);
	if (req.netns && req.netns !== ns) moveLink(link, req.netns);
	const home = link.ns;
	if (req.up === true) home.linkUp(link);
	if (req.up === false) home.linkDown(link);
	world.refreshAll();
	return { stdout: '' };
}

/** Enslaves a device to a bridge, or releases it (master null). */
export function setMaster(link: Link, master: Link | null): void {
	const world = link.ns.world;
	const old = link.master;
	if (old === (master ?? undefined)) return;
	if (old) {
		link.master = undefined;
		old.fdb = old.fdb.filter((e) => e.port !== link);
		world.updateBridgeMac(old);
	}
	if (master) {
		link.master = master;
		master.hadPorts = true;
		master.bridgeIdSet = true;
		master.fdb.push({ mac: link.mac, port: link, permanent: true, static: false, updated: world.now });
		world.updateBridgeMac(master);
		// A port's own IPv4 routes stop being usable; the kernel keeps addresses.
	}
	world.linkEvent(link);
}

/** Moves a device to another namespace (dev_change_net_namespace). */
export function moveLink(link: Link, target: Netns): void {
	const from = link.ns;
	const world = from.world;
	if (link.adminUp) from.linkDown(link);
	if (link.master) setMaster(link, null);
	from.addrs = from.addrs.filter((x) => x.link !== link);
	from.flushLinkState(link);
	from.links = from.links.filter((l) => l !== link);
	link.qdisc = 'noop';
	link.operOverride = undefined;
	// Registered afresh in its new namespace: IPv6 joins all-nodes again.
	link.mcGroups = ['all-nodes'];
	link.v6Ready = false;
	if (link.peer && link.peer.adminUp && link.peer.ns !== target) link.peer.operOverride = 'DOWN';
	// The old namespace gets an id for the new one when it announces the move.
	from.nsid(target, true);
	link.ns = target;
	link.ifindex = target.allocIfindex(link.ifindex);
	target.insertLink(link);
	world.linkEvent(link);
	if (link.peer) world.linkEvent(link.peer);
}

/** `ip link show` filters (ipaddr_list_flush_or_save's loop). */
export interface ShowFilter {
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
			if (matches(w, 'help')) throw new ToolExit(255, forAddr ? ADDR_USAGE_HINT : LINK_USAGE);
			if (f.dev !== undefined) duparg2dev(w);
			f.dev = w;
		}
	}
	if (f.dev !== undefined && !ic.ns.link(f.dev)) throw new ToolExit(1, `Device "${f.dev}" does not exist.\n`);
	return f;
}

function duparg2dev(arg: string): never {
	throw new ToolExit(255, `Error: either "dev" is duplicate, or "${arg}" is a garbage.\n`);
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
	if (link.kind === 'loopback') rtnl('Operation not supported');
	ic.ns.world.deleteLink(link);
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
	if (matches(w, 'help')) throw new ToolExit(255, LINK_USAGE);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip link help".\n`);
}

const ADDR_USAGE_HINT = USAGE_IP_ADDR;

/** `ip link help`, verbatim. */
export const LINK_USAGE = USAGE_IP_LINK;

/**
 * Builds a world from a lab definition, wired exactly as the kernel engine's sandbox
 * (src/lib/lab/sandbox.sh) wires the real kernel:
 * - one hidden namespace "wires" holds the far end `pN` of every host interface
 *   (host side MAC 02:00:00:00:00:NN, far side 02:00:00:00:01:NN) and one bridge per switch;
 *   every host sees it as netns id 99;
 * - the upstream (home router + pretend internet) is a second hidden namespace whose `eth0`
 *   hangs off a bridge "upstream" in "wires"; the internet addresses sit on its `lo`;
 * - hosts start with `lo` up, forwarding off, no DAD on lab interfaces.
 */
import { parseIpv4Strict, parsePrefix } from '../addr/ipv4.ts';
import { setMaster } from '../cmd/ip/link.ts';
import { TABLE_MAIN } from '../model/fib.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { Host, World } from '../model/world.ts';

/** The subset of a lab definition the simulator needs (see src/lib/lab/schema.ts). */
export interface LabDefinition {
	name: string;
	hosts: {
		name: string;
		interfaces: { name: string; switch?: string | undefined; uplink?: boolean | undefined; address?: string | undefined }[];
		routes?: { to: string; via: string }[] | undefined;
		sysctls?: Record<string, string> | undefined;
	}[];
	switches?: { name: string }[] | undefined;
	upstream?: { gateway: string; internet: string[] } | undefined;
}

/** Hidden infrastructure of a built lab. */
export interface Infra {
	wires: Netns;
	upstream?: Netns | undefined;
}

/** The netns id every host gives the hidden "wires" namespace. */
export const WIRES_NSID = 99;

function hidden(world: World): Netns {
	const ns = world.createNetns();
	for (const k of ['net.ipv6.conf.all.disable_ipv6', 'net.ipv6.conf.default.disable_ipv6']) ns.setSysctl(k, '1');
	for (const k of ['net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables', 'net.bridge.bridge-nf-call-arptables']) ns.setSysctl(k, '0');
	ns.linkUp(ns.lo);
	return ns;
}

/** Adds an IPv4 address the way `ip addr add` does. */
function addAddress(ns: Netns, dev: string, cidr: string): void {
	const link = ns.link(dev);
	const pre = parsePrefix(cidr);
	if (!link || !pre) return;
	const a = { family: 4 as const, link, local: pre.addr, prefixlen: pre.len, scope: (pre.addr >>> 24 === 127 ? 'host' : 'global') as 'host' | 'global', secondary: false, label: dev };
	ns.addrs.push(a);
	ns.addAddrRoutes(a);
}

function mac(a: number, b: number): number[] {
	return [2, 0, 0, 0, a & 255, b & 255];
}

function vethPair(world: World, nearNs: Netns, near: string, nearMac: number[], farNs: Netns, far: string, farMac: number[]): [Link, Link] {
	// The kernel registers the peer (here the far end, created in the other namespace) first.
	const f = farNs.addLink(far, 'veth', farMac);
	const n = nearNs.addLink(near, 'veth', nearMac);
	n.peer = f;
	f.peer = n;
	world.linkEvent(f);
	world.linkEvent(n);
	return [n, f];
}

/** Creates hosts, switches and upstream in `world`. */
export function buildLab(world: World, def: LabDefinition): Infra {
	const wires = hidden(world);
	const infra: Infra = { wires };
	if (def.upstream) infra.upstream = hidden(world);
	for (const h of def.hosts) {
		const root = world.createNetns();
		root.linkUp(root.lo);
		root.nsids.set(wires, WIRES_NSID);
		world.hosts.set(h.name, { name: h.name, hostname: h.name, root, named: new Map() });
	}
	const ifaces = def.hosts.flatMap((h) => h.interfaces.map((i) => ({ host: world.hosts.get(h.name) as Host, iface: i })));
	const pairs: Link[] = [];
	ifaces.forEach(({ host, iface }, k) => {
		const n = k + 1;
		const [p] = vethPair(world, wires, `p${n}`, mac(1, n), host.root, iface.name, mac(0, n));
		host.root.setSysctl(`net.ipv6.conf.${iface.name}.accept_dad`, '0');
		pairs.push(p);
	});
	const up = infra.upstream;
	let upBridge: Link | undefined;
	if (up && def.upstream) {
		const [uplink] = vethPair(world, wires, 'uplink', mac(1, 254), up, 'eth0', mac(0, 254));
		upBridge = wires.addLink('upstream', 'bridge', mac(2, 254));
		upBridge.macFixed = true;
		setMaster(uplink, upBridge);
		wires.linkUp(uplink);
		wires.linkUp(upBridge);
		for (const a of def.upstream.internet) if (parseIpv4Strict(a) !== null) addAddress(up, 'lo', `${a}/32`);
		addAddress(up, 'eth0', def.upstream.gateway);
		up.linkUp(up.link('eth0') as Link);
	}
	(def.switches ?? []).forEach((sw, k) => {
		const br = wires.addLink(sw.name, 'bridge', mac(2, k + 1));
		br.macFixed = true;
		wires.linkUp(br);
	});
	ifaces.forEach(({ host, iface }, k) => {
		const p = pairs[k] as Link;
		const br = iface.uplink ? upBridge : iface.switch ? wires.link(iface.switch) : undefined;
		if (br) setMaster(p, br);
		wires.linkUp(p);
		const dev = host.root.link(iface.name) as Link;
		host.root.linkUp(dev);
		if (iface.address) addAddress(host.root, iface.name, iface.address);
	});
	for (const h of def.hosts) {
		const ns = (world.hosts.get(h.name) as Host).root;
		for (const r of h.routes ?? []) {
			const via = parseIpv4Strict(r.via);
			const dst = r.to === 'default' ? { addr: 0, len: 0 } : parsePrefix(r.to);
			if (via === null || !dst) continue;
			const conn = ns.routes.find((x) => x.table === TABLE_MAIN && x.dev && x.scope === 'link' && ((via & (x.dst.len === 0 ? 0 : (0xffffffff << (32 - x.dst.len)) >>> 0)) >>> 0) === x.dst.addr);
			if (!conn?.dev) continue;
			ns.routes.push({ table: TABLE_MAIN, type: 'unicast', dst, dev: conn.dev, gateway: via, proto: 'boot', scope: 'global', metric: 0, onlink: false });
		}
		for (const [k, v] of Object.entries(h.sysctls ?? {})) ns.setSysctl(k, v);
	}
	world.infra = { wires, upstream: infra.upstream, internet: new Set((def.upstream?.internet ?? []).map((a) => parseIpv4Strict(a)).filter((a): a is number => a !== null)) };
	world.refreshAll();
	return infra;
}

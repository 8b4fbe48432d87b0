/**
 * Builds a world from a lab definition, wired exactly as the kernel engine's sandbox
 * (src/lib/engines/sandbox/sandbox.sh) wires the real kernel:
 * - one hidden namespace "wires" holds the far end `pN` of every host interface
 *   (host side MAC 02:00:00:00:00:NN, far side 02:00:00:00:01:NN) and one bridge per switch;
 *   a veth pair, except an `uplink` when the profile imitates a VM: two NICs joined by a cable;
 *   every host sees it as netns id 99;
 * - the upstream (home router + pretend internet) is a second hidden namespace whose `eth0`
 *   hangs off a bridge "upstream" in "wires"; the internet addresses sit on its `lo`;
 * - hosts start with `lo` up, forwarding off, no DAD on lab interfaces.
 */
import { parseIpv4Strict, parsePrefix } from '../addr/ipv4.ts';
import type { Mac } from '../addr/mac.ts';
import { addr4Add } from '../kernel/addr.ts';
import type { Result } from '../kernel/errno.ts';
import { linkUp } from '../kernel/link.ts';
import { bridgeCreate } from '../kernel/link-bridge.ts';
import { vethCreate } from '../kernel/link-veth.ts';
import { nicPair } from '../kernel/link-nic.ts';
import { netnsCreate, nsidSet } from '../kernel/netns.ts';
import { setMaster } from '../kernel/port.ts';
import { routeAdd } from '../kernel/route.ts';
import { sysctlWrite } from '../kernel/sysctl.ts';
import { TABLE_MAIN } from '../model/fib.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { Host, World } from '../model/world.ts';

/** The subset of a lab definition the simulator needs (see src/lib/shared/lab.ts). */
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
interface Infra {
	wires: Netns;
	upstream?: Netns | undefined;
}

/** The netns id every host gives the hidden "wires" namespace. */
const WIRES_NSID = 99;

/** A step of the wiring that the kernel refused: the lab definition is at fault (two devices of one name…). */
function built<T>(lab: string, what: string, r: Result<T>): T {
	if (!r.ok) throw new Error(`lab ${lab}: ${what}: the kernel refused (${r.errno}${r.extack ? `: ${r.extack}` : ''}); check the lab definition`);
	return r.value;
}

function hidden(world: World): Netns {
	const ns = netnsCreate(world);
	for (const k of ['net.ipv6.conf.all.disable_ipv6', 'net.ipv6.conf.default.disable_ipv6']) sysctlWrite(ns, k, '1');
	for (const k of ['net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables', 'net.bridge.bridge-nf-call-arptables']) sysctlWrite(ns, k, '0');
	linkUp(ns.lo);
	return ns;
}

/** Adds an IPv4 address the way `ip addr add` does (a CIDR that does not parse is skipped). */
function addAddress(ns: Netns, dev: string, cidr: string): void {
	const link = ns.link(dev);
	const pre = parsePrefix(cidr);
	if (!link || !pre) return;
	addr4Add(ns, link, { local: pre.addr, prefixlen: pre.len });
}

function mac(a: number, b: number): Mac {
	return [2, 0, 0, 0, a & 255, b & 255];
}

/** `ip -n wires link add NEAR address … type veth peer name FAR address … netns HOST`: returns the near end. */
function vethPair(lab: string, nearNs: Netns, near: string, nearMac: Mac, farNs: Netns, far: string, farMac: Mac): Link {
	const [n] = built(lab, `veth ${near}/${far}`, vethCreate(nearNs, { name: near, address: nearMac }, farNs, { name: far, address: farMac }));
	return n;
}

/** `ip -n wires link add NAME address … type bridge`, up. */
function bridge(lab: string, wires: Netns, name: string, address: Mac): Link {
	const br = built(lab, `bridge ${name}`, bridgeCreate(wires, { name, address }, {}));
	linkUp(br);
	return br;
}

/** Creates hosts, switches and upstream in `world`. */
export function buildLab(world: World, def: LabDefinition): Infra {
	const wires = hidden(world);
	const infra: Infra = { wires };
	if (def.upstream) infra.upstream = hidden(world);
	for (const h of def.hosts) {
		const root = netnsCreate(world);
		linkUp(root.lo);
		nsidSet(root, wires, WIRES_NSID);
		world.hosts.set(h.name, { name: h.name, hostname: h.name, root, named: new Map(), procs: new Map() });
	}
	const ifaces = def.hosts.flatMap((h) => h.interfaces.map((i) => ({ host: world.hosts.get(h.name) as Host, iface: i })));
	const pairs: Link[] = [];
	ifaces.forEach(({ host, iface }, k) => {
		const n = k + 1;
		// In a VM (and on a Pi) an uplink is a real NIC; its far end a second NIC, in the wires.
		if (iface.uplink && world.profile.uplink === 'nic') {
			const [, far] = built(def.name, `nic ${iface.name}/p${n}`, nicPair(host.root, { name: iface.name, address: mac(0, n) }, wires, { name: `p${n}`, address: mac(1, n) }));
			pairs.push(far);
		} else pairs.push(vethPair(def.name, wires, `p${n}`, mac(1, n), host.root, iface.name, mac(0, n)));
		sysctlWrite(host.root, `net.ipv6.conf.${iface.name}.accept_dad`, '0');
	});
	const up = infra.upstream;
	let upBridge: Link | undefined;
	if (up && def.upstream) {
		const uplink = vethPair(def.name, wires, 'uplink', mac(1, 254), up, 'eth0', mac(0, 254));
		upBridge = built(def.name, 'bridge upstream', bridgeCreate(wires, { name: 'upstream', address: mac(2, 254) }, {}));
		setMaster(uplink, upBridge);
		linkUp(uplink);
		linkUp(upBridge);
		for (const a of def.upstream.internet) if (parseIpv4Strict(a) !== null) addAddress(up, 'lo', `${a}/32`);
		addAddress(up, 'eth0', def.upstream.gateway);
		linkUp(up.link('eth0') as Link);
	}
	(def.switches ?? []).forEach((sw, k) => bridge(def.name, wires, sw.name, mac(2, k + 1)));
	ifaces.forEach(({ host, iface }, k) => {
		const p = pairs[k] as Link;
		const br = iface.uplink ? upBridge : iface.switch ? wires.link(iface.switch) : undefined;
		if (br) setMaster(p, br);
		linkUp(p);
		linkUp(host.root.link(iface.name) as Link);
		if (iface.address) addAddress(host.root, iface.name, iface.address);
	});
	for (const h of def.hosts) {
		const ns = (world.hosts.get(h.name) as Host).root;
		for (const r of h.routes ?? []) {
			const via = parseIpv4Strict(r.via);
			const dst = r.to === 'default' ? { addr: 0, len: 0 } : parsePrefix(r.to);
			if (via === null || !dst) continue;
			// As `ip route add`: the gateway must be on a connected subnet (else the route is skipped).
			routeAdd(ns, { table: TABLE_MAIN, type: 'unicast', dst, gateway: via, proto: 'boot', scope: 'global', metric: 0, onlink: false }, 'add');
		}
		for (const [k, v] of Object.entries(h.sysctls ?? {})) sysctlWrite(ns, k, v);
	}
	world.infra = { wires, upstream: infra.upstream, internet: new Set((def.upstream?.internet ?? []).map((a) => parseIpv4Strict(a)).filter((a): a is number => a !== null)) };
	world.refreshAll();
	return infra;
}

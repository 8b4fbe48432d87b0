/**
 * What the plugins do through netlink and go-iptables, done on the simulated kernel: veth pairs
 * across namespaces, addresses with a broadcast (vishvananda/netlink computes one), routes, and
 * iptables commands run through the simulated iptables so rules print exactly as the tool's own.
 */
import { broadcastOf, parseIpv4Loose, parsePrefix } from '../../addr/ipv4.ts';
import { formatMac, type Mac } from '../../addr/mac.ts';
import { addr4Add } from '../../kernel/addr.ts';
import { vethCreate } from '../../kernel/link-veth.ts';
import { setMaster } from '../../kernel/port.ts';
import { routeAdd } from '../../kernel/route.ts';
import { TABLE_MAIN } from '../../model/fib.ts';
import type { Link } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import type { ExecResult } from '../../tool/types.ts';
import { iptables } from '../iptables/index.ts';
import type { PluginCtx } from './skel.ts';
import { fail, goErrno } from './errors.ts';

/** Runs `iptables ARGS` in a namespace. */
export function iptIn(pc: PluginCtx, ns: Netns, argv: string[]): ExecResult {
	return iptables(argv, { ...pc.ctx, ns, stdin: '' });
}

/** A device's MAC as Go prints a net.HardwareAddr. */
export function macOf(l: Link): string {
	return formatMac(l.mac);
}

/** Random `vethXXXXXXXX` (ip.RandomVethName), from the simulator's seeded generator. */
function randomVethName(pc: PluginCtx): string {
	const n = pc.ctx.world.rng.next() >>> 0;
	return `veth${n.toString(16).padStart(8, '0')}`;
}

/**
 * ip.SetupVeth: creates IFNAME in the container namespace with a random peer in the host
 * namespace (the peer registers first), brings the host end up. Both ends have txqlen 0.
 */
export function setupVeth(pc: PluginCtx, cont: Netns, host: Netns, ifName: string, mtu: number, mac: string | undefined): { hostVeth: Link; contVeth: Link } {
	const world = host.world;
	if (cont.link(ifName)) fail(`container veth name provided (${ifName}) already exists`);
	let peerName = randomVethName(pc);
	for (let i = 0; i < 10 && host.link(peerName); i++) peerName = randomVethName(pc);
	if (host.link(peerName)) fail('failed to find a unique veth name');
	// Drawn even when a MAC is given, so that the seeded sequence of MACs stays the same.
	let contMac: Mac = world.mac();
	if (mac !== undefined) {
		const m = /^([0-9a-fA-F]{2})([:-][0-9a-fA-F]{2}){5}$/.test(mac) ? mac.split(/[:-]/).map((x) => parseInt(x, 16)) : undefined;
		if (!m) fail(`address ${mac}: invalid MAC address`);
		contMac = m;
	}
	const size = mtu > 0 ? mtu : undefined;
	const made = vethCreate(cont, { name: ifName, address: contMac, mtu: size, txqlen: 0 }, host, { name: peerName, mtu: size, txqlen: 0, up: true });
	if (!made.ok) fail(`failed to make veth pair: ${goErrno(made)}`);
	const [contVeth, hostVeth] = made.value;
	return { hostVeth, contVeth };
}

/** netlink.LinkSetMaster. */
export function enslave(port: Link, br: Link): void {
	setMaster(port, br);
}

/** netlink.AddrAdd of an IPv4 address: the broadcast is filled in, as vishvananda/netlink does. */
export function addAddr(ns: Netns, dev: string, cidr: string): boolean {
	const link = ns.link(dev);
	const pre = parsePrefix(cidr);
	if (!link || !pre) return false;
	return addr4Add(ns, link, { local: pre.addr, prefixlen: pre.len, brd: broadcastOf(pre.addr, pre.len) }).ok;
}

/** netlink.RouteAddEcmp (create, append): a gateway's device comes from the route to it. */
export function addRoute(ns: Netns, dst: string, gw: string | undefined, dev: string): boolean {
	const link = ns.link(dev);
	const to = parsePrefix(dst);
	// Read as `ip route append DST via GW` reads them: an empty gateway is none.
	const via = gw ? (gw.includes('.') || /^\d+$/.test(gw) ? parseIpv4Loose(gw)?.addr : undefined) : undefined;
	if (!link || !to || (gw && via === undefined)) return false;
	const route = { table: TABLE_MAIN, type: 'unicast' as const, dst: to, dev: link, gateway: via, proto: 'boot', scope: via === undefined ? ('link' as const) : ('global' as const), metric: 0, onlink: false };
	return routeAdd(ns, route, 'append').ok;
}

/** go-iptables ListChains. */
export function listChains(ns: Netns, table: string): string[] {
	return ns.netfilter.table(table).chains.map((c) => c.name);
}

/** go-iptables Exists (`-C`). */
export function ruleExists(pc: PluginCtx, ns: Netns, table: string, chain: string, rule: string[]): boolean {
	return iptIn(pc, ns, ['-t', table, '-C', chain, ...rule, '--wait']).exit === 0;
}

/** Runs an iptables command and fails the way go-iptables reports it. */
export function iptMust(pc: PluginCtx, ns: Netns, args: string[]): void {
	const r = iptIn(pc, ns, [...args, '--wait']);
	if (r.exit !== 0) fail(`running [/usr/sbin/iptables ${[...args, '--wait'].join(' ')}]: exit status ${r.exit}: ${r.stderr}`);
}

/** go-iptables AppendUnique. */
export function appendUnique(pc: PluginCtx, ns: Netns, table: string, chain: string, rule: string[]): void {
	if (!ruleExists(pc, ns, table, chain, rule)) iptMust(pc, ns, ['-t', table, '-A', chain, ...rule]);
}

/** utils.EnsureChain. */
export function ensureChain(pc: PluginCtx, ns: Netns, table: string, chain: string): void {
	if (!listChains(ns, table).includes(chain)) iptMust(pc, ns, ['-t', table, '-N', chain]);
}

/** A command whose "does not exist" failures are swallowed (teardown paths). */
export function iptQuiet(pc: PluginCtx, ns: Netns, args: string[]): ExecResult {
	return iptIn(pc, ns, [...args, '--wait']);
}

/**
 * What the plugins do through netlink and go-iptables, done on the simulated kernel: veth pairs
 * across namespaces, addresses with a broadcast (vishvananda/netlink computes one), routes, and
 * iptables commands run through the simulated iptables so rules print exactly as the tool's own.
 */
import { formatMac } from '../../addr/mac.ts';
import type { Link } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import { ip } from '../ip/index.ts';
import { setMaster } from '../ip/link.ts';
import { iptables } from '../iptables.ts';
import type { ExecResult } from '../../tool/types.ts';
import type { PluginCtx } from './skel.ts';
import { fail } from './types.ts';

/** Runs `ip ARGS` in a namespace. */
export function ipIn(pc: PluginCtx, ns: Netns, argv: string[]): ExecResult {
	return ip(argv, { ...pc.ctx, ns, stdin: '' });
}

/** Runs `iptables ARGS` in a namespace. */
export function iptIn(pc: PluginCtx, ns: Netns, argv: string[]): ExecResult {
	return iptables(argv, { ...pc.ctx, ns, stdin: '' });
}

/** A device's MAC as Go prints a net.HardwareAddr. */
export function macOf(l: Link): string {
	return formatMac(l.mac);
}

/** Random `vethXXXXXXXX` (ip.RandomVethName), from the simulator's seeded generator. */
export function randomVethName(pc: PluginCtx): string {
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
	let contMac = world.mac();
	if (mac !== undefined) {
		const m = /^([0-9a-fA-F]{2})([:-][0-9a-fA-F]{2}){5}$/.test(mac) ? mac.split(/[:-]/).map((x) => parseInt(x, 16)) : undefined;
		if (!m) fail(`address ${mac}: invalid MAC address`);
		contMac = m;
	}
	const hostVeth = host.addLink(peerName, 'veth', world.mac());
	const contVeth = cont.addLink(ifName, 'veth', contMac);
	hostVeth.peer = contVeth;
	contVeth.peer = hostVeth;
	hostVeth.txqlen = 0;
	contVeth.txqlen = 0;
	if (mtu > 0) hostVeth.mtu = contVeth.mtu = mtu;
	world.linkEvent(hostVeth);
	world.linkEvent(contVeth);
	host.linkUp(hostVeth);
	// The host end came up with its peer already in another namespace and down: the kernel
	// leaves its operstate DOWN (not LOWERLAYERDOWN) until the peer's next event.
	if (!contVeth.adminUp) hostVeth.operOverride = 'DOWN';
	return { hostVeth, contVeth };
}

/** netlink.LinkSetMaster. */
export function enslave(port: Link, br: Link): void {
	setMaster(port, br);
}

/** netlink.AddrAdd of an IPv4 address: the broadcast is filled in, as vishvananda/netlink does. */
export function addAddr(pc: PluginCtx, ns: Netns, dev: string, cidr: string): boolean {
	return ipIn(pc, ns, ['addr', 'add', cidr, 'brd', '+', 'dev', dev]).exit === 0;
}

/** netlink.RouteAddEcmp (create, append). */
export function addRoute(pc: PluginCtx, ns: Netns, dst: string, gw: string | undefined, dev: string): boolean {
	return ipIn(pc, ns, ['route', 'append', dst, ...(gw ? ['via', gw] : []), 'dev', dev]).exit === 0;
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

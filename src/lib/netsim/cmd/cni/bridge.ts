/**
 * The bridge plugin (plugins 1.1.1): a bridge in the host namespace, a veth pair into the
 * container, the IPAM delegate's addresses and routes, the gateway address on the bridge,
 * forwarding, and a per-container masquerade chain. ADD, CHECK and DEL, with the plugin's
 * own error wording.
 */
import { formatIpv4, networkOf } from '../../addr/ipv4.ts';
import { addrUnassign } from '../../kernel/addr.ts';
import { linkChange, linkDelete, linkUp } from '../../kernel/link.ts';
import { bridgeCreate } from '../../kernel/link-bridge.ts';
import { sysctlWrite } from '../../kernel/sysctl.ts';
import type { Link } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import { TABLE_MAIN } from '../../model/fib.ts';
import { sha512Hex } from '../../util/sha512.ts';
import type { JObject } from '../json.ts';
import { addAddr, addRoute, appendUnique, enslave, ensureChain, iptQuiet, macOf, setupVeth } from './netops.ts';
import { ipamAdd, ipamCheck, ipamDel, loadArgs, loadConf, openNetns, type CmdArgs, type Plugin, type PluginCtx } from './skel.ts';
import { bool, field, int, obj, str, strs } from './decode.ts';
import { CniError, fail, goErrno, goQ } from './errors.ts';
import { cidrText, type IpNet, maskHex, parseCidr, parseIp } from './net.ts';
import { type CniInterface, type CniResult, newResult, parsePrevResult, printResult, routeText } from './result.ts';

/** utils.FormatChainName / MustFormatChainNameWithPrefix: `CNI-` + prefix + sha512(name+id), 28 chars. */
export function chainName(name: string, id: string, prefix = ''): string {
	return `CNI-${prefix}${sha512Hex(name + id)}`.slice(0, 28);
}

/** utils.FormatComment. */
function chainComment(name: string, id: string): string {
	return `name: ${goQ(name)} id: ${goQ(id)}`;
}

interface NetConf {
	raw: JObject;
	name: string;
	version: string;
	brName: string;
	isGW: boolean;
	isDefaultGW: boolean;
	forceAddress: boolean;
	ipMasq: boolean;
	mtu: number;
	hairpin: boolean;
	promisc: boolean;
	vlan: number;
	ipamType: string;
	mac?: string | undefined;
	dns: CniResult['dns'];
}

function loadNetConf(stdin: string, envArgs: string): NetConf {
	const raw = loadConf(stdin, 'failed to load netconf: ');
	let n: NetConf;
	try {
		const ipam = obj(raw, 'ipam', 'NetConf', 'types.IPAM');
		const dns = obj(raw, 'dns', 'NetConf', 'types.DNS');
		n = {
			raw,
			name: str(raw, 'name', 'NetConf') ?? '',
			version: str(raw, 'cniVersion', 'NetConf') ?? '',
			brName: str(raw, 'bridge', 'NetConf') || 'cni0',
			isGW: bool(raw, 'isGateway', 'NetConf'),
			isDefaultGW: bool(raw, 'isDefaultGateway', 'NetConf'),
			forceAddress: bool(raw, 'forceAddress', 'NetConf'),
			ipMasq: bool(raw, 'ipMasq', 'NetConf'),
			mtu: int(raw, 'mtu', 'NetConf') ?? 0,
			hairpin: bool(raw, 'hairpinMode', 'NetConf'),
			promisc: bool(raw, 'promiscMode', 'NetConf'),
			vlan: int(raw, 'vlan', 'NetConf') ?? 0,
			ipamType: ipam ? (str(ipam, 'type', 'IPAM') ?? '') : '',
			dns: dns ? { nameservers: strs(dns, 'nameservers', 'DNS'), domain: str(dns, 'domain', 'DNS'), search: strs(dns, 'search', 'DNS'), options: strs(dns, 'options', 'DNS') } : {},
		};
	} catch (e) {
		if (e instanceof CniError) fail(`failed to load netconf: ${e.msg}`);
		throw e;
	}
	if (n.vlan < 0 || n.vlan > 4094) fail(`invalid VLAN ID ${n.vlan} (must be between 0 and 4094)`);
	const args = loadArgs(envArgs, ['MAC']);
	if (args.get('MAC')) n.mac = args.get('MAC');
	const a = obj(raw, 'args', 'NetConf', 'struct');
	const cni = a ? obj(a, 'cni', 'NetConf.args', 'main.BridgeArgs') : undefined;
	if (cni && str(cni, 'mac', 'BridgeArgs')) n.mac = str(cni, 'mac', 'BridgeArgs');
	const rc = obj(raw, 'runtimeConfig', 'NetConf', 'struct');
	if (rc && str(rc, 'mac', 'NetConf.runtimeConfig')) n.mac = str(rc, 'mac', 'NetConf.runtimeConfig');
	return n;
}

/** ensureBridge: create (or reuse) the bridge, bring it up. Returns the bridge and its MAC then. */
function ensureBridge(host: Netns, n: NetConf): { br: Link; mac: string } {
	let br = host.link(n.brName);
	if (!br) {
		if (n.brName.length > 15) fail(`failed to create bridge ${goQ(n.brName)}: could not add ${goQ(n.brName)}: numerical result out of range`);
		const made = bridgeCreate(host, { name: n.brName, mtu: n.mtu > 0 ? n.mtu : undefined }, {});
		if (!made.ok) fail(`failed to create bridge ${goQ(n.brName)}: could not add ${goQ(n.brName)}: ${goErrno(made)}`);
		br = made.value;
	}
	if (br.kind !== 'bridge') fail(`failed to create bridge ${goQ(n.brName)}: ${goQ(n.brName)} already exists but is not a bridge`);
	linkUp(br);
	return { br, mac: macOf(br) };
}

/** calcGatewayIP: the network address + 1. */
function gatewayOf(n: IpNet): string {
	return formatIpv4((networkOf(n.ip, n.len) + 1) >>> 0);
}

/** calcGateways: each address on the container's interface, its gateway, a default route if asked. */
function calcGateways(n: NetConf, result: CniResult): IpNet[] {
	const gws: IpNet[] = [];
	let defaultFound = false;
	for (const ipc of result.ips) {
		ipc.interface = 2;
		const addr = parseCidr(ipc.address);
		if (ipc.gateway === undefined && n.isGW) ipc.gateway = gatewayOf(addr);
		if (n.isDefaultGW && !defaultFound) {
			defaultFound = result.routes.some((r) => r.gw !== undefined && r.dst === '0.0.0.0/0');
			if (!defaultFound) {
				result.routes.push({ dst: '0.0.0.0/0', gw: ipc.gateway });
				defaultFound = true;
			}
		}
		if (n.isGW && ipc.gateway !== undefined) gws.push({ ip: parseIp(ipc.gateway) ?? 0, len: addr.len });
	}
	return gws;
}

/** ipam.ConfigureIface: in the container, the addresses, the interface up, the routes. */
function configureIface(cont: Netns, ifName: string, contVeth: Link, result: CniResult): void {
	let v4gw: string | undefined;
	for (const ipc of result.ips) {
		if (ipc.interface === undefined) continue;
		if (!addAddr(cont, ifName, ipc.address)) fail(`failed to add IP addr {Interface:${ipc.interface} Address:${ipc.address} Gateway:${ipc.gateway ?? '<nil>'}} to ${goQ(ifName)}: file exists`);
		if (v4gw === undefined) v4gw = ipc.gateway;
	}
	linkUp(contVeth);
	for (const r of result.routes) {
		const gw = r.gw ?? v4gw;
		if (!addRoute(cont, r.dst, gw, ifName)) {
			const d = parseCidr(r.dst);
			fail(`failed to add route '{${formatIpv4(d.ip)} ${maskHex(d.len)}} via ${gw ?? '<nil>'} dev ${ifName}': network is unreachable`);
		}
	}
}

/** ensureAddr for each gateway on the bridge (replacing others with forceAddress), then forwarding on. */
function bridgeGateways(host: Netns, br: Link, brMac: string, n: NetConf, gws: IpNet[]): void {
	for (const gw of gws) {
		const want = cidrText(gw);
		const have = host.v4(br);
		if (have.some((x) => `${formatIpv4(x.local as number)}/${x.prefixlen}` === want)) continue;
		if (have.length > 0) {
			if (!n.forceAddress) fail(`failed to set bridge addr: ${goQ(br.name)} already has an IP address different from ${want}`);
			for (const x of have) delBridgeAddr(host, br, `${formatIpv4(x.local as number)}/${x.prefixlen}`);
		}
		addAddr(host, br.name, want);
		// Set the bridge's MAC to itself, so it no longer follows its ports.
		linkChange(br, { address: brMac.split(':').map((x) => parseInt(x, 16)) });
	}
	if (gws.length > 0) sysctlWrite(host, 'net.ipv4.ip_forward', '1');
}

/** ip.SetupIPMasq: the container's chain in nat (its own addresses accepted, the rest masqueraded), jumped to from POSTROUTING. */
function setupIpMasq(pc: PluginCtx, host: Netns, n: NetConf, containerId: string, result: CniResult): void {
	const chain = chainName(n.name, containerId);
	const comment = chainComment(n.name, containerId);
	for (const ipc of result.ips) {
		const addr = parseCidr(ipc.address);
		if (!host.netfilter.table('nat').chains.some((c) => c.name === chain)) ensureChain(pc, host, 'nat', chain);
		appendUnique(pc, host, 'nat', chain, ['-d', ipc.address, '-j', 'ACCEPT', '-m', 'comment', '--comment', comment]);
		appendUnique(pc, host, 'nat', chain, ['!', '-d', '224.0.0.0/4', '-j', 'MASQUERADE', '-m', 'comment', '--comment', comment]);
		appendUnique(pc, host, 'nat', 'POSTROUTING', ['-s', formatIpv4(addr.ip), '-j', chain, '-m', 'comment', '--comment', comment]);
	}
}

/** What ADD has made by the time it asks IPAM for addresses. */
interface Plumbing {
	host: Netns;
	cont: Netns;
	br: Link;
	brMac: string;
	hostVeth: Link;
	contVeth: Link;
}

/** The layer-3 part of ADD: addresses from IPAM and all that uses them; IPAM's lease is released if it fails. */
function addLayer3(a: CmdArgs, pc: PluginCtx, n: NetConf, p: Plumbing, result: CniResult): void {
	const ipam = ipamAdd(pc, n.ipamType, a.stdin);
	let success = false;
	try {
		result.ips = ipam.ips;
		result.routes = ipam.routes;
		if (result.ips.length === 0) fail('IPAM plugin returned missing IP config');
		const gws = calcGateways(n, result);
		configureIface(p.cont, a.ifName, p.contVeth, result);
		if (p.hostVeth.operstate() !== 'UP') fail(`bridge port in error state: ${p.hostVeth.operstate().toLowerCase()}`);
		if (n.isGW) bridgeGateways(p.host, p.br, p.brMac, n, gws);
		if (n.ipMasq) setupIpMasq(pc, p.host, n, a.containerId, result);
		success = true;
	} finally {
		if (!success) {
			try {
				ipamDel(pc, n.ipamType, a.stdin);
			} catch {
				// the plugin ignores a failed release
			}
		}
	}
}

function add(a: CmdArgs, pc: PluginCtx): string {
	const n = loadNetConf(a.stdin, a.args);
	const host = pc.ctx.ns;
	if (n.isDefaultGW) n.isGW = true;
	if (n.hairpin && n.promisc) fail('cannot set hairpin mode and promiscuous mode at the same time.');
	if (n.vlan !== 0) fail('netsim: VLAN filtering on the bridge is not simulated');
	const { br, mac: brMac } = ensureBridge(host, n);
	const brIface: CniInterface = { name: br.name, mac: brMac };
	const opened = openNetns(pc, a.netns);
	if ('error' in opened) fail(`failed to open netns ${goQ(a.netns)}: ${opened.error}`);
	const cont = opened.ns;
	const { hostVeth, contVeth } = setupVeth(pc, cont, host, a.ifName, n.mtu, n.mac);
	enslave(hostVeth, br);
	const result = newResult();
	result.interfaces = [brIface, { name: hostVeth.name, mac: macOf(hostVeth) }, { name: contVeth.name, mac: macOf(contVeth), sandbox: a.netns }];
	if (n.ipamType !== '') addLayer3(a, pc, n, { host, cont, br, brMac, hostVeth, contVeth }, result);
	else linkUp(contVeth);
	brIface.mac = macOf(br);
	result.dns = n.dns;
	return printResult(result, n.version);
}

/** netlink.AddrDel of a bridge address that forceAddress replaces. */
function delBridgeAddr(host: Netns, br: Link, cidr: string): void {
	const r = host.addrs.find((x) => x.link === br && `${formatIpv4(x.local as number)}/${x.prefixlen}` === cidr);
	if (r) addrUnassign(host, r);
}

function del(a: CmdArgs, pc: PluginCtx): string {
	const n = loadNetConf(a.stdin, a.args);
	const host = pc.ctx.ns;
	const isLayer3 = n.ipamType !== '';
	const doIpamDel = (): void => {
		if (isLayer3) ipamDel(pc, n.ipamType, a.stdin);
	};
	if (a.netns === '') {
		doIpamDel();
		return '';
	}
	const opened = openNetns(pc, a.netns);
	if ('error' in opened) {
		if (opened.missing) {
			doIpamDel();
			return '';
		}
		fail(opened.error);
	}
	const cont = opened.ns;
	const ipnets: string[] = [];
	const link = cont.link(a.ifName);
	if (link) {
		for (const x of cont.addrs) {
			if (x.link !== link || x.family !== 4) continue;
			const v = x.local as number;
			if (v >>> 24 === 127 || v >>> 16 === 0xa9fe || v >>> 28 === 14 || v === 0 || v === 0xffffffff) continue;
			ipnets.push(formatIpv4(v));
		}
		// The kernel refuses to delete lo; the simulated plugin has always deleted it anyway, and
		// still does so that no output changes here (a known gap: the real plugin fails).
		if (!linkDelete(link).ok) link.ns.world.deleteLink(link);
	}
	doIpamDel();
	if (isLayer3 && n.ipMasq) {
		const chain = chainName(n.name, a.containerId);
		const comment = chainComment(n.name, a.containerId);
		for (const ipn of ipnets) {
			iptQuiet(pc, host, ['-t', 'nat', '-D', 'POSTROUTING', '-s', ipn, '-j', chain, '-m', 'comment', '--comment', comment]);
			iptQuiet(pc, host, ['-t', 'nat', '-F', chain]);
			iptQuiet(pc, host, ['-t', 'nat', '-X', chain]);
		}
	}
	return '';
}

function check(a: CmdArgs, pc: PluginCtx): string {
	const n = loadNetConf(a.stdin, a.args);
	const host = pc.ctx.ns;
	const opened = openNetns(pc, a.netns);
	if ('error' in opened) fail(`failed to open netns ${goQ(a.netns)}: ${opened.error}`);
	const cont = opened.ns;
	ipamCheck(pc, n.ipamType, a.stdin);
	if (field(n.raw, 'prevResult') === undefined || field(n.raw, 'prevResult') === null) fail('Required prevResult missing');
	const result = parsePrevResult(n.raw, n.version) as CniResult;
	let brMap: CniInterface = { name: '' };
	let contMap: CniInterface = { name: '' };
	for (const i of result.interfaces) {
		if (n.brName === i.name) brMap = i;
		else if (a.ifName === i.name && a.netns === i.sandbox) contMap = i;
	}
	// validateCniBrInterface
	const inSandbox = (i: CniInterface, ns: Netns, expect: boolean): Link => {
		if (i.name === '') fail('Interface name missing ');
		const l = ns.link(i.name);
		if (!l) fail(`Interface name ${i.name} not found`);
		if (expect && !i.sandbox) fail(`Interface ${i.name} is expected to be in a sandbox`);
		if (!expect && i.sandbox) fail(`Interface ${i.name} should not be in sandbox`);
		return l;
	};
	const br = inSandbox(brMap, host, false);
	if (br.kind !== 'bridge') fail(`Interface ${brMap.name} does not have link type of bridge`);
	if (brMap.mac && brMap.mac !== macOf(br)) fail(`Bridge interface ${brMap.name} Mac doesn't match: ${brMap.mac}`);
	if (n.promisc) fail(`Bridge interface ${brMap.name} configured Promisc Mode true doesn't match current state: false `);
	if (a.netns !== contMap.sandbox) fail(`Sandbox in prevResult ${contMap.sandbox ?? ''} doesn't match configured netns: ${a.netns}`);
	const contLink = inSandbox(contMap, cont, true);
	if (contLink.kind !== 'veth') fail(`Error: Container interface ${contLink.name} not of type veth`);
	if (contMap.mac && contMap.mac !== macOf(contLink)) fail(`Interface ${contMap.name} Mac ${contMap.mac} doesn't match container Mac: ${macOf(contLink)}`);
	let vethFound = false;
	for (const i of result.interfaces) {
		if (i.name === brMap.name || i.name === contMap.name) continue;
		const l = inSandbox(i, host, false);
		if (l.kind !== 'veth') continue;
		if (l !== contLink.peer || l.master !== br) continue;
		if (i.mac && i.mac !== macOf(l)) fail(`Interface ${i.name} Mac doesn't match: ${i.mac} not found`);
		vethFound = true;
		break;
	}
	if (!vethFound) fail(`CNI veth created for bridge ${n.brName} was not found`);
	// ip.ValidateExpectedInterfaceIPs
	for (const ipc of result.ips) {
		const want = parseCidr(ipc.address);
		const l = cont.link(a.ifName);
		if (!l) fail(`Cannot find container link ${a.ifName}`);
		if (!cont.v4(l).some((x) => x.local === want.ip && x.prefixlen === want.len)) fail(`Failed to match addr ${ipc.address} on interface ${a.ifName}`);
		const net = networkOf(want.ip, want.len);
		if (!cont.routes.some((r) => r.table === TABLE_MAIN && r.dst.addr === net && r.dst.len === want.len)) fail(`Failed to find Gateway ${ipc.gateway ?? '<nil>'} for interface ${a.ifName}`);
	}
	// ip.ValidateExpectedRoute
	for (const r of result.routes) {
		const d = parseCidr(r.dst);
		const gw = r.gw === undefined ? undefined : parseIp(r.gw);
		const isDefault = d.len === 0 && d.ip === 0;
		const found = cont.routes.some((x) => x.table === TABLE_MAIN && x.type === 'unicast' && (isDefault ? x.dst.len === 0 : x.dst.addr === d.ip && x.dst.len === d.len && x.gateway === gw));
		if (!found) fail(`Expected Route ${routeText(r)} not found in routing table`);
	}
	return '';
}

/** The plugin. */
export const bridgePlugin: Plugin = { name: 'bridge', add, check, del };

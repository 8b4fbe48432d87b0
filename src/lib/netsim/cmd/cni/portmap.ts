/**
 * The portmap meta plugin (plugins 1.1.1): host ports from `runtimeConfig.portMappings` become
 * DNAT rules in a per-container chain `CNI-DN-…` reached from `CNI-HOSTPORT-DNAT` (PREROUTING and
 * OUTPUT, local destinations), with hairpin/localhost marking and `route_localnet` on the
 * container's host interface. ADD passes prevResult through unchanged.
 */
import { formatIpv4 } from '../../addr/ipv4.ts';
import type { Netns } from '../../model/netns.ts';
import { fibLookup } from '../../engine/route.ts';
import { sysctlWrite } from '../../kernel/sysctl.ts';
import type { JObject } from '../json.ts';
import { chainName } from './bridge.ts';
import { ensureChain, iptIn, iptQuiet, listChains, ruleExists, iptMust } from './netops.ts';
import { loadConf, type CmdArgs, type Plugin, type PluginCtx } from './skel.ts';
import { arr, bool, field, int, obj, str, strs } from './decode.ts';
import { CniError, fail, goQ } from './errors.ts';
import { type IpNet, isIpv6Text, parseCidr } from './net.ts';
import { type CniResult, parsePrevResult, printResult } from './result.ts';

const TOP_DNAT = 'CNI-HOSTPORT-DNAT';
const SETMARK = 'CNI-HOSTPORT-SETMARK';
const MASQ = 'CNI-HOSTPORT-MASQ';

interface PortMap {
	hostPort: number;
	containerPort: number;
	protocol: string;
	hostIP: string;
}

interface Conf {
	name: string;
	version: string;
	snat: boolean;
	conditionsV4?: string[] | undefined;
	markBit: number;
	externalSetMark?: string | undefined;
	portMaps: PortMap[];
	prev?: CniResult | undefined;
	contIPv4?: IpNet | undefined;
}

function parseConfig(stdin: string, ifName: string): Conf {
	const raw: JObject = loadConf(stdin, 'failed to parse network configuration: ');
	const c: Conf = { name: '', version: '', snat: true, markBit: 13, portMaps: [] };
	try {
		c.name = str(raw, 'name', 'PortMapConf') ?? '';
		c.version = str(raw, 'cniVersion', 'PortMapConf') ?? '';
		if (field(raw, 'snat') !== undefined && field(raw, 'snat') !== null) c.snat = bool(raw, 'snat', 'PortMapConf');
		c.conditionsV4 = strs(raw, 'conditionsV4', 'PortMapConf');
		const bit = int(raw, 'markMasqBit', 'PortMapConf');
		c.externalSetMark = str(raw, 'externalSetMarkChain', 'PortMapConf');
		const rc = obj(raw, 'runtimeConfig', 'PortMapConf', 'struct');
		for (const pm of (rc ? arr(rc, 'portMappings', 'PortMapConf.runtimeConfig', '[]main.PortMapEntry') : undefined) ?? []) {
			if (pm === null || typeof pm !== 'object' || Array.isArray(pm)) continue;
			c.portMaps.push({ hostPort: int(pm, 'hostPort', 'PortMapEntry') ?? 0, containerPort: int(pm, 'containerPort', 'PortMapEntry') ?? 0, protocol: str(pm, 'protocol', 'PortMapEntry') ?? '', hostIP: str(pm, 'hostIP', 'PortMapEntry') ?? '' });
		}
		if (field(raw, 'prevResult') !== undefined && field(raw, 'prevResult') !== null) c.prev = parsePrevResult(raw, c.version);
		if (bit !== undefined && c.externalSetMark !== undefined) fail('Cannot specify externalSetMarkChain and markMasqBit');
		if (bit !== undefined) c.markBit = bit;
	} catch (e) {
		if (e instanceof CniError) fail(`failed to parse config: ${e.msg}`);
		throw e;
	}
	if (c.markBit < 0 || c.markBit > 31) fail('failed to parse config: MasqMarkBit must be between 0 and 31');
	for (const pm of c.portMaps) {
		if (pm.containerPort <= 0) fail(`failed to parse config: Invalid container port number: ${pm.containerPort}`);
		if (pm.hostPort <= 0) fail(`failed to parse config: Invalid host port number: ${pm.hostPort}`);
	}
	if (c.prev) {
		for (const ipc of c.prev.ips) {
			if (isIpv6Text(ipc.address) || c.contIPv4) continue;
			if (ipc.interface !== undefined) {
				const i = c.prev.interfaces[ipc.interface];
				if (ipc.interface >= 0 && i && (i.name !== ifName || !i.sandbox)) continue;
			}
			c.contIPv4 = parseCidr(ipc.address);
		}
	}
	return c;
}

function markDef(bit: number): string {
	const v = (1 << bit) >>> 0;
	return `0x${v.toString(16)}/0x${v.toString(16)}`;
}

interface ChainSpec {
	name: string;
	entryChains: string[];
	entryRules: string[][];
	rules: string[][];
	prependEntry?: boolean;
}

function insertUnique(pc: PluginCtx, ns: Netns, chain: string, prepend: boolean, rule: string[]): void {
	if (ruleExists(pc, ns, 'nat', chain, rule)) return;
	iptMust(pc, ns, prepend ? ['-t', 'nat', '-I', chain, '1', ...rule] : ['-t', 'nat', '-A', chain, ...rule]);
}

function setup(pc: PluginCtx, ns: Netns, c: ChainSpec): void {
	ensureChain(pc, ns, 'nat', c.name);
	for (const r of c.rules) insertUnique(pc, ns, c.name, false, r);
	for (const e of c.entryChains) for (const r of c.entryRules) insertUnique(pc, ns, e, c.prependEntry ?? false, [...r, '-j', c.name]);
}

/** shellwords.Parse, enough for `iptables -S` lines (double quotes with backslash escapes). */
function shellwords(line: string): string[] {
	const out: string[] = [];
	let cur = '';
	let has = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i] as string;
		if (ch === ' ') {
			if (has) out.push(cur);
			cur = '';
			has = false;
		} else if (ch === '"') {
			has = true;
			for (i++; i < line.length && line[i] !== '"'; i++) {
				if (line[i] === '\\' && i + 1 < line.length) i++;
				cur += line[i];
			}
		} else if (ch === "'") {
			has = true;
			for (i++; i < line.length && line[i] !== "'"; i++) cur += line[i];
		} else {
			cur += ch;
			has = true;
		}
	}
	if (has) out.push(cur);
	return out;
}

/** chain.teardown: flush (creating it if missing), drop the entry rules, delete it. */
function teardown(pc: PluginCtx, ns: Netns, c: ChainSpec): void {
	if (!listChains(ns, 'nat').includes(c.name)) iptQuiet(pc, ns, ['-t', 'nat', '-N', c.name]);
	iptQuiet(pc, ns, ['-t', 'nat', '-F', c.name]);
	for (const e of c.entryChains) {
		const r = iptIn(pc, ns, ['-t', 'nat', '-S', e, '--wait']);
		if (r.exit !== 0) continue;
		const lines = r.stdout.split('\n').filter((l) => l !== '');
		for (const line of lines.slice(1)) {
			if (!line.endsWith(`-j ${c.name}`)) continue;
			iptQuiet(pc, ns, ['-t', 'nat', '-D', e, ...shellwords(line).slice(2)]);
		}
	}
	iptQuiet(pc, ns, ['-t', 'nat', '-X', c.name]);
}

function dnatChain(c: Conf, containerId: string, net: IpNet | undefined): ChainSpec {
	const spec: ChainSpec = { name: chainName(c.name, containerId, 'DN-'), entryChains: [TOP_DNAT], entryRules: [], rules: [] };
	if (!net) return spec;
	let comment = `dnat name: ${goQ(c.name)} id: ${goQ(containerId)}`;
	if (comment.length > 255) comment = `${comment.slice(0, 253)}...`;
	const setMark = c.externalSetMark ?? SETMARK;
	const byProto = new Map<string, number[]>();
	for (const pm of c.portMaps) byProto.set(pm.protocol, [...(byProto.get(pm.protocol) ?? []), pm.hostPort]);
	for (const proto of [...byProto.keys()].sort()) {
		const ports = byProto.get(proto) as number[];
		for (let i = 0; i < ports.length; i += 15) {
			const r = ['-m', 'comment', '--comment', comment, '-m', 'multiport', '-p', proto, '--destination-ports', ports.slice(i, i + 15).join(',')];
			if (c.conditionsV4?.length) r.push(...c.conditionsV4);
			spec.entryRules.push(r);
		}
	}
	const ip = formatIpv4(net.ip);
	for (const pm of c.portMaps) {
		let withDst = false;
		if (pm.hostIP) {
			if (isIpv6Text(pm.hostIP)) continue;
			if (pm.hostIP !== '0.0.0.0') withDst = true;
		}
		const base = ['-p', pm.protocol, '--dport', String(pm.hostPort), ...(withDst ? ['-d', pm.hostIP] : [])];
		if (c.snat) {
			spec.rules.push([...base, '-s', `${ip}/${net.len}`, '-j', setMark]);
			spec.rules.push([...base, '-s', '127.0.0.1', '-j', setMark]);
		}
		spec.rules.push([...base, '-j', 'DNAT', '--to-destination', `${ip}:${pm.containerPort}`]);
	}
	return spec;
}

function add(a: CmdArgs, pc: PluginCtx): string {
	const c = parseConfig(a.stdin, a.ifName);
	if (!c.prev) fail('must be called as chained plugin');
	if (c.portMaps.length === 0 || !c.contIPv4) return printResult(c.prev, c.version);
	const host = pc.ctx.ns;
	const net = c.contIPv4;
	if (c.snat) {
		if (c.externalSetMark === undefined) {
			const mark = markDef(c.markBit);
			try {
				setup(pc, host, { name: SETMARK, entryChains: [], entryRules: [], rules: [['-m', 'comment', '--comment', 'CNI portfwd masquerade mark', '-j', 'MARK', '--set-xmark', mark]] });
				setup(pc, host, { name: MASQ, entryChains: ['POSTROUTING'], prependEntry: true, entryRules: [['-m', 'comment', '--comment', 'CNI portfwd requiring masquerade']], rules: [['-m', 'mark', '--mark', mark, '-j', 'MASQUERADE']] });
			} catch (e) {
				if (e instanceof CniError) fail(`unable to create chain ${SETMARK}: ${e.msg}`);
				throw e;
			}
		}
		// route_localnet on the host interface that leads to the container.
		const r = fibLookup(host, net.ip);
		const dev = r?.dev;
		if (dev) sysctlWrite(host, `net.ipv4.conf.${dev.name}.route_localnet`, '1');
	}
	try {
		setup(pc, host, { name: TOP_DNAT, entryChains: ['PREROUTING', 'OUTPUT'], entryRules: [['-m', 'addrtype', '--dst-type', 'LOCAL']], rules: [] });
	} catch (e) {
		if (e instanceof CniError) fail(`failed to create top-level DNAT chain: ${e.msg}`);
		throw e;
	}
	try {
		setup(pc, host, dnatChain(c, a.containerId, net));
	} catch (e) {
		if (e instanceof CniError) fail(`unable to setup DNAT: ${e.msg}`);
		throw e;
	}
	return printResult(c.prev, c.version);
}

function del(a: CmdArgs, pc: PluginCtx): string {
	const c = parseConfig(a.stdin, a.ifName);
	if (c.portMaps.length === 0) return '';
	const host = pc.ctx.ns;
	teardown(pc, host, dnatChain(c, a.containerId, undefined));
	teardown(pc, host, { name: chainName(c.name, a.containerId, 'SN-'), entryChains: ['CNI-HOSTPORT-SNAT'], entryRules: [], rules: [] });
	return '';
}

function check(a: CmdArgs, pc: PluginCtx): string {
	let c: Conf;
	try {
		c = parseConfig(a.stdin, a.ifName);
	} catch (e) {
		if (e instanceof CniError) fail(e.msg.replace(/^failed to parse config: /, ''));
		throw e;
	}
	if (!c.prev) fail('Required prevResult missing');
	if (c.portMaps.length === 0 || !c.contIPv4) return '';
	const host = pc.ctx.ns;
	const spec = dnatChain(c, a.containerId, c.contIPv4);
	const show = (l: string[][]): string => `[${l.map((r) => `[${r.join(' ')}]`).join(' ')}]`;
	if (!listChains(host, 'nat').includes(spec.name)) fail(`could not check ipv4 dnat: chain ${spec.name} not found in iptables table nat`);
	for (let i = spec.rules.length - 1; i >= 0; i--) {
		if (!ruleExists(pc, host, 'nat', spec.name, spec.rules[i] as string[])) fail(`could not check ipv4 dnat: rule ${show(spec.rules)} in chain ${spec.name} not found in table nat`);
	}
	for (const e of spec.entryChains) {
		for (let i = spec.entryRules.length - 1; i >= 0; i--) {
			if (!ruleExists(pc, host, 'nat', e, [...(spec.entryRules[i] as string[]), '-j', spec.name])) fail(`could not check ipv4 dnat: rule ${show(spec.entryRules)} in chain ${e} not found in table nat`);
		}
	}
	// Then the same chain in ip6tables, which an IPv4-only pod never gets: the real plugin's
	// CHECK fails there whenever ip6tables works (upstream bug, plugins ≤ 1.1.1).
	fail(`could not check ipv6 dnat: chain ${spec.name} not found in iptables table nat`);
}

/** The plugin. */
export const portmapPlugin: Plugin = { name: 'portmap', add, check, del };

/**
 * The host-local IPAM plugin (plugins 1.1.1): ranges from the `ipam` section, allocations as
 * files under /var/lib/cni/networks/NAME on the simulated file system (`ID\r\nIFNAME` in a file
 * named after the address, `last_reserved_ip.N` for round-robin, an empty `lock`).
 */
import { formatIpv4, inPrefix, maskOf, networkOf, type Ipv4 } from '../../addr/ipv4.ts';
import { normalise } from '../../shell/vfs.ts';
import type { JObject } from '../json.ts';
import { loadArgs, loadConf, type CmdArgs, type Plugin, type PluginCtx } from './skel.ts';
import { arr, obj, str, strs } from './decode.ts';
import { CniError, ERR, fail } from './errors.ts';
import { cidrText, type IpNet, isIpv6Text, parseCidr, parseIp } from './net.ts';
import { type CniRoute, newResult, printResult } from './result.ts';

interface Range {
	subnet: IpNet;
	start: Ipv4;
	end: Ipv4;
	gateway: Ipv4;
}

interface IpamConf {
	name: string;
	version: string;
	ranges: Range[][];
	routes: CniRoute[];
	dataDir: string;
	resolvConf?: string | undefined;
	requested: Ipv4[];
}

function rangeText(r: Range): string {
	return `${formatIpv4(r.start)}-${formatIpv4(r.end)}`;
}

function setText(s: Range[]): string {
	return s.map(rangeText).join(',');
}

function contains(r: Range, ip: Ipv4): boolean {
	return inPrefix(ip, { addr: r.subnet.ip, len: r.subnet.len }) && ip >= r.start && ip <= r.end;
}

function rangeFor(s: Range[], ip: Ipv4): Range | undefined {
	return s.find((r) => contains(r, ip));
}

/** Range.Canonicalize. */
function canonicalize(o: JObject, struct: string): Range {
	const subnetText = str(o, 'subnet', struct);
	if (subnetText === undefined) fail('IPNet IP and Mask version mismatch');
	const subnet = parseCidr(subnetText);
	if (subnet.len > 30) fail(`Network ${cidrText({ ip: subnet.ip, len: subnet.len })} too small to allocate from`);
	const net = networkOf(subnet.ip, subnet.len);
	if (net !== subnet.ip) fail(`Network has host bits set. For a subnet mask of length ${subnet.len} the network address is ${formatIpv4(net)}`);
	const ipField = (key: string): Ipv4 | undefined => {
		const t = str(o, key, struct);
		if (t === undefined) return undefined;
		const v = parseIp(t);
		if (v === undefined) {
			if (isIpv6Text(t)) fail(`netsim: IPv6 (${t}) is not simulated`);
			throw new CniError(ERR.internal, `invalid IP address: ${t}`);
		}
		return v;
	};
	const gateway = ipField('gateway') ?? ((net + 1) >>> 0);
	const r: Range = { subnet, start: 0, end: 0xffffffff, gateway };
	const start = ipField('rangeStart');
	const bcast = (net | (~maskOf(subnet.len) >>> 0)) >>> 0;
	r.start = 0;
	if (start !== undefined) {
		if (!contains({ ...r, start: 0, end: 0xffffffff }, start)) fail(`RangeStart ${formatIpv4(start)} not in network ${cidrText(subnet)}`);
		r.start = start;
	} else r.start = (net + 1) >>> 0;
	const end = ipField('rangeEnd');
	if (end !== undefined) {
		if (!contains({ ...r, end: 0xffffffff }, end)) fail(`RangeEnd ${formatIpv4(end)} not in network ${cidrText(subnet)}`);
		r.end = end;
	} else r.end = (bcast - 1) >>> 0;
	return r;
}

/** allocator.LoadIPAMConfig. */
function loadIpamConfig(stdin: string, envArgs: string): IpamConf {
	const n = loadConf(stdin, '');
	const ipam = obj(n, 'ipam', 'Net', 'allocator.IPAMConfig');
	if (!ipam) fail("IPAM config missing 'ipam' key");
	const requested: Ipv4[] = [];
	const args = loadArgs(envArgs, ['IP']);
	const ipArg = args.get('IP');
	if (ipArg !== undefined) {
		const v = parseIp(ipArg);
		if (v === undefined) fail(`ARGS: error parsing value of pair "IP=${ipArg}": invalid IP address: ${ipArg}`);
		requested.push(v);
	}
	const cniArgs = obj(n, 'args', 'Net', 'struct');
	const a = cniArgs ? obj(cniArgs, 'cni', 'Net.args', 'allocator.IPAMArgs') : undefined;
	const rc = obj(n, 'runtimeConfig', 'Net', 'struct');
	for (const list of [a ? strs(a, 'ips', 'IPAMArgs') : undefined, rc ? strs(rc, 'ips', 'Net.runtimeConfig') : undefined]) {
		for (const t of list ?? []) {
			const v = parseIp(t.split('/')[0] ?? '');
			if (v === undefined) fail(`cannot understand ip: IP ${t} not v4 nor v6`);
			requested.push(v);
		}
	}
	const ranges: Range[][] = [];
	const sets: JObject[][] = [];
	if (str(ipam, 'subnet', 'IPAMConfig') !== undefined) sets.push([ipam]);
	const runtimeRanges = rc ? arr(rc, 'ipRanges', 'Net.runtimeConfig', '[]allocator.RangeSet') : undefined;
	for (const src of [runtimeRanges, arr(ipam, 'ranges', 'IPAMConfig', '[]allocator.RangeSet')]) {
		for (const s of src ?? []) {
			if (!Array.isArray(s)) fail('json: cannot unmarshal object into Go struct field IPAMConfig.ipam.ranges of type allocator.RangeSet');
			sets.push(s.filter((x): x is JObject => typeof x === 'object' && x !== null && !Array.isArray(x)));
		}
	}
	// Order: runtime ranges, the single old-style range, then `ranges` (as LoadIPAMConfig prepends).
	const single = str(ipam, 'subnet', 'IPAMConfig') !== undefined ? 1 : 0;
	const nRuntime = runtimeRanges?.length ?? 0;
	const ordered = [...sets.slice(single, single + nRuntime), ...sets.slice(0, single), ...sets.slice(single + nRuntime)];
	// Addresses are decoded with the JSON (errors unwrapped), before any range is validated.
	for (const s of ordered) {
		for (const x of s) {
			const sub = str(x, 'subnet', 'Range');
			if (sub !== undefined) parseCidr(sub);
			for (const k of ['rangeStart', 'rangeEnd', 'gateway']) {
				const t = str(x, k, 'Range');
				if (t !== undefined && parseIp(t) === undefined && !isIpv6Text(t)) throw new CniError(ERR.internal, `invalid IP address: ${t}`);
			}
		}
	}
	for (const s of ordered) {
		if (s.length === 0) fail(`invalid range set ${ranges.length}: empty range set`);
		try {
			ranges.push(s.map((x) => canonicalize(x, x === ipam ? 'IPAMConfig' : 'Range')));
		} catch (e) {
			if (e instanceof CniError) fail(`invalid range set ${ranges.length}: ${e.msg}`);
			throw e;
		}
	}
	if (ranges.length === 0) fail('no IP ranges specified');
	for (let i = 0; i < ranges.length; i++) {
		for (let j = i + 1; j < ranges.length; j++) {
			const overlaps = (ranges[i] as Range[]).some((r1) => (ranges[j] as Range[]).some((r2) => contains(r1, r2.start) || contains(r1, r2.end) || contains(r2, r1.start) || contains(r2, r1.end)));
			if (overlaps) fail(`range set ${i} overlaps with ${j}`);
		}
	}
	const routes: CniRoute[] = [];
	for (const x of arr(ipam, 'routes', 'IPAMConfig', '[]*types.Route') ?? []) {
		if (x === null || typeof x !== 'object' || Array.isArray(x)) continue;
		const dst = parseCidr(str(x, 'dst', 'route') ?? '');
		const gw = str(x, 'gw', 'route');
		if (gw !== undefined && parseIp(gw) === undefined) throw new CniError(ERR.internal, `invalid IP address: ${gw}`);
		routes.push({ dst: cidrText(dst), gw });
	}
	const name = str(n, 'name', 'Net') ?? '';
	const version = str(n, 'cniVersion', 'Net') ?? '';
	return { name, version, ranges, routes, dataDir: str(ipam, 'dataDir', 'IPAMConfig') || '/var/lib/cni/networks', resolvConf: str(ipam, 'resolvConf', 'IPAMConfig'), requested };
}

/** disk.Store over the simulated files. */
class Store {
	readonly dir: string;
	constructor(
		private readonly pc: PluginCtx,
		dataDir: string,
		network: string,
	) {
		this.dir = normalise(`${dataDir}/${network}`);
		const made = pc.vfs.mkdir(this.dir, true);
		if (!made.ok) fail(`mkdir ${this.dir}: ${made.error === 'EEXIST' || made.error === 'ENOTDIR' ? 'not a directory' : 'no such file or directory'}`);
		const lock = `${this.dir}/lock`;
		if (!pc.vfs.exists(lock, pc.ctx.ns)) pc.vfs.write(lock, '', false, pc.ctx.ns);
	}

	private read(name: string): string | undefined {
		const d = this.pc.vfs.readFile(`${this.dir}/${name}`, this.pc.ctx.ns);
		return d.ok ? d.value : undefined;
	}

	/** Files in lexical order (filepath.Walk), directories skipped. */
	private files(): string[] {
		const l = this.pc.vfs.list(this.dir, this.pc.ctx.ns);
		if (!l.ok) return [];
		return l.value.filter((f) => !this.pc.vfs.isDir(`${this.dir}/${f}`));
	}

	reserve(id: string, ifName: string, ip: Ipv4, rangeId: string): boolean {
		const name = formatIpv4(ip);
		if (this.read(name) !== undefined) return false;
		this.pc.vfs.write(`${this.dir}/${name}`, `${id.trim()}\r\n${ifName}`, false, this.pc.ctx.ns);
		this.pc.vfs.write(`${this.dir}/last_reserved_ip.${rangeId}`, name, false, this.pc.ctx.ns);
		return true;
	}

	lastReserved(rangeId: string): Ipv4 | undefined {
		const d = this.read(`last_reserved_ip.${rangeId}`);
		return d === undefined ? undefined : parseIp(d);
	}

	private matching(id: string, ifName: string): string[] {
		const exact = `${id.trim()}\r\n${ifName}`;
		const hits = this.files().filter((f) => (this.read(f) ?? '').trim() === exact);
		if (hits.length > 0) return hits;
		return this.files().filter((f) => (this.read(f) ?? '').trim() === id.trim());
	}

	getById(id: string, ifName: string): Ipv4[] {
		const exact = `${id.trim()}\r\n${ifName}`;
		return this.files()
			.filter((f) => {
				const d = (this.read(f) ?? '').trim();
				return d === exact || d === id.trim();
			})
			.map((f) => parseIp(f))
			.filter((x): x is Ipv4 => x !== undefined);
	}

	findById(id: string, ifName: string): boolean {
		return this.matching(id, ifName).length > 0;
	}

	releaseById(id: string, ifName: string): void {
		for (const f of this.matching(id, ifName)) this.pc.vfs.remove(`${this.dir}/${f}`, false);
	}
}

/** IPAllocator.Get for one range set. */
function allocate(store: Store, set: Range[], rangeId: string, id: string, ifName: string, requested: Ipv4 | undefined): { address: string; gateway: string } {
	if (requested !== undefined) {
		const r = rangeFor(set, requested);
		if (!r) fail(`${formatIpv4(requested)} not in range set ${setText(set)}`);
		if (requested === r.gateway) fail(`requested ip ${formatIpv4(requested)} is subnet's gateway`);
		if (!store.reserve(id, ifName, requested, rangeId)) fail(`requested IP address ${formatIpv4(requested)} is not available in range set ${setText(set)}`);
		return { address: cidrText({ ip: requested, len: r.subnet.len }), gateway: formatIpv4(r.gateway) };
	}
	for (const ip of store.getById(id, ifName)) {
		if (rangeFor(set, ip)) fail(`${formatIpv4(ip)} has been allocated to ${id}, duplicate allocation is not allowed`);
	}
	// RangeIter: from last reserved + 1 (round robin), else from the first range's start.
	let idx = 0;
	let cur: Ipv4 | undefined;
	let startIp: Ipv4 | undefined;
	const last = store.lastReserved(rangeId);
	if (last !== undefined && rangeFor(set, last)) {
		idx = set.findIndex((r) => contains(r, last));
		cur = last;
	} else startIp = (set[0] as Range).start;
	const next = (): { ip: Ipv4; r: Range } | undefined => {
		for (let guard = 0; guard < 1 << 25; guard++) {
			let r = set[idx] as Range;
			if (cur === undefined) {
				cur = r.start;
				startIp = cur;
				if (cur === r.gateway) continue;
				return { ip: cur, r };
			}
			if (cur === r.end) {
				idx = (idx + 1) % set.length;
				r = set[idx] as Range;
				cur = r.start;
			} else cur = (cur + 1) >>> 0;
			if (startIp === undefined) startIp = cur;
			else if (cur === startIp) return undefined;
			if (cur === r.gateway) continue;
			return { ip: cur, r };
		}
		return undefined;
	};
	for (;;) {
		const c = next();
		if (!c) fail(`no IP addresses available in range set: ${setText(set)}`);
		if (store.reserve(id, ifName, c.ip, rangeId)) return { address: cidrText({ ip: c.ip, len: c.r.subnet.len }), gateway: formatIpv4(c.r.gateway) };
	}
}

function parseResolv(pc: PluginCtx, path: string): { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] } {
	const read = pc.vfs.readFile(path, pc.ctx.ns);
	if (!read.ok) fail(`open ${path}: no such file or directory`);
	const d = read.value;
	const dns: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] } = {};
	for (const raw of d.split('\n')) {
		const line = raw.trim();
		if (!line || line.startsWith('#') || line.startsWith(';')) continue;
		const f = line.split(/\s+/);
		if (f.length < 2) continue;
		if (f[0] === 'nameserver') (dns.nameservers ??= []).push(f[1] as string);
		else if (f[0] === 'domain') dns.domain = f[1] as string;
		else if (f[0] === 'search') (dns.search ??= []).push(...f.slice(1));
		else if (f[0] === 'options') (dns.options ??= []).push(...f.slice(1));
	}
	return dns;
}

function add(a: CmdArgs, pc: PluginCtx): string {
	const conf = loadIpamConfig(a.stdin, a.args);
	const result = newResult();
	if (conf.resolvConf) result.dns = parseResolv(pc, conf.resolvConf);
	const store = new Store(pc, conf.dataDir, conf.name);
	const requested = [...conf.requested];
	const done: number[] = [];
	conf.ranges.forEach((set, i) => {
		const k = requested.findIndex((ip) => rangeFor(set, ip) !== undefined);
		const req = k >= 0 ? requested.splice(k, 1)[0] : undefined;
		try {
			const got = allocate(store, set, String(i), a.containerId, a.ifName, req);
			result.ips.push({ address: got.address, gateway: got.gateway });
			done.push(i);
		} catch (e) {
			if (e instanceof CniError) {
				if (done.length > 0) store.releaseById(a.containerId, a.ifName);
				fail(`failed to allocate for range ${i}: ${e.msg}`);
			}
			throw e;
		}
	});
	if (requested.length > 0) {
		store.releaseById(a.containerId, a.ifName);
		fail(`failed to allocate all requested IPs:${requested.map((ip) => ` ${formatIpv4(ip)}`).join('')}`);
	}
	result.routes = conf.routes;
	return printResult(result, conf.version);
}

function del(a: CmdArgs, pc: PluginCtx): string {
	const conf = loadIpamConfig(a.stdin, a.args);
	const store = new Store(pc, conf.dataDir, conf.name);
	conf.ranges.forEach(() => store.releaseById(a.containerId, a.ifName));
	return '';
}

function check(a: CmdArgs, pc: PluginCtx): string {
	const conf = loadIpamConfig(a.stdin, a.args);
	const store = new Store(pc, conf.dataDir, conf.name);
	if (!store.findById(a.containerId, a.ifName)) fail(`host-local: Failed to find address added by container ${a.containerId}`);
	return '';
}

/** The plugin. */
export const hostLocal: Plugin = { name: 'host-local', add, check, del };


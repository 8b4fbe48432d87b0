/** `bridge` (iproute2): `link` and `fdb` (show, add, append, del). */
import { formatIpv4, parseIpv4Strict } from '../addr/ipv4.ts';
import { USAGE_BRIDGE, USAGE_BRIDGE_FDB, USAGE_BRIDGE_LINK } from './usage.ts';
import { formatMac, parseMac, type Mac } from '../addr/mac.ts';
import type { Link, McGroup } from '../model/link.ts';
import { Printer } from '../print/printer.ts';
import { matches } from './args.ts';
import { familyDumpLabel, printFlags, printPortFlags } from '../print/link.ts';
import { STRERROR, type Result } from '../kernel/errno.ts';
import { AGEING_MS, fdbExpire, fdbUpdate } from '../kernel/fdb.ts';
import { portSet, type PortFlags } from '../kernel/port.ts';
import type { Context, ExecResult } from '../tool/types.ts';

/**
 * A kernel operation's outcome as `bridge` prints it: nothing, or `RTNETLINK answers: …`. Every
 * failure of `bridge` exits 255: its commands return -1 and main returns that.
 */
function answered(r: Result): ExecResult {
	return r.ok ? { stdout: '', stderr: '', exit: 0 } : { stdout: '', stderr: `RTNETLINK answers: ${STRERROR[r.errno]}\n`, exit: 255 };
}

/** The STP port states `bridge link set … state` names (br_port_state_names). */
const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

function linkShow(ctx: Context, json: boolean, argv: string[], details = false): ExecResult {
	let dev: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === 'dev' && argv[i + 1] === undefined) return { stdout: '', stderr: 'Command line is not complete. Try option "help"\n', exit: 255 };
		if (a === 'dev') dev = argv[++i];
		else if (matches(a, 'show') || matches(a, 'list')) continue;
		else dev = a;
	}
	if (dev !== undefined && !ctx.ns.link(dev)) return { stdout: '', stderr: `Cannot find device "${dev}"\n`, exit: 255 };
	const p = new Printer(json);
	p.openArray();
	for (const l of ctx.ns.links) {
		if (!l.master || (dev !== undefined && l.name !== dev)) continue;
		p.openObject();
		p.num('ifindex', '%u: ', l.ifindex);
		// The AF_BRIDGE dump has no link-netnsid: the peer's index is named as it is known here.
		const label = familyDumpLabel(l);
		if (label.name !== l.name) p.str('link', '', label.name.slice(l.name.length + 1), 'json');
		p.str('ifname', '%s', l.name, 'json');
		p.out(`${label.name}: `);
		printFlags(p, l, label.mdown);
		p.num('mtu', 'mtu %u ', l.mtu);
		p.str('master', 'master %s ', l.master.name);
		p.str('state', 'state %s ', l.portState());
		p.num('priority', 'priority %u ', 32);
		p.num('cost', 'cost %u ', 2);
		if (details) printPortFlags(p, l);
		p.close();
		p.out('\n');
	}
	p.close();
	return { stdout: p.result(), stderr: '', exit: 0 };
}

function linkSet(ctx: Context, argv: string[]): ExecResult {
	let devName: string | undefined;
	const onOff = ['hairpin', 'guard', 'fastleave', 'root_block', 'learning', 'learning_sync', 'flood', 'mcast_flood', 'bcast_flood', 'neigh_suppress', 'isolated', 'locked', 'proxy_arp', 'proxy_arp_wifi', 'vlan_tunnel'];
	const changes: [string, boolean][] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === 'dev') devName = argv[++i] ?? '';
		else if (onOff.includes(a)) {
			const v = argv[++i] ?? '';
			// parse_on_off: a prefix of off or on; its -EINVAL is the exit status (234).
			const on = matches(v, 'off') ? false : matches(v, 'on') ? true : undefined;
			if (on === undefined) return { stdout: '', stderr: `Error: argument of "${a}" must be one of "off", "on", not "${v}"\n`, exit: 234 };
			changes.push([a, on]);
		} else if (a === 'state') {
			// A number, or a state's name in any case.
			const v = argv[++i] ?? '';
			if (!/^-?\d+$/.test(v) && !PORT_STATES.includes(v.toLowerCase())) return { stdout: '', stderr: 'Error: invalid STP port state\n', exit: 255 };
		} else if (a === 'cost' || a === 'priority' || a === 'mcast_router') i++;
		else return { stdout: '', stderr: USAGE_BRIDGE_LINK, exit: 255 };
	}
	// The device is looked up once the words are read.
	if (devName === undefined) return { stdout: '', stderr: 'Device is a required argument.\n', exit: 255 };
	const dev = ctx.ns.link(devName);
	if (!dev) return { stdout: '', stderr: `Cannot find bridge device "${devName}"\n`, exit: 255 };
	const flags: PortFlags = {};
	for (const [k, v] of changes) (flags as Record<string, boolean>)[k] = v;
	return answered(portSet(dev, flags));
}

/** The solicited-node multicast MACs of a device's IPv6 addresses (made from the MAC it had then). */
function solicitedOf(l: Link): Mac[] {
	const out: Mac[] = [];
	for (const a of l.ns.addrs.filter((x) => x.link === l && x.family === 6 && x.local !== '::1')) {
		const words = String(a.local).split(':');
		const w7 = parseInt(words[words.length - 2] || '0', 16);
		const w8 = parseInt(words[words.length - 1] || '0', 16);
		const mac: Mac = [0x33, 0x33, 0xff, w7 & 255, w8 >> 8, w8 & 255];
		if (!out.some((m) => m.join() === mac.join())) out.push(mac);
	}
	return out;
}

/**
 * A device's own address lists, as the default fdb dump shows them (`self permanent` rows): the
 * unicast addresses of the macvlans above it, its multicast groups in the order joined
 * (Link.mcGroups), then the solicited-node groups of its and its macvlans' IPv6 addresses.
 */
function selfAddrsOf(l: Link): Mac[] {
	const macs: Record<McGroup, Mac[]> = {
		'all-nodes': [[0x33, 0x33, 0, 0, 0, 1]],
		router: [[1, 0, 0x5e, 0, 0, 0x6a], [0x33, 0x33, 0, 0, 0, 0x6a]],
		'all-hosts': [[1, 0, 0x5e, 0, 0, 1]],
	};
	const macvlans = l.adminUp ? l.ns.world.namespaces.flatMap((n) => n.links.filter((m) => m.kind === 'macvlan' && m.lower === l && m.adminUp)) : [];
	const out: Mac[] = [...macvlans.map((m) => m.mac).filter((m) => m.join() !== l.mac.join()), ...l.mcGroups.flatMap((g) => macs[g])];
	for (const m of [...solicitedOf(l), ...macvlans.flatMap(solicitedOf)]) if (!out.some((x) => x.join() === m.join())) out.push(m);
	return out;
}

function fdbShow(ctx: Context, json: boolean, argv: string[]): ExecResult {
	let br: Link | undefined;
	let port: Link | undefined;
	let dynamicOnly = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === 'br') {
			const v = argv[++i] as string;
			br = ctx.ns.link(v);
			if (!br) return { stdout: '', stderr: `Cannot find bridge device "${v}"\n`, exit: 255 };
		} else if (a === 'brport' || a === 'dev') {
			const v = argv[++i] as string;
			port = ctx.ns.link(v);
			if (!port) return { stdout: '', stderr: `Cannot find device "${v}"\n`, exit: 255 };
		} else if (a === 'dynamic') dynamicOnly = true;
		else if (a === 'vlan' || a === 'state') i++;
	}
	const now = ctx.world.now;
	const p = new Printer(json);
	p.openArray();
	const row = (mac: Mac, dev: Link | undefined, extra: { dst?: number; master?: Link; self?: boolean; permanent?: boolean; static?: boolean; vlan?: number }): void => {
		p.openObject();
		p.str('mac', '%s ', formatMac(mac));
		if (dev && !port) p.str('ifname', 'dev %s ', dev.name);
		if (extra.vlan !== undefined) p.num('vlan', 'vlan %u ', extra.vlan);
		if (extra.dst !== undefined) p.str('dst', 'dst %s ', formatIpv4(extra.dst));
		p.openArray('flags');
		if (extra.self) p.str(undefined, 'self ', 'self');
		p.close();
		if (extra.master) p.str('master', 'master %s ', extra.master.name);
		p.str('state', '%s', extra.permanent ? 'permanent' : extra.static ? 'static' : '');
		p.close();
		p.out('\n');
	};
	// A bridge's or port's own address: with VLAN support built in, also in the default VLAN 1,
	// an entry added after the one without a VLAN, so listed before it.
	const local = (mac: Mac, dev: Link, master: Link): void => {
		if (ctx.world.profile.bridgeVlans) row(mac, dev, { master, permanent: true, vlan: 1 });
		row(mac, dev, { master, permanent: true });
	};
	// rtnl_fdb_dump: device by device; a port's entries in its bridge first, then the device's own
	// dump (a bridge: its address lists, then its own entries; vxlan: its forwarding entries).
	for (const l of ctx.ns.links) {
		if (l.kind === 'loopback' || (port && port !== l)) continue;
		if (l.kind === 'bridge') {
			if (br && l !== br) continue;
			fdbExpire(l);
			if (!dynamicOnly) {
				for (const m of selfAddrsOf(l)) row(m, l, { self: true, permanent: true });
				if (!l.ports().some((x) => x.mac.join() === l.mac.join())) local(l.mac, l, l);
			}
			continue;
		}
		if (br && l.master !== br) continue;
		const bridge = l.master;
		if (bridge) {
			for (const e of bridge.fdb.filter((x) => x.port === l && !x.permanent && now - x.updated <= AGEING_MS)) row(e.mac, l, { master: bridge, static: e.static });
			if (!dynamicOnly) for (const e of bridge.fdb.filter((x) => x.port === l && x.permanent)) local(e.mac, l, bridge);
		}
		if (dynamicOnly) continue;
		if (l.kind === 'vxlan') for (const e of l.vxlanFdb) row(e.mac, l, { dst: e.dst, self: true, permanent: true });
		else for (const m of selfAddrsOf(l)) row(m, l, { self: true, permanent: true });
	}
	p.close();
	return { stdout: p.result(), stderr: '', exit: 0 };
}

/** fdb_modify's flags, which take no value. */
const FDB_FLAGS = ['self', 'master', 'sticky', 'local', 'permanent', 'temp', 'static', 'dynamic', 'use', 'extern_learn', 'router'];

function fdbModify(ctx: Context, argv: string[], op: 'add' | 'append' | 'del' | 'replace'): ExecResult {
	// fdb_modify reads the words, then wants a device and an address, then parses the address.
	let addr: string | undefined;
	let devName: string | undefined;
	let dst: number | undefined;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === 'dev') devName = argv[++i];
		else if (a === 'dst') {
			const v = parseIpv4Strict(argv[++i] ?? '');
			if (v === null) return { stdout: '', stderr: `Invalid address "${argv[i]}"\n`, exit: 255 };
			dst = v;
		} else if (a === 'vlan') {
			const v = argv[++i] ?? '';
			if (!/^\d+$/.test(v) || Number(v) >= 4095) return { stdout: '', stderr: 'Error: invalid vlan id.\n', exit: 255 };
		} else if (['port', 'vni', 'src_vni', 'via', 'nhid'].includes(a)) i++;
		else if (FDB_FLAGS.includes(a)) continue;
		else {
			// Any other word is the address (after an optional `to`), once.
			const v = a === 'to' ? (argv[++i] ?? '') : a;
			if (addr !== undefined) return { stdout: '', stderr: `Error: either "to" is duplicate, or "${v}" is a garbage.\n`, exit: 255 };
			addr = v;
		}
	}
	if (devName === undefined || addr === undefined) return { stdout: '', stderr: 'Device and address are required arguments.\n', exit: 255 };
	const mac = parseMac(addr);
	if (!mac) return { stdout: '', stderr: `Invalid mac address ${addr}\n`, exit: 255 };
	const dev = ctx.ns.link(devName);
	if (!dev) return { stdout: '', stderr: `Cannot find device "${devName}"\n`, exit: 255 };
	return answered(fdbUpdate(dev, mac, dst, op));
}

/** Runs `bridge`. */
export function bridge(argv: string[], ctx: Context): ExecResult {
	let json = false;
	let details = false;
	let i = 0;
	for (; i < argv.length && (argv[i] as string).startsWith('-'); i++) {
		const o = argv[i] as string;
		if (matches(o, '-json') || o === '-j') json = true;
		else if (matches(o, '-Version')) return { stdout: 'bridge utility, 6.1.0\n', stderr: '', exit: 0 };
		else if (matches(o, '-details')) details = true;
		else if (matches(o, '-statistics') || matches(o, '-pretty') || matches(o, '-color')) continue;
		else return { stdout: '', stderr: `Option "${o}" is unknown, try "bridge help".\n`, exit: 255 };
	}
	const obj = argv[i];
	const cmd = argv[i + 1];
	const rest = argv.slice(i + 2);
	if (obj === undefined || matches(obj, 'help')) return { stdout: '', stderr: USAGE_BRIDGE, exit: 255 };
	if (matches(obj, 'link')) {
		if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list')) return linkShow(ctx, json, rest, details);
		if (cmd === 'set') return linkSet(ctx, rest);
		if (matches(cmd, 'help')) return { stdout: '', stderr: USAGE_BRIDGE_LINK, exit: 255 };
		return { stdout: '', stderr: `Command "${cmd}" is unknown, try "bridge link help".\n`, exit: 255 };
	}
	if (matches(obj, 'fdb')) {
		if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'list')) return fdbShow(ctx, json, rest);
		if (cmd === 'add' || cmd === 'append' || matches(cmd, 'delete') || cmd === 'replace') return fdbModify(ctx, rest, cmd === 'add' ? 'add' : cmd === 'append' ? 'append' : cmd === 'replace' ? 'replace' : 'del');
		if (matches(cmd, 'help')) return { stdout: '', stderr: USAGE_BRIDGE_FDB, exit: 255 };
		return { stdout: '', stderr: `Command "${cmd}" is unknown, try "bridge fdb help".\n`, exit: 255 };
	}
	return { stdout: '', stderr: `Object "${obj}" is unknown, try "bridge help".\n`, exit: 255 };
}

/**
 * iplink_parse: the keyword loop `ip link add`, `set` and `delete` share (and a veth's `peer`
 * options), with its checks in its order: each value as it is read, then the device's names, then
 * the lookups (`dev` for a change, `link` for a new device) before anything reaches the kernel.
 */
import type { Mac } from '../../addr/mac.ts';
import type { Link } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import { netAdmin } from '../../kernel/process.ts';
import { atLeast } from '../../profile/profile.ts';
import { netnsAtPath } from '../../shell/proc-pid.ts';
import { normalise } from '../../shell/vfs.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { USAGE_IP_LINK } from '../usage.ts';
import { nextArg, type IpCtx } from './common.ts';
import { duparg, duplicate, err1, invarg, nodev } from './errors.ts';

/** Parsed `ip link add/set` arguments. */
export interface LinkReq {
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
	/** `carrier on|off`. */
	carrier?: boolean | undefined;
	/** `group N`: with no device, the command applies to the group (not modelled). */
	group?: number | undefined;
}

/** Whether the request creates a device (NLM_F_CREATE): `add`, and a veth's peer. */
export type LinkMode = 'create' | 'change';

/**
 * `netns NAME|PATH|PID`: netns_get_fd opens /run/netns/NAME, or the path when the word has a `/`
 * (/proc/PID/ns/net); failing that the word is read as a PID. iproute2 before 6.12 sends the PID
 * to the kernel (IFLA_NET_NS_PID: ESRCH for no such process); from 6.12 on (a597ab15, "iplink: Fix
 * link-netns id and link ifindex") it opens /proc/PID/ns/net itself and sends the descriptor, so a
 * PID it cannot open, absent or another user's, is a bad value. Moving a device there needs
 * CAP_NET_ADMIN over the target too (rtnl_link_get_net_capable): EPERM for a user namespace's root
 * aiming at the host's.
 */
function lookupNetns(ic: IpCtx, value: string): Netns {
	const host = ic.ctx.host;
	const cred = ic.ctx.cred;
	// An unprivileged process cannot open another user's /proc/PID/ns/net (ptrace access mode).
	const openProc = (path: string): Netns | undefined => (cred !== undefined && path.startsWith('/proc/') ? undefined : netnsAtPath(host, ic.ns, path));
	const path = value.includes('/') ? normalise(value) : `/run/netns/${value}`;
	let ns = value.includes('/') ? openProc(path) : netnsAtPath(host, ic.ns, path);
	const pid = ns ? undefined : getInteger(value);
	if (pid !== undefined && atLeast(ic.ctx.world.profile.iproute2, 6, 12)) ns = openProc(`/proc/${pid}/ns/net`);
	else if (pid !== undefined) {
		ns = pid === 1 ? host.root : host.procs.get(pid)?.ns;
		if (!ns) throw new ToolExit(2, 'RTNETLINK answers: No such process\n');
	}
	if (!ns) invarg('Invalid "netns" value\n', value);
	if (!netAdmin(cred, ns)) throw new ToolExit(2, 'RTNETLINK answers: Operation not permitted\n');
	return ns;
}

/** get_integer: strtol with base 0 over the whole word, within an int; undefined otherwise. */
export function getInteger(text: string): number | undefined {
	const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
	if (!m) return undefined;
	const digits = m[2]!;
	const n = /^0[xX]/.test(digits) ? parseInt(digits, 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
	const v = m[1] === '-' ? -n : n;
	return v >= -0x80000000 && v <= 0x7fffffff ? v : undefined;
}

/** check_ifname: what the kernel takes as a name (under IFNAMSIZ, no `/`, no white space). */
export function validIfname(name: string): boolean {
	return name.length > 0 && name.length < 16 && validAltname(name);
}

/** check_altifname: the same without the length limit. */
function validAltname(name: string): boolean {
	return name.length > 0 && !/[/\s]/.test(name);
}

/**
 * ll_addr_a2n: hex bytes separated by `:` (sscanf's `%x` on each piece), or a dotted IPv4 address
 * as 4 bytes. A piece that is not one byte is named in the error (exit 1).
 */
export function parseLladdr(text: string): number[] {
	if (text.includes('.')) {
		const parts = text.split('.');
		if (parts.length !== 4 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 255)) err1(`"${text}" is invalid lladdr.\n`);
		return parts.map(Number);
	}
	const bytes: number[] = [];
	let rest = text;
	for (let i = 0; i < 32; i++) {
		const colon = rest.indexOf(':');
		const piece = colon < 0 ? rest : rest.slice(0, colon);
		const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)/.exec(piece);
		const value = m ? parseInt(m[1]!, 16) : NaN;
		if (!(value <= 255)) err1(`"${piece}" is invalid lladdr.\n`);
		bytes.push(value);
		if (colon < 0) break;
		rest = rest.slice(colon + 1);
	}
	return bytes;
}

/** parse_one_of's on/off (carrier, protodown): abbreviations allowed; exit EINVAL (22). */
function parseOnOff(key: string, value: string): boolean {
	if (matches(value, 'off')) return false;
	if (matches(value, 'on')) return true;
	// parse_one_of's -EINVAL comes back up as ip's exit status.
	throw new ToolExit(22, `Error: argument of "${key}" must be one of "off", "on", not "${value}"\n`);
}

/** The interface flags set with `on`/`off` exactly (on_off's wording, exit 1). */
const FLAGS = ['multicast', 'allmulticast', 'promisc', 'trailers', 'arp', 'dynamic'];

/** iproute2's link modes and operstates (`mode`, `state`). */
const LINK_MODES = ['default', 'dormant'];
const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** Names of `/etc/iproute2/group` (rtnl_group_a2n without the file: `default` only). */
function parseGroup(value: string): number | undefined {
	if (value === 'default') return 0;
	const n = getInteger(value);
	return n !== undefined && n >= 0 ? n : undefined;
}

/** State of the loop that `iplink_parse` keeps beside the request. */
interface Seen {
	addrLen: number;
	index: number;
	moveNetns: boolean;
	qlen: boolean;
	mtu: boolean;
	group: boolean;
	txq: boolean;
	rxq: boolean;
	linkNetnsid: boolean;
}

/** An integer option read once: its value or iproute2's errors. */
function integerOnce(a: Args, key: string, seen: boolean): number {
	const v = nextArg(a);
	if (seen) duplicate(key, v);
	const n = getInteger(v);
	if (n === undefined) invarg(`Invalid "${key}" value\n`, v);
	return n;
}

/** Reads one option of the loop into `req`; false when `w` is none of them. */
function linkOption(ic: IpCtx, a: Args, req: LinkReq, w: string, seen: Seen): boolean {
	if (w === 'up') req.up = true;
	else if (w === 'down') req.up = false;
	else if (w === 'name') {
		const v = nextArg(a);
		if (req.name !== undefined) duplicate('name', v);
		if (!validIfname(v)) invarg('"name" not a valid ifname', v);
		req.name = v;
	} else if (w === 'index') {
		const v = nextArg(a);
		if (seen.index) duplicate('index', v);
		// atoi: the leading digits, 0 when there are none.
		seen.index = Number(/^\s*[+-]?\d+/.exec(v)?.[0] ?? 0);
		if (seen.index <= 0) invarg('Invalid "index" value', v);
	} else if (matches(w, 'link')) req.link = nextArg(a);
	else if (matches(w, 'address')) {
		const bytes = parseLladdr(nextArg(a));
		seen.addrLen = bytes.length;
		req.address = bytes;
	} else if (matches(w, 'broadcast') || w === 'brd') parseLladdr(nextArg(a));
	else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
		req.txqlen = integerOnce(a, 'txqueuelen', seen.qlen);
		seen.qlen = true;
	} else if (w === 'mtu') {
		// Negative stays negative: the kernel compares the MTU as an int (less than the minimum).
		req.mtu = integerOnce(a, 'mtu', seen.mtu);
		seen.mtu = true;
	} else if (w === 'netns') {
		const v = nextArg(a);
		if (seen.moveNetns) duplicate('netns', v);
		req.netns = lookupNetns(ic, v);
		seen.moveNetns = true;
	} else if (FLAGS.includes(w)) {
		const v = nextArg(a);
		if (v !== 'on' && v !== 'off') err1(`Error: argument of "${w}" must be "on" or "off", not "${v}"\n`);
	} else if (w === 'carrier') req.carrier = parseOnOff(w, nextArg(a));
	else if (w === 'protodown') parseOnOff(w, nextArg(a));
	else if (matches(w, 'master')) {
		const v = nextArg(a);
		const m = ic.ns.link(v);
		if (!m) invarg('Device does not exist\n', v);
		req.master = m;
	} else if (w === 'vrf') {
		// No device here is a VRF.
		invarg('Not a valid VRF name\n', nextArg(a));
	} else if (matches(w, 'nomaster')) req.master = null;
	else if (matches(w, 'alias')) {
		const v = nextArg(a);
		if (v.length >= 256) invarg('alias too long\n', v);
		req.alias = v;
	} else if (w === 'group') {
		const v = nextArg(a);
		if (seen.group) duplicate('group', v);
		const g = parseGroup(v);
		if (g === undefined) invarg('Invalid "group" value\n', v);
		req.group = g;
		seen.group = true;
	} else if (w === 'mode') {
		const v = nextArg(a);
		if (!LINK_MODES.includes(v)) invarg('Invalid link mode\n', v);
	} else if (w === 'state') {
		const v = nextArg(a);
		if (!OPERSTATES.includes(v)) invarg('Invalid operstate\n', v);
	} else if (matches(w, 'numtxqueues')) {
		integerOnce(a, 'numtxqueues', seen.txq);
		seen.txq = true;
	} else if (matches(w, 'numrxqueues')) {
		integerOnce(a, 'numrxqueues', seen.rxq);
		seen.rxq = true;
	} else if (matches(w, 'addrgenmode')) {
		const v = nextArg(a);
		if (!['eui64', 'none', 'stable_secret', 'random'].includes(v)) invarg('Invalid address generation mode\n', v);
	} else if (matches(w, 'link-netns')) {
		// A namespace by name, which must have (or be given) an id here.
		const v = nextArg(a);
		if (seen.linkNetnsid) duplicate('link-netns/link-netnsid', v);
		if (!ic.ctx.host.named.has(v)) invarg('Invalid "link-netns" value\n', v);
		seen.linkNetnsid = true;
	} else if (matches(w, 'link-netnsid')) {
		integerOnce(a, 'link-netnsid', seen.linkNetnsid);
		seen.linkNetnsid = true;
	} else if (w === 'gso_max_size' || w === 'gso_max_segs' || w === 'gro_max_size') {
		const v = nextArg(a);
		if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(v) || Number(v) > 0xffffffff || (w === 'gso_max_segs' && Number(v) > 65535)) invarg(`Invalid "${w}" value\n`, v);
	} else if (w === 'parentdev') nextArg(a);
	else return false;
	return true;
}

/**
 * The keyword loop; stops at `type`, whose arguments go to the kind. Then, as iplink_parse ends:
 * `name` and `dev` resolved, a changed device looked up (`Cannot find device`), a new device's
 * `link` looked up; `group` without a device applies to the group.
 */
export function parseLinkArgs(ic: IpCtx, a: Args, req: LinkReq, mode: LinkMode): void {
	const seen: Seen = { addrLen: 0, index: 0, moveNetns: false, qlen: false, mtu: false, group: false, txq: false, rxq: false, linkNetnsid: false };
	let dev: string | undefined;
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (linkOption(ic, a, req, w, seen)) {
			if (w === 'name' && dev === undefined) dev = req.name;
			continue;
		}
		if (w === 'vf' && (getInteger(a.rest()[1] ?? '') === undefined || dev === undefined)) {
			// SR-IOV's settings of one VF of the device: the VF's number is read first, and the
			// device must be named before it (so `ip link add vf type veth` is refused).
			const v = nextArg(a);
			if (getInteger(v) === undefined) invarg('Invalid "vf" value\n', v);
			throw new ToolExit(255, 'Error: argument "dev" is required\n');
		}
		if (matches(w, 'type')) {
			req.type = nextArg(a);
			a.next();
			req.typeArgs = a.rest();
			break;
		}
		if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_LINK);
		const v = w === 'dev' ? nextArg(a) : w;
		// A device named twice (a name given with `name` counts as the device until another comes).
		if (dev !== req.name) duparg('dev', v);
		if (!validAltname(v)) invarg('"dev" not a valid ifname', v);
		dev = v;
	}
	let name = req.name;
	if (name === undefined) name = dev;
	else if (dev === undefined) dev = name;
	if (seen.group && dev === undefined) {
		if (req.typeArgs.length) throw new ToolExit(255, `Garbage instead of arguments "${req.typeArgs[0]} ...". Try "ip link help".\n`);
		if (mode === 'create') throw new ToolExit(255, 'group cannot be used when creating devices.\n');
		req.dev = undefined;
		req.name = undefined;
		return;
	}
	if (mode === 'change') {
		if (dev === undefined) throw new ToolExit(255, 'Not enough information: "dev" argument is required.\n');
		const link = ic.ns.link(dev);
		if (!link) nodev(dev);
		if (seen.addrLen && seen.addrLen !== 6) err1(`Invalid address length ${seen.addrLen} - must be 6 bytes\n`);
		if (seen.index && !seen.moveNetns) throw new ToolExit(255, 'index can be used only when creating devices or when moving device to another netns.\n');
	} else {
		if (name !== dev) throw new ToolExit(255, 'both "name" and "dev" cannot be used when creating devices.\n');
		if (req.link !== undefined && !ic.ns.link(req.link)) nodev(req.link);
	}
	req.dev = dev;
	req.name = name === dev && mode === 'change' ? undefined : name;
}

/** `ip address`: show, add, del, flush. */
import { broadcastOf, formatIpv4, networkOf, parseIpv4Loose, parsePrefix, type Ipv4 } from '../../addr/ipv4.ts';
import { USAGE_IP_ADDR } from '../usage.ts';
import { canonicalIpv6 } from '../../addr/ipv6.ts';
import { addr4Add, addr4Del, addr6Add, addr6Del, addrRemove } from '../../kernel/addr.ts';
import type { Link } from '../../model/link.ts';
import type { Addr } from '../../model/netns.ts';
import { Printer } from '../../print/printer.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { getU32, nextArg, type IpCtx, type IpOut } from './common.ts';
import { duparg, duplicate, invarg, must, nodev } from './errors.ts';
import { familyDumpLabel, printFlags, printLink, printStats } from '../../print/link.ts';
import { parseShowFilter, selectLinks } from './link.ts';
import { atLeast, type SimProfile } from '../../profile/profile.ts';

/** Address text as printed (`192.168.0.10` or IPv6 text). */
function addrText(a: Addr): string {
	return typeof a.local === 'number' ? formatIpv4(a.local) : a.local;
}

function isTentative(a: Addr, now: number): boolean {
	return a.tentativeUntil !== undefined && now < a.tentativeUntil;
}

/**
 * Prints one address (print_addrinfo). The address's protocol (IFA_PROTO: `proto kernel_lo` on
 * lo's `::1`, `proto kernel_ll` on link-locals) is printed from iproute2 6.4 on; older versions
 * do not know the attribute.
 */
function printAddr(p: Printer, a: Addr, now: number, oneline: boolean, profile: SimProfile): void {
	p.openObject();
	const fam = a.family === 4 ? 'inet' : 'inet6';
	p.str('family', `    ${fam} `, fam);
	p.str('local', '%s', addrText(a));
	if (a.peer !== undefined) {
		p.out(' peer ');
		p.str('address', '%s', formatIpv4(a.peer));
	}
	p.num('prefixlen', '/%d ', a.prefixlen);
	if (a.brd !== undefined) p.str('broadcast', 'brd %s ', formatIpv4(a.brd));
	p.str('scope', 'scope %s ', a.scope);
	if (a.secondary) p.bool('secondary', 'secondary ', true);
	if (a.family === 6 && isTentative(a, now)) p.bool('tentative', 'tentative ', true);
	if (a.noprefixroute) p.bool('noprefixroute', 'noprefixroute ', true);
	if (a.proto && atLeast(profile.iproute2, 6, 4)) p.str('protocol', 'proto %s ', a.proto);
	if (a.family === 4) p.str('label', '%s', a.label);
	p.out(oneline ? '\\' : '\n');
	p.num('valid_life_time', '       valid_lft %s', 4294967295, 'json');
	p.num('preferred_life_time', '', 4294967295, 'json');
	p.out('       valid_lft forever preferred_lft forever');
	p.close();
}

/** `ip addr show`. */
function addrShow(ic: IpCtx, a: Args): IpOut {
	const f = parseShowFilter(ic, a, true);
	const ns = ic.ns;
	// `to PREFIX` sets the family of the dump when no option did (filter.family).
	const fam = ic.opts.family ?? (f.to === undefined ? undefined : f.to.includes(':') ? 6 : 4);
	const now = ns.world.now;
	const p = new Printer(ic.opts.json);
	const want = (x: Addr): boolean => {
		if (fam === 4 && x.family !== 4) return false;
		if (fam === 6 && x.family !== 6) return false;
		if (f.scope && x.scope !== f.scope) return false;
		if (f.label && x.label !== f.label) return false;
		if (f.to) {
			const pre = parsePrefix(f.to);
			if (!pre || x.family !== 4 || networkOf(x.local as Ipv4, pre.len) !== networkOf(pre.addr, pre.len)) return false;
		}
		return true;
	};
	const addrsOf = (l: Link): Addr[] => {
		const list = ns.addrs.filter((x) => x.link === l && want(x));
		return [...list.filter((x) => x.family === 4), ...list.filter((x) => x.family === 6)];
	};
	const filtered = fam === 4 || fam === 6 || f.to !== undefined || f.scope !== undefined || f.label !== undefined;
	p.openArray();
	for (const link of selectLinks(ic, f)) {
		const addrs = addrsOf(link);
		if (filtered && addrs.length === 0) continue;
		if (ic.opts.oneline && !ic.opts.brief && !ic.opts.json) {
			for (const x of addrs) {
				p.out(`${link.ifindex}: ${link.name}`);
				printAddr(p, x, now, true, ns.world.profile);
				p.out('\n');
			}
			continue;
		}
		p.openObject();
		if (ic.opts.brief) {
			printLink(p, link, ic.ctx.host, { brief: true, details: false, stats: false, oneline: false, forAddr: true, familyFilter: false, plainName: fam === 6 && f.dev === undefined });
			p.openArray('addr_info');
			for (const x of addrs) {
				p.openObject();
				p.str('local', '%s', addrText(x));
				p.num('prefixlen', '/%d ', x.prefixlen);
				p.close();
			}
			p.close();
			p.close();
			p.out('\n');
			continue;
		}
		if (fam === 6 && f.dev === undefined) {
			const label = familyDumpLabel(link);
			p.num('ifindex', '%u: ', link.ifindex);
			// JSON keeps the name and gives the peer as "link" (print_name_and_link).
			if (label.name !== link.name) p.str('link', '', label.name.slice(link.name.length + 1), 'json');
			p.str('ifname', '', link.name, 'json');
			p.out(`${label.name}: `);
			printFlags(p, link, label.mdown);
			p.num('mtu', 'mtu %u ', link.mtu);
			p.str('operstate', 'state %s ', link.operstate());
			p.num('txqlen', 'qlen %u', link.txqlen);
			p.out('\n');
		} else printLink(p, link, ic.ctx.host, { brief: false, details: ic.opts.details, stats: ic.opts.stats > 0, oneline: false, forAddr: true, familyFilter: fam === 4 || fam === 6 });
		if (fam !== 6 && fam !== 4) p.out('\n');
		p.openArray('addr_info');
		addrs.forEach((x, i) => {
			printAddr(p, x, now, false, ns.world.profile);
			if (i < addrs.length - 1 || true) p.out('\n');
		});
		p.close();
		if (ic.opts.stats > 0 && fam !== 4 && fam !== 6) {
			printStats(p, link, false, false);
			p.out('\n');
		}
		p.close();
	}
	p.close();
	return { stdout: p.result() };
}

interface AddrReq {
	local?: string | undefined;
	dev?: string | undefined;
	brd?: string | undefined;
	scope?: string | undefined;
	label?: string | undefined;
	peer?: string | undefined;
	noprefixroute: boolean;
	/** The family the words so far have set (iproute2's ifa_family): 0 until an address is read. */
	family: 0 | 4 | 6;
	/** iproute2's warnings about flags it does not send. */
	warnings: string;
	validLft?: number | undefined;
	preferredLft?: number | undefined;
}

/** The address flags iproute2 knows (ifa_flag_data): which are read-only, which IPv6 only. */
const ADDR_FLAGS: Record<string, { readonly: boolean; v6only: boolean }> = {
	secondary: { readonly: true, v6only: false },
	temporary: { readonly: true, v6only: false },
	nodad: { readonly: false, v6only: true },
	optimistic: { readonly: false, v6only: true },
	dadfailed: { readonly: true, v6only: true },
	home: { readonly: false, v6only: true },
	deprecated: { readonly: true, v6only: true },
	tentative: { readonly: true, v6only: true },
	permanent: { readonly: true, v6only: true },
	mngtmpaddr: { readonly: false, v6only: true },
	noprefixroute: { readonly: false, v6only: false },
	autojoin: { readonly: false, v6only: false },
	'stable-privacy': { readonly: true, v6only: true },
};

/** rtnl_rtscope_a2n: a scope's name or number. */
function validScope(v: string): boolean {
	return ['global', 'link', 'host', 'site', 'nowhere', 'universe'].includes(v) || (/^(0[xX][0-9a-fA-F]+|\d+)$/.test(v) && Number(v) <= 255);
}

/** The family of a prefix or address as get_prefix_1/get_addr_1 read it, or null when invalid. */
function familyOf(v: string, family: 0 | 4 | 6, prefix: boolean): 4 | 6 | null {
	if (v.includes(':')) {
		if (family === 4) return null;
		const [t, l] = v.split('/');
		if (!canonicalIpv6(t ?? '')) return null;
		if (l !== undefined && !(prefix && /^\d+$/.test(l) && Number(l) <= 128)) return null;
		return 6;
	}
	if (family === 6) return null;
	if (prefix) return parsePrefix(v) ? 4 : null;
	return parseIpv4Loose(v) ? 4 : null;
}

/** iproute2's name of a family in its errors. */
function familyName(family: 0 | 4 | 6): string {
	return family === 4 ? 'inet' : family === 6 ? 'inet6' : 'any valid';
}

/** A prefix (`local`, `peer`): its family, or get_prefix's error (exit 1). */
function readPrefix(r: AddrReq, v: string): void {
	const f = familyOf(v, r.family, true);
	if (f === null) throw new ToolExit(1, `Error: ${familyName(r.family)} prefix is expected rather than "${v}".\n`);
	if (r.family === 0) r.family = f;
}

/** An address (`broadcast`, `anycast`): its family, or get_addr's error (exit 1). */
function readAddress(r: AddrReq, v: string): void {
	const f = familyOf(v, r.family, false);
	if (f === null) throw new ToolExit(1, `Error: ${familyName(r.family)} address is expected rather than "${v}".\n`);
	if (r.family === 0) r.family = f;
}

/** set_lifetime: `forever` or a number of seconds. */
function lifetime(v: string, key: string): number {
	if (v === 'forever') return 0xffffffff;
	const n = getU32(v);
	if (n === undefined) invarg(`${key} value`, v);
	return n;
}

/** ipaddr_modify's loop: each value checked as it is read, as iproute2 reads it. */
function parseAddrArgs(a: Args, family: 0 | 4 | 6): AddrReq {
	const r: AddrReq = { noprefixroute: false, family, warnings: '' };
	let peer = false;
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'peer' || w === 'remote') {
			const v = nextArg(a);
			if (peer) duplicate('peer', v);
			readPrefix(r, v);
			peer = true;
			r.peer = v;
		} else if (matches(w, 'broadcast') || w === 'brd') {
			const v = nextArg(a);
			if (r.brd !== undefined) duplicate('broadcast', v);
			if (v !== '+' && v !== '-') readAddress(r, v);
			r.brd = v;
		} else if (w === 'anycast') readAddress(r, nextArg(a));
		else if (w === 'scope') {
			const v = nextArg(a);
			if (!validScope(v)) invarg('invalid scope value.', v);
			r.scope = v === 'universe' ? 'global' : v;
		} else if (w === 'dev') r.dev = nextArg(a);
		else if (w === 'label') r.label = nextArg(a);
		else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
			const v = nextArg(a);
			if (getU32(v) === undefined) invarg('"metric" value is invalid\n', v);
		} else if (matches(w, 'valid_lft') || matches(w, 'preferred_lft')) {
			const key = matches(w, 'valid_lft') ? 'valid_lft' : 'preferred_lft';
			// iproute2 names the keyword itself when it is given twice.
			if ((key === 'valid_lft' ? r.validLft : r.preferredLft) !== undefined) duplicate(key, w);
			const n = lifetime(nextArg(a), key);
			if (key === 'valid_lft') r.validLft = n;
			else r.preferredLft = n;
		} else if (Object.prototype.hasOwnProperty.call(ADDR_FLAGS, w)) {
			const flag = ADDR_FLAGS[w]!;
			if (flag.readonly) r.warnings += `Warning: ${w} option is not mutable from userspace\n`;
			else if (flag.v6only && r.family !== 6) r.warnings += `Warning: ${w} option can be set only for IPv6 addresses\n`;
			else if (w === 'noprefixroute') r.noprefixroute = true;
		} else {
			let v = w;
			if (w === 'local') v = nextArg(a);
			if (matches(v, 'help')) throw new ToolExit(255, USAGE_IP_ADDR);
			if (r.local !== undefined) duparg('local', v);
			readPrefix(r, v);
			r.local = v;
		}
	}
	return r;
}

/** What every request checks after the loop: a device named, then found; lifetimes that make sense. */
function checkAddrReq(ic: IpCtx, r: AddrReq): Link {
	if (r.dev === undefined) throw new ToolExit(1, 'Not enough information: "dev" argument is required.\n');
	const link = ic.ns.link(r.dev);
	if (!link) nodev(r.dev);
	if (r.validLft !== undefined || r.preferredLft !== undefined) {
		const valid = r.validLft ?? 0xffffffff;
		if (valid === 0) throw new ToolExit(1, 'valid_lft is zero\n');
		if (valid < (r.preferredLft ?? 0xffffffff)) throw new ToolExit(1, 'preferred_lft is greater than valid_lft\n');
	}
	return link;
}

/** A request with no address: no family to send it to (EOPNOTSUPP) unless `-4`/`-6` named one. */
function noAddress(r: AddrReq): never {
	const answer = r.family === 0 ? 'RTNETLINK answers: Operation not supported' : r.family === 4 ? 'Error: ipv4: Local address is not supplied.' : 'RTNETLINK answers: Invalid argument';
	throw new ToolExit(2, `${r.warnings}${answer}\n`);
}

/** The request's warnings before what the kernel answered. */
function withWarnings<T>(r: AddrReq, f: () => T): T {
	try {
		return f();
	} catch (e) {
		if (e instanceof ToolExit && r.warnings) throw new ToolExit(e.exit, r.warnings + e.stderr, e.stdout);
		throw e;
	}
}

/** `ip addr add`. */
function addrAdd(ic: IpCtx, a: Args): IpOut {
	const fam = ic.opts.family === 4 || ic.opts.family === 6 ? ic.opts.family : 0;
	const r = parseAddrArgs(a, fam);
	const ns = ic.ns;
	const link = checkAddrReq(ic, r);
	if (r.local === undefined) noAddress(r);
	const local = r.local;
	return withWarnings(r, () => {
		if (r.family === 6) {
			const [t, l] = local.split('/');
			const canon = canonicalIpv6(t ?? '') as string;
			must(addr6Add(ns, link, canon, l === undefined ? 128 : Number(l)));
			return { stdout: '', stderr: r.warnings };
		}
		const pre = parsePrefix(local) as NonNullable<ReturnType<typeof parsePrefix>>;
		let brd: number | undefined;
		if (r.brd === '+') brd = broadcastOf(pre.addr, pre.len);
		else if (r.brd === '-') brd = networkOf(pre.addr, pre.len);
		else if (r.brd !== undefined) brd = parseIpv4Loose(r.brd)?.addr;
		// A peer's prefix length, if it has one, is the address's (iproute2 sends it as IFA_ADDRESS).
		const peer = r.peer !== undefined ? parsePrefix(r.peer) : undefined;
		const prefixlen = peer && r.peer?.includes('/') ? peer.len : pre.len;
		must(addr4Add(ns, link, { local: pre.addr, prefixlen, brd, scope: r.scope as Addr['scope'] | undefined, label: r.label, noprefixroute: r.noprefixroute, peer: peer?.addr }));
		return { stdout: '', stderr: r.warnings };
	});
}

const WILDCARD_WARNING = (addr: string): string =>
	`Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${addr}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`;

/** `ip addr del`. */
function addrDel(ic: IpCtx, a: Args): IpOut {
	const fam = ic.opts.family === 4 || ic.opts.family === 6 ? ic.opts.family : 0;
	const r = parseAddrArgs(a, fam);
	const ns = ic.ns;
	const link = checkAddrReq(ic, r);
	if (r.local === undefined) noAddress(r);
	const local = r.local;
	return withWarnings(r, () => {
		if (r.family === 6) {
			const [t, l] = local.split('/');
			must(addr6Del(ns, link, canonicalIpv6(t ?? '') as string, l === undefined ? undefined : Number(l)));
			return { stdout: '', stderr: r.warnings };
		}
		const pre = parsePrefix(local) as NonNullable<ReturnType<typeof parsePrefix>>;
		// With a peer iproute2 sends IFA_ADDRESS and the peer's prefix length: no wildcard then.
		const peer = r.peer !== undefined ? parsePrefix(r.peer) : undefined;
		const wildcard = !local.includes('/') && peer === undefined;
		const len = peer && r.peer?.includes('/') ? peer.len : pre.len;
		// iproute2 warns before it sends the request, whatever the kernel then answers.
		const warning = r.warnings + (wildcard ? WILDCARD_WARNING(formatIpv4(pre.addr)) : '');
		try {
			must(addr4Del(ns, link, pre.addr, wildcard ? undefined : len));
		} catch (e) {
			if (e instanceof ToolExit) throw new ToolExit(e.exit, warning.slice(r.warnings.length) + e.stderr, e.stdout);
			throw e;
		}
		return { stdout: '', stderr: warning };
	});
}

/** `ip addr flush`. */
function addrFlush(ic: IpCtx, a: Args): IpOut {
	if (a.cur === undefined) throw new ToolExit(1, 'Flush requires arguments.\n');
	const f = parseShowFilter(ic, a, true);
	const ns = ic.ns;
	const fam = ic.opts.family;
	for (const link of selectLinks(ic, f)) {
		for (const x of ns.addrs.filter((y) => y.link === link)) {
			if (fam === 4 && x.family !== 4) continue;
			if (fam === 6 && x.family !== 6) continue;
			if (f.scope && x.scope !== f.scope) continue;
			// An earlier primary may have taken this secondary along.
			if (!ns.addrs.includes(x)) continue;
			addrRemove(ns, x);
		}
	}
	return { stdout: '' };
}

/** Entry point for `ip address …`. */
export function ipAddr(ic: IpCtx, argv: string[]): IpOut {
	const a = new Args(argv);
	const w = a.cur;
	if (w === undefined) return addrShow(ic, a);
	a.next();
	if (matches(w, 'add')) return addrAdd(ic, a);
	if (matches(w, 'change') || matches(w, 'replace')) {
		try {
			return addrAdd(ic, a);
		} catch (e) {
			// The address is there already: that is what change and replace ask for.
			if (e instanceof ToolExit && e.stderr.includes('Address already assigned')) return { stdout: '' };
			throw e;
		}
	}
	if (matches(w, 'delete')) return addrDel(ic, a);
	if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return addrShow(ic, a);
	if (matches(w, 'flush')) return addrFlush(ic, a);
	if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_ADDR);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip address help".\n`);
}

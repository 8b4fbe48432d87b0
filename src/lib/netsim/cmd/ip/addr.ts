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
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { badPrefix, duparg, invarg, must, nodev } from './errors.ts';
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
	const fam = ic.opts.family;
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
}

function parseAddrArgs(a: Args): AddrReq {
	const r: AddrReq = { noprefixroute: false };
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'peer' || w === 'remote') r.peer = nextArg(a);
		else if (matches(w, 'broadcast') || w === 'brd') {
			const v = nextArg(a);
			if (r.brd !== undefined) duparg('broadcast', v);
			r.brd = v;
		} else if (matches(w, 'anycast')) nextArg(a);
		else if (matches(w, 'scope')) {
			const v = nextArg(a);
			if (!['global', 'link', 'host', 'site', 'nowhere', 'universe'].includes(v) && !/^\d+$/.test(v)) invarg('invalid scope value.', v);
			r.scope = v === 'universe' ? 'global' : v;
		} else if (w === 'dev') r.dev = nextArg(a);
		else if (matches(w, 'label')) r.label = nextArg(a);
		else if (matches(w, 'valid_lft') || matches(w, 'preferred_lft') || w === 'metric' || w === 'priority') nextArg(a);
		else if (w === 'noprefixroute') r.noprefixroute = true;
		else if (w === 'nodad' || w === 'home' || w === 'mngtmpaddr' || w === 'optimistic' || w === 'autojoin') continue;
		else {
			let v = w;
			if (matches(w, 'local')) v = nextArg(a);
			if (r.local !== undefined) duparg('local', v);
			r.local = v;
		}
	}
	return r;
}

/** `ip addr add`. */
function addrAdd(ic: IpCtx, a: Args): IpOut {
	const r = parseAddrArgs(a);
	const ns = ic.ns;
	if (r.dev === undefined) throw new ToolExit(1, 'Not enough information: "dev" argument is required.\n');
	if (r.local === undefined) throw new ToolExit(1, 'Not enough information: "local" argument is required.\n');
	const v6 = r.local.includes(':') || ic.opts.family === 6;
	const link = ns.link(r.dev);
	if (v6) {
		const [t, l] = r.local.split('/');
		const canon = canonicalIpv6(t ?? '');
		const len = l === undefined ? 128 : /^\d+$/.test(l) && Number(l) <= 128 ? Number(l) : -1;
		if (!canon || len < 0) badPrefix(r.local);
		if (!link) nodev(r.dev);
		must(addr6Add(ns, link, canon, len));
		return { stdout: '' };
	}
	const pre = parsePrefix(r.local);
	if (!pre) badPrefix(r.local);
	if (!link) nodev(r.dev);
	let brd: number | undefined;
	if (r.brd !== undefined) {
		if (r.brd === '+') brd = broadcastOf(pre.addr, pre.len);
		else if (r.brd === '-') brd = networkOf(pre.addr, pre.len);
		else {
			const b = parseIpv4Loose(r.brd);
			if (!b) throw new ToolExit(1, `Error: inet address is expected rather than "${r.brd}".\n`);
			brd = b.addr;
		}
	}
	// A peer's prefix length, if it has one, is the address's (iproute2 sends it as IFA_ADDRESS).
	const peer = r.peer !== undefined ? parsePrefix(r.peer) : undefined;
	if (r.peer !== undefined && !peer) badPrefix(r.peer);
	const prefixlen = peer && r.peer?.includes('/') ? peer.len : pre.len;
	must(addr4Add(ns, link, { local: pre.addr, prefixlen, brd, scope: r.scope as Addr['scope'] | undefined, label: r.label, noprefixroute: r.noprefixroute, peer: peer?.addr }));
	return { stdout: '' };
}

const WILDCARD_WARNING = (addr: string): string =>
	`Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${addr}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`;

/** `ip addr del`. */
function addrDel(ic: IpCtx, a: Args): IpOut {
	const r = parseAddrArgs(a);
	const ns = ic.ns;
	if (r.dev === undefined) throw new ToolExit(1, 'Not enough information: "dev" argument is required.\n');
	const link = ns.link(r.dev);
	if (r.local === undefined) {
		if (!link) nodev(r.dev);
		throw new ToolExit(2, 'RTNETLINK answers: Operation not supported\n');
	}
	if (r.local.includes(':')) {
		const [t, l] = r.local.split('/');
		const canon = canonicalIpv6(t ?? '');
		if (!canon) badPrefix(r.local);
		if (!link) nodev(r.dev);
		must(addr6Del(ns, link, canon, l === undefined ? undefined : Number(l)));
		return { stdout: '' };
	}
	const pre = parsePrefix(r.local);
	if (!pre) badPrefix(r.local);
	if (!link) nodev(r.dev);
	// With a peer iproute2 sends IFA_ADDRESS and the peer's prefix length: no wildcard then.
	const peer = r.peer !== undefined ? parsePrefix(r.peer) : undefined;
	const wildcard = !r.local.includes('/') && peer === undefined;
	const len = peer && r.peer?.includes('/') ? peer.len : pre.len;
	must(addr4Del(ns, link, pre.addr, wildcard ? undefined : len));
	return { stdout: '', stderr: wildcard ? WILDCARD_WARNING(formatIpv4(pre.addr)) : '' };
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

/** `ip route get ADDR [from ADDR] [iif DEV] [oif DEV]`, through the engine's route resolution. */
import { formatIpv4, parsePrefix, type Ipv4 } from '../../addr/ipv4.ts';
import { routeInput, routeOutput } from '../../engine/route.ts';
import { refuse } from '../../kernel/errno.ts';
import { atLeast } from '../../profile/profile.ts';
import type { Link } from '../../model/link.ts';
import { Printer } from '../../print/printer.ts';
import { ToolExit } from '../../tool/exit.ts';
import { matches, type Args } from '../args.ts';
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { answer, invarg, nodev } from './errors.ts';

/** `ip route get`: the route the kernel would take, for output or, with `iif`, for input. */
export function routeGet(ic: IpCtx, a: Args): IpOut {
	let dst: Ipv4 | undefined;
	let from: Ipv4 | undefined;
	let iif: Link | undefined;
	let oif: Link | undefined;
	// The family the words so far set: an address's errors then say `inet` (get_prefix).
	let family = ic.opts.family === 4 ? 'inet' : undefined;
	const prefix = (v: string): Ipv4 => {
		const g = parsePrefix(v);
		if (!g) throw new ToolExit(1, `Error: ${family ?? 'any valid'} prefix is expected rather than "${v}".\n`);
		family = 'inet';
		return g.addr;
	};
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'from') {
			from = prefix(nextArg(a));
		} else if (w === 'iif') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			iif = l;
		} else if (w === 'oif' || w === 'dev') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			oif = l;
		} else if (w === 'mark') {
			const v = nextArg(a);
			if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(v) || Number(v) > 0xffffffff) invarg('invalid mark value', v);
		} else if (w === 'tos' || matches(w, 'dsfield')) {
			const v = nextArg(a);
			if (!/^(0[xX])?[0-9a-fA-F]+$/.test(v) || parseInt(v, 16) > 255) invarg('TOS value is invalid\n', v);
		} else if (w === 'uid' || w === 'vrf' || w === 'ipproto' || w === 'sport' || w === 'dport') nextArg(a);
		else if (w === 'connected' || w === 'fibmatch' || w === 'notify') continue;
		else {
			let v = w;
			if (w === 'to') v = nextArg(a);
			dst = prefix(v);
		}
	}
	if (dst === undefined) throw new ToolExit(1, 'need at least a destination address\n');
	const p = new Printer(ic.opts.json);
	p.openArray();
	p.openObject();
	if (iif) {
		// An input route from 0.0.0.0 is a martian source to the kernel (ip_route_input_slow).
		if (!from) answer(refuse('EINVAL'));
		const rt = routeInput(ic.ns, dst, iif, from);
		// The reverse-path filter's drop is EXDEV up to Linux 6.12 (Debian 13's VM says "Invalid
		// cross-device link"); since fib_validate_source returns drop reasons (6.13), the route
		// lookup reports every dropped input as EINVAL (this machine's 6.18).
		if (typeof rt === 'string') answer(refuse(rt === 'EXDEV' && atLeast(ic.ns.world.profile.kernel, 6, 13) ? 'EINVAL' : rt));
		if (rt.type === 'local') p.str('type', '%s ', 'local');
		p.str('dst', '%s ', formatIpv4(dst));
		p.str('from', 'from %s ', formatIpv4(from));
		if (rt.gateway !== undefined) p.str('gateway', 'via %s ', formatIpv4(rt.gateway));
		// rt_fill_info names a preferred source for output routes only.
		p.str('dev', 'dev %s ', rt.dev.name);
		p.openArray('flags');
		p.close();
		p.out('\n    cache ');
		p.openArray('cache');
		if (rt.type === 'local') p.str(undefined, '<local> ', 'local');
		p.close();
		p.str('iif', 'iif %s ', iif.name);
		p.close();
		p.close();
		p.out('\n');
		return { stdout: p.result() };
	}
	const rt = routeOutput(ic.ns, dst, oif, from);
	if (typeof rt === 'string') answer(refuse(rt));
	if (rt.type === 'local') p.str('type', '%s ', 'local');
	if (rt.type === 'broadcast') p.str('type', '%s ', 'broadcast');
	p.str('dst', '%s ', formatIpv4(dst));
	if (from !== undefined) p.str('from', 'from %s ', formatIpv4(from));
	if (rt.gateway !== undefined) p.str('gateway', 'via %s ', formatIpv4(rt.gateway));
	p.str('dev', 'dev %s ', rt.dev.name);
	if (from === undefined) p.str('prefsrc', 'src %s ', formatIpv4(rt.src));
	p.openArray('flags');
	p.close();
	p.num('uid', 'uid %u ', 0);
	p.out('\n    cache ');
	p.openArray('cache');
	if (rt.type === 'local') p.str(undefined, '<local> ', 'local');
	if (rt.type === 'broadcast') p.str(undefined, '<local,brd> ', 'local');
	p.close();
	p.close();
	p.close();
	p.out('\n');
	return { stdout: p.result() };
}

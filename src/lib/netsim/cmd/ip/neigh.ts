/** `ip neighbour`: show, add/replace/change, del, flush. */
import { formatIpv4, parsePrefix, inPrefix, type Ipv4, type Prefix } from '../../addr/ipv4.ts';
import { USAGE_IP_NEIGH } from '../usage.ts';
import { formatMac } from '../../addr/mac.ts';
import type { Link } from '../../model/link.ts';
import { neighAgeAll, neighDel, neighRemove, neighSet } from '../../kernel/neigh.ts';
import type { Neigh, NudState } from '../../model/neigh.ts';
import { padEnd, Printer } from '../../print/printer.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { parseLladdr } from './link-args.ts';
import { duparg, duplicate, incomplete, must, nodev } from './errors.ts';

const STATES: NudState[] = ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'];

interface Filter {
	dev?: Link | undefined;
	prefix?: Prefix | undefined;
	states?: NudState[] | undefined;
}

function parseFilter(ic: IpCtx, a: Args): Filter {
	const f: Filter = {};
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (w === 'dev') {
			const v = nextArg(a);
			const l = ic.ns.link(v);
			if (!l) nodev(v);
			f.dev = l;
		} else if (w === 'nud') {
			const v = nextArg(a).toUpperCase();
			if (v === 'ALL') f.states = [...STATES];
			else if (!(STATES as string[]).includes(v)) throw new ToolExit(255, `Error: argument "${v.toLowerCase()}" is wrong: nud state is bad\n`);
			else (f.states ??= []).push(v as NudState);
		} else if (w === 'proxy' || w === 'unused' || w === 'nomaster') continue;
		else if (w === 'vrf' || w === 'master') nextArg(a);
		else {
			let v = w;
			if (w === 'to') v = nextArg(a);
			if (v === 'all') continue;
			const pre = parsePrefix(v);
			if (!pre) throw new ToolExit(1, `Error: any valid prefix is expected rather than "${v}".\n`);
			f.prefix = pre;
		}
	}
	return f;
}

function selected(ic: IpCtx, f: Filter): Neigh[] {
	neighAgeAll(ic.ns);
	return ic.ns.neigh.filter((n) => {
		if (f.dev && n.link !== f.dev) return false;
		if (f.prefix && !inPrefix(n.ip, f.prefix)) return false;
		if (f.states) return f.states.includes(n.state);
		return n.state !== 'NOARP';
	});
}

function neighShow(ic: IpCtx, a: Args): IpOut {
	const f = parseFilter(ic, a);
	const p = new Printer(ic.opts.json);
	p.openArray();
	for (const n of selected(ic, f)) {
		p.openObject();
		if (ic.opts.brief) {
			p.str('dst', '%s', formatIpv4(n.ip), 'json');
			p.out(padEnd(formatIpv4(n.ip), 39) + ' ');
			p.str('dev', '', n.link.name, 'json');
			p.out(padEnd(n.link.name, 16) + ' ');
			if (n.mac) p.str('lladdr', '%s', formatMac(n.mac));
			p.close();
			p.out('\n');
			continue;
		}
		p.str('dst', '%s ', formatIpv4(n.ip));
		if (!f.dev) p.str('dev', 'dev %s ', n.link.name);
		if (n.mac) p.str('lladdr', 'lladdr %s ', formatMac(n.mac));
		if (n.router) p.bool('router', 'router ', true);
		p.openArray('state');
		p.str(undefined, '%s ', n.state);
		p.close();
		p.close();
		p.out('\n');
	}
	p.close();
	return { stdout: p.result() };
}

function neighModify(ic: IpCtx, a: Args, mode: 'add' | 'replace' | 'change' | 'del'): IpOut {
	let dst: Ipv4 | undefined;
	let lladdr: number[] | undefined;
	let dev: string | undefined;
	let nud: NudState = 'PERMANENT';
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (matches(w, 'lladdr')) {
			const v = nextArg(a);
			if (lladdr) duplicate('lladdr', v);
			lladdr = parseLladdr(v);
		} else if (w === 'nud') {
			const v = nextArg(a).toUpperCase();
			if (!(STATES as string[]).includes(v)) throw new ToolExit(255, `Error: argument "${v.toLowerCase()}" is wrong: nud state is bad\n`);
			nud = v as NudState;
		} else if (w === 'proxy' || w === 'router' || w === 'extern_learn' || w === 'use' || w === 'managed') continue;
		else if (w === 'dev') {
			dev = nextArg(a);
		} else {
			let v = w;
			if (matches(w, 'to')) v = nextArg(a);
			if (dst !== undefined) duparg('to', v);
			const pre = parsePrefix(v);
			if (!pre) throw new ToolExit(1, `Error: any valid address is expected rather than "${v}".\n`);
			dst = pre.addr;
		}
	}
	if (dev === undefined || dst === undefined) throw new ToolExit(255, 'Device and destination are required arguments.\n');
	const link = ic.ns.link(dev);
	if (!link) nodev(dev);
	if (mode === 'del') must(neighDel(ic.ns, link, dst));
	else {
		// The kernel takes an address at least as long as the device's (6 bytes), and its first 6.
		if (lladdr && lladdr.length < 6) throw new ToolExit(2, 'Error: Invalid link address.\n');
		must(neighSet(ic.ns, link, dst, mode, nud, lladdr?.slice(0, 6)));
	}
	return { stdout: '' };
}

function neighFlush(ic: IpCtx, a: Args): IpOut {
	if (a.cur === undefined) throw new ToolExit(1, 'Flush requires arguments.\n');
	const f = parseFilter(ic, a);
	neighRemove(ic.ns, selected(ic, f).filter((n) => (f.states ? true : n.state !== 'PERMANENT')));
	return { stdout: '' };
}

/** Entry point for `ip neigh …`. */
export function ipNeigh(ic: IpCtx, argv: string[]): IpOut {
	const a = new Args(argv);
	const w = a.cur;
	if (w === undefined) return neighShow(ic, a);
	a.next();
	if (matches(w, 'add')) return neighModify(ic, a, 'add');
	if (matches(w, 'replace')) return neighModify(ic, a, 'replace');
	if (matches(w, 'change') || matches(w, 'chg')) return neighModify(ic, a, 'change');
	if (matches(w, 'delete')) return neighModify(ic, a, 'del');
	if (matches(w, 'show') || matches(w, 'list') || matches(w, 'lst')) return neighShow(ic, a);
	if (matches(w, 'flush')) return neighFlush(ic, a);
	if (w === 'get') {
		const rest = a.rest();
		if (rest.length === 0) incomplete();
		// ipneigh_get wants both before it asks the kernel.
		const devAt = rest.indexOf('dev');
		if (devAt < 0 || rest.filter((x, i) => x !== 'dev' && i !== devAt + 1 && x !== 'proxy' && x !== 'to').length === 0) throw new ToolExit(1, 'Device and address are required arguments.\n');
		const out = neighShow(ic, new Args(rest));
		if (out.stdout === '' || out.stdout === '[]\n') throw new ToolExit(2, 'Error: Neighbour entry not found.\n');
		return out;
	}
	if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_NEIGH);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip neigh help".\n`);
}

/**
 * The netfilter hooks a packet meets on its walk, each running what the kernel registers there in
 * its order (src/lib/shared/netfilter.ts): conntrack lookup and destination NAT at
 * PREROUTING/OUTPUT, the filter table's chains, source NAT and confirmation at POSTROUTING/INPUT.
 * Rule matching itself lives in model/netfilter.ts; flows in model/conntrack.ts.
 */
import { hookStages, NF_HOOKS, type NfHook } from '../../shared/netfilter.ts';
import { formatIpv4 } from '../addr/ipv4.ts';
import { findConn, TIMEOUT, trackTcp, type Conntrack } from '../model/conntrack.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { PacketView } from '../model/netfilter.ts';
import { ICMP, portsOf, setDst, setSrc, type Ip4 } from '../model/packet.ts';
import { routeOutput, selectSrc, type Resolved } from './route.ts';
import type { Stack } from './stack.ts';
import { legOf, tracePacket, traceRule, tracing } from './trace.ts';

/** Per-packet netfilter context through one namespace (the skb's conntrack reference). */
export interface NfCtx {
	ct?: Conntrack | undefined;
	dir?: 'orig' | 'reply' | undefined;
	isNew?: boolean | undefined;
	/** OUTPUT: the route found again after DNAT changed the destination (see HookIo.reroute). */
	rerouted?: Resolved | undefined;
}

/** The packet as rules see it, with its conntrack state. */
function view(pkt: Ip4, ctx: NfCtx, inIf?: string, outIf?: string, ns?: Netns): PacketView {
	let ctstate = 'UNTRACKED';
	if (ctx.ct) ctstate = ctx.isNew ? 'NEW' : ctx.dir === 'reply' || ctx.ct.replied ? 'ESTABLISHED' : 'NEW';
	if (pkt.icmp && (pkt.icmp.type === ICMP.DEST_UNREACH || pkt.icmp.type === ICMP.TIME_EXCEEDED)) ctstate = 'RELATED';
	const ports = pkt.tcp ?? pkt.udp;
	return { src: pkt.src, dst: pkt.dst, proto: pkt.proto, inIf, outIf, len: pkt.len, icmpType: pkt.icmp?.type, sport: ports?.sport, dport: ports?.dport, ctstate, mark: pkt.mark ?? 0, dstLocal: ns ? ns.isLocal(pkt.dst) : false };
}

/** Runs a chain of the filter table; returns its verdict (ACCEPT, DROP or REJECT). */
function filter(stack: Stack, ns: Netns, chain: string, pkt: Ip4, ctx: NfCtx, inIf?: string, outIf?: string): string {
	if (!ns.netfilter.active('filter')) return 'ACCEPT';
	const v = view(pkt, ctx, inIf, outIf, ns);
	const res = ns.netfilter.run('filter', chain, v);
	pkt.mark = v.mark;
	const tr = tracing(stack.tracer, pkt);
	if (tr && res.verdict !== 'ACCEPT') {
		const leg = legOf(pkt);
		tr.add({ kind: 'netfilter', leg, at: tr.place(ns), text: `The ${chain} chain of ${tr.who(ns)}’s filter table${res.chain && res.chain !== chain ? ` jumps to ${res.chain}, whose rule` : ''} says ${res.verdict}${res.rule ? '' : ' (its policy)'}.`, netfilter: traceRule(ns, 'filter', chain, res, res.verdict) });
		tr.add({ kind: 'drop', leg, at: tr.place(ns), reason: 'netfilter', text: `The firewall of ${tr.who(ns)} ${res.verdict === 'REJECT' ? 'rejects' : 'drops'} the packet.` });
		tr.dropped = true;
	} else if (tr && res.rule && !tr.hidden(ns)) {
		// A rule let it through (a policy ACCEPT with no rule matching is not worth a step).
		tr.add({ kind: 'netfilter', leg: legOf(pkt), at: tr.place(ns), text: `A rule of the ${chain} chain of ${tr.who(ns)}’s filter table${res.chain && res.chain !== chain ? ` (in ${res.chain}, reached by a jump)` : ''} accepts the packet.`, netfilter: traceRule(ns, 'filter', chain, res, 'ACCEPT') });
	}
	return res.verdict;
}

/**
 * Runs a filter chain and acts on a refusal: REJECT answers the sender with port-unreachable
 * (iptables' default reject-with), DROP is silent. True when the packet may go on.
 */
export function filterPasses(stack: Stack, ns: Netns, chain: string, pkt: Ip4, ctx: NfCtx, inIf?: string, outIf?: string): boolean {
	const v = filter(stack, ns, chain, pkt, ctx, inIf, outIf);
	if (v === 'REJECT') stack.icmpError(ns, pkt, ICMP.DEST_UNREACH, 3);
	return v === 'ACCEPT';
}

/** Where the packet is at a hook: its interfaces, and what the hook may need to act. */
export interface HookIo {
	/** The interface it arrived on (PREROUTING, INPUT, FORWARD). */
	inIf?: string | undefined;
	/** The interface it leaves by (FORWARD, OUTPUT, POSTROUTING). */
	outIf?: string | undefined;
	/** POSTROUTING: the device it leaves by (MASQUERADE takes that device's address). */
	out?: Link | undefined;
	/**
	 * OUTPUT: when DNAT changes the destination, route again (ip_route_me_harder), with this output
	 * device if the socket asked for one (null: none); the new route goes to `ctx.rerouted`, and
	 * no route any more drops the packet.
	 */
	reroute?: { oif: Link | undefined } | undefined;
}

/** What runs at each hook, in order: read once. */
const STAGES = new Map(NF_HOOKS.map((h) => [h, hookStages(h)]));

/**
 * Runs a hook: what is registered there, in the kernel's order (src/lib/shared/netfilter.ts).
 * The simulator runs conntrack and the nat and filter tables; raw, mangle and security keep their
 * rules but are not run. False when the packet is dropped.
 */
export function nfHook(stack: Stack, ns: Netns, hook: NfHook, pkt: Ip4, ctx: NfCtx, io: HookIo): boolean {
	// As the kernel's hook state: no input device on the way out, no output device on the way in.
	const dropIn = io.inIf !== undefined && (hook === 'OUTPUT' || hook === 'POSTROUTING');
	const dropOut = io.outIf !== undefined && (hook === 'PREROUTING' || hook === 'INPUT');
	const at: HookIo = dropIn || dropOut ? { ...io, inIf: dropIn ? undefined : io.inIf, outIf: dropOut ? undefined : io.outIf } : io;
	for (const stage of STAGES.get(hook) ?? []) {
		if (stage.kind === 'conntrack') {
			if (stage.step === 'track' && !ctTrack(stack, ns, pkt, ctx)) return false;
			if (stage.step === 'confirm') nfConfirm(ns, ctx);
		} else if (stage.table === 'filter') {
			if (!filterPasses(stack, ns, hook, pkt, ctx, at.inIf, at.outIf)) return false;
		} else if (stage.table === 'nat') {
			if (!(stage.nat === 'dst' ? natDst(stack, ns, hook, pkt, ctx, at) : natSrc(stack, ns, hook, pkt, ctx, at))) return false;
		}
	}
	return true;
}

/** Conntrack at PREROUTING/OUTPUT: finds the packet's flow or starts a new one. False to drop. */
function ctTrack(stack: Stack, ns: Netns, pkt: Ip4, ctx: NfCtx): boolean {
	const nf = ns.netfilter;
	if (!nf.conntrackOn || ctx.ct) return true;
	const now = stack.world.now;
	ns.conntrack = ns.conntrack.filter((c) => c.expires > now);
	const ic = pkt.icmp;
	if (ic && ic.type !== ICMP.ECHO_REQUEST && ic.type !== ICMP.ECHO_REPLY) {
		// RELATED errors: the embedded packet is translated back, as NAT does for ICMP errors.
		const inner = ic.inner;
		const ports = inner ? portsOf(inner) : undefined;
		if (inner && ports) {
			const hit = findConn(ns.conntrack, inner.proto, inner.dst, inner.src, ports[1], ports[0], now);
			if (hit && hit.dir === 'reply') {
				pkt.dst = hit.ct.orig.src;
				setSrc(inner, hit.ct.orig.src, hit.ct.orig.sport);
			}
		}
		return true;
	}
	const ports = portsOf(pkt);
	if (!ports) return true;
	const hit = findConn(ns.conntrack, pkt.proto, pkt.src, pkt.dst, ports[0], ports[1], now, ic?.type);
	if (hit) {
		ctx.ct = hit.ct;
		ctx.dir = hit.dir;
		track(hit.ct, hit.dir, pkt, now);
		return true;
	}
	// Only an echo request or a bare SYN opens a flow; anything else stays untracked.
	if (ic && ic.type !== ICMP.ECHO_REQUEST) return true;
	if (pkt.tcp && !(pkt.tcp.flags.includes('S') && !pkt.tcp.flags.includes('A'))) return true;
	const ct: Conntrack = {
		proto: pkt.proto,
		orig: { src: pkt.src, dst: pkt.dst, sport: ports[0], dport: ports[1] },
		reply: { src: pkt.dst, dst: pkt.src, sport: ports[1], dport: ports[0] },
		replied: false,
		expires: now,
		assured: false,
	};
	track(ct, 'orig', pkt, now);
	ctx.ct = ct;
	ctx.dir = 'orig';
	ctx.isNew = true;
	return true;
}

/**
 * Destination NAT at PREROUTING/OUTPUT: a new flow's first packet goes through the nat chain
 * (DNAT is remembered by conntrack); a known flow gets the rewrite its entry records (a reply's
 * undone source NAT, or the flow's DNAT). In OUTPUT a changed destination is routed again.
 */
function natDst(stack: Stack, ns: Netns, hook: NfHook, pkt: Ip4, ctx: NfCtx, io: HookIo): boolean {
	const ct = ctx.ct;
	if (!ct) return true;
	const before = pkt.dst;
	if (!ctx.isNew) {
		if (ctx.dir === 'reply') {
			if (ct.orig.src !== ct.reply.dst || ct.orig.sport !== ct.reply.dport) {
				setDst(pkt, ct.orig.src, ct.orig.sport);
				const tr = tracing(stack.tracer, pkt);
				if (tr) tr.add({ kind: 'nat', leg: legOf(pkt), at: tr.place(ns), text: `conntrack recognises the reply and undoes the NAT: destination ${formatIpv4(before)} → ${formatIpv4(pkt.dst)}.`, packet: tracePacket(pkt), rewrite: { field: 'dst', from: formatIpv4(before), to: formatIpv4(pkt.dst) } });
			}
		} else if (ct.reply.src !== ct.orig.dst || ct.reply.sport !== ct.orig.dport) setDst(pkt, ct.reply.src, ct.reply.sport);
	} else if (ns.netfilter.tables.has('nat')) {
		const ports = portsOf(pkt);
		const v = view(pkt, ctx, io.inIf, undefined, ns);
		const res = ns.netfilter.run('nat', hook, v);
		pkt.mark = v.mark;
		if (res.verdict === 'DROP') return false;
		const to = res.rule?.target === 'DNAT' ? res.rule.toDestination : undefined;
		if (to && ports) {
			const [ip, port] = parseTo(to);
			if (ip !== undefined) {
				setDst(pkt, ip, port ?? ports[1]);
				ct.reply.src = ip;
				ct.reply.sport = port ?? ports[1];
				const tr = tracing(stack.tracer, pkt);
				if (tr) tr.add({ kind: 'nat', leg: legOf(pkt), at: tr.place(ns), text: `DNAT: destination ${formatIpv4(before)} → ${formatIpv4(ip)}, remembered by conntrack.`, packet: tracePacket(pkt), netfilter: traceRule(ns, 'nat', hook, res), rewrite: { field: 'dst', from: formatIpv4(before), to: formatIpv4(ip) } });
			}
		}
	}
	if (pkt.dst === before || !io.reroute) return true;
	const again = routeOutput(ns, pkt.dst, io.reroute.oif, pkt.src);
	if (typeof again === 'string') return false;
	ctx.rerouted = again;
	io.outIf = again.type === 'local' ? 'lo' : again.dev.name;
	return true;
}

/** Updates timeouts and TCP state of an entry for one packet. */
function track(ct: Conntrack, dir: 'orig' | 'reply', pkt: Ip4, now: number): void {
	if (dir === 'reply') ct.replied = true;
	if (pkt.tcp) trackTcp(ct, dir, pkt.tcp.flags, now);
	else if (pkt.proto === 17) ct.expires = now + (ct.replied ? TIMEOUT.udpReplied : TIMEOUT.udp);
	else ct.expires = now + TIMEOUT.icmp;
}

/**
 * Source NAT at POSTROUTING/INPUT: a new flow's first packet goes through the nat chain (SNAT,
 * MASQUERADE, remembered by conntrack); a known flow gets its recorded source rewrite.
 */
function natSrc(stack: Stack, ns: Netns, hook: NfHook, pkt: Ip4, ctx: NfCtx, io: HookIo): boolean {
	const ct = ctx.ct;
	if (!ct) return true;
	if (!ctx.isNew) {
		unNatSource(pkt, ctx, stack, ns);
		return true;
	}
	const nf = ns.netfilter;
	if (!nf.tables.has('nat')) return true;
	const v = view(pkt, ctx, io.inIf, io.outIf, ns);
	const res = nf.run('nat', hook, v);
	if (res.verdict === 'DROP') return false;
	const rule = res.rule;
	let to: number | undefined;
	if (rule?.target === 'MASQUERADE' && io.out) to = selectSrc(ns, io.out, pkt.dst);
	if (rule?.target === 'SNAT' && rule.toSource) to = parseTo(rule.toSource)[0];
	if (to !== undefined) {
		const was = pkt.src;
		pkt.src = to;
		ct.reply.dst = to;
		const tr = tracing(stack.tracer, pkt);
		const how = rule?.target === 'MASQUERADE' ? ` (the address of ${io.out?.name})` : '';
		if (tr) tr.add({ kind: 'nat', leg: legOf(pkt), at: tr.place(ns), text: `${rule?.target}: source ${formatIpv4(was)} → ${formatIpv4(to)}${how}, remembered by conntrack.`, packet: tracePacket(pkt), netfilter: traceRule(ns, 'nat', hook, res), rewrite: { field: 'src', from: formatIpv4(was), to: formatIpv4(to) } });
	}
	return true;
}

/**
 * Source rewriting of an established flow: SNAT on the way out, undone DNAT on replies
 * (a traced step when `stack` and `ns` are given and the address changes).
 */
function unNatSource(pkt: Ip4, ctx: NfCtx, stack?: Stack, ns?: Netns): void {
	const ct = ctx.ct;
	if (!ct) return;
	const was = pkt.src;
	if (ctx.dir === 'orig' && (ct.reply.dst !== ct.orig.src || ct.reply.dport !== ct.orig.sport)) setSrc(pkt, ct.reply.dst, ct.reply.dport);
	else if (ctx.dir === 'reply' && (ct.orig.dst !== ct.reply.src || ct.orig.dport !== ct.reply.sport)) setSrc(pkt, ct.orig.dst, ct.orig.dport);
	else return;
	const tr = stack && ns && pkt.src !== was ? tracing(stack.tracer, pkt) : undefined;
	if (tr && ns) {
		const what = ctx.dir === 'reply' ? 'undoes the DNAT' : 'applies the flow’s source NAT';
		tr.add({ kind: 'nat', leg: legOf(pkt), at: tr.place(ns), text: `conntrack knows the flow and ${what}: source ${formatIpv4(was)} → ${formatIpv4(pkt.src)}.`, packet: tracePacket(pkt), rewrite: { field: 'src', from: formatIpv4(was), to: formatIpv4(pkt.src) } });
	}
}

/** Confirms a new flow: it enters the conntrack table only once its first packet got through. */
export function nfConfirm(ns: Netns, ctx: NfCtx): void {
	if (ctx.ct && ctx.isNew && !ns.conntrack.includes(ctx.ct)) ns.conntrack.push(ctx.ct);
}

/** Parses `--to-source`/`--to-destination` (`A.B.C.D[-E.F.G.H][:port[-port]]`): first address, port. */
function parseTo(text: string): [number | undefined, number | undefined] {
	const [host, port] = text.split(':');
	const first = (host ?? '').split('-')[0] ?? '';
	const parts = first.split('.').map(Number);
	const p = port === undefined ? undefined : Number(port.split('-')[0]);
	if (parts.length !== 4 || parts.some((x) => !(x >= 0 && x <= 255))) return [undefined, p];
	return [((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0, p];
}

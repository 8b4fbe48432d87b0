/**
 * The packet walk: Ethernet over veth and bridges, ARP, IPv4 input/forward/output with netfilter
 * and conntrack NAT, ICMP echo and errors. Delivery is synchronous; only ARP timeouts wait on the
 * virtual clock.
 */
import { isLoopback, type Ipv4 } from '../addr/ipv4.ts';
import { BROADCAST_MAC, isGroupMac, sameMac, type Mac } from '../addr/mac.ts';
import { findConn, TIMEOUT, trackTcp, type Conntrack } from '../model/conntrack.ts';
import type { Link } from '../model/link.ts';
import { TABLE_LOCAL, type Route } from '../model/fib.ts';
import { ageNeigh, RESOLVE_MS, type Neigh } from '../model/neigh.ts';
import type { Netns } from '../model/netns.ts';
import type { PacketView } from '../model/netfilter.ts';
import type { World } from '../model/world.ts';
import { clonePacket, ICMP, portsOf, setDst, setSrc, type Frame, type Ip4 } from './packet.ts';
import { routeInput, routeOutput, selectSrc } from './route.ts';
import { segment, type Listener, type TcpSocket } from './tcp.ts';
import { formatIpv4, inPrefix } from '../addr/ipv4.ts';
import { formatMac } from '../addr/mac.ts';
import { routeText } from '../cmd/ip/route.ts';
import type { Tracer } from './trace.ts';

/** What a ping socket hears. */
export type SocketEvent =
	| { kind: 'reply'; seq: number; ttl: number; from: Ipv4; len: number; at: number }
	| { kind: 'error'; seq: number; from: Ipv4; type: number; code: number; mtu?: number | undefined; at: number }
	| { kind: 'local'; seq: number; at: number };

/** A raw ICMP socket bound to an echo id in one namespace. */
export interface PingSocket {
	ns: Netns;
	id: number;
	events: SocketEvent[];
}

/** Per-packet netfilter context through one namespace. */
interface NfCtx {
	ct?: Conntrack | undefined;
	dir?: 'orig' | 'reply' | undefined;
	isNew?: boolean | undefined;
}

const MAX_HOPS = 64;

/** The network stack shared by every namespace of a world. */
export class Stack {
	readonly world: World;
	sockets: PingSocket[] = [];
	tcpSockets: TcpSocket[] = [];
	listeners: Listener[] = [];
	/** Set while a ping's first packet travels, to record its walk. */
	tracer?: Tracer | undefined;
	private depth = 0;

	constructor(world: World) {
		this.world = world;
		world.onIpv6Start = (link) => {
			const m = link.mac;
			this.xmit(link, { src: m, dst: [0x33, 0x33, 0xff, m[3] ?? 0, m[4] ?? 0, m[5] ?? 0] });
		};
	}

	/** Opens a ping socket. */
	open(ns: Netns, id: number): PingSocket {
		const s: PingSocket = { ns, id, events: [] };
		this.sockets.push(s);
		return s;
	}

	/** Closes a ping socket. */
	close(s: PingSocket): void {
		this.sockets = this.sockets.filter((x) => x !== s);
	}

	// ---- local output -------------------------------------------------------------------------

	/**
	 * Sends a locally generated packet. Returns an errno name when the kernel refuses at once
	 * (no route, firewall), or undefined once the packet is on its way (or silently lost).
	 */
	sendLocal(ns: Netns, pkt: Ip4, oif?: Link): string | undefined {
		let rt = routeOutput(ns, pkt.dst, oif, pkt.src || undefined);
		const tr = this.tracing(pkt);
		if (tr && !tr.hidden(ns)) {
			if (typeof rt === 'string') {
				tr.add({ kind: 'route', at: tr.place(ns), text: `Route lookup for ${formatIpv4(pkt.dst)}: no route matches, so the kernel refuses to send it.`, route: { table: 'main' } });
				tr.add({ kind: 'drop', at: tr.place(ns), reason: 'no-route', text: `${tr.who(ns)} has no route to ${formatIpv4(pkt.dst)}: the packet never leaves.` });
				tr.dropped = true;
			} else this.traceRoute(tr, ns, rt.route, rt.dev, pkt.dst);
		} else if (tr && typeof rt === 'string' && pkt.icmp?.type === ICMP.ECHO_REPLY) {
			tr.add({ kind: 'drop', at: tr.place(ns, undefined, pkt.src), reason: ns === this.world.infra?.upstream ? 'no-nat' : 'no-route', text: `${tr.who(ns)} has no route back to ${formatIpv4(pkt.dst)}${ns === this.world.infra?.upstream ? ', a private address: only traffic NATed to its own network gets an answer' : ''}.` });
			tr.dropped = true;
		}
		if (typeof rt === 'string') return rt;
		if (!pkt.src) pkt.src = rt.src;
		const ctx: NfCtx = {};
		const before = pkt.dst;
		if (!this.nfPre(ns, pkt, ctx, 'OUTPUT', undefined)) return undefined;
		if (pkt.dst !== before) {
			// DNAT in OUTPUT: route again for the new destination (ip_route_me_harder).
			const again = routeOutput(ns, pkt.dst, oif, pkt.src);
			if (typeof again === 'string') return undefined;
			rt = again;
		}
		const outIf = rt.type === 'local' ? 'lo' : rt.dev.name;
		if (pkt.df && rt.type === 'unicast' && pkt.len > rt.dev.mtu) return `EMSGSIZE:${rt.dev.mtu}`;
		const f = this.filter(ns, 'OUTPUT', pkt, ctx, undefined, outIf);
		// A DROP in OUTPUT is silent for ping (iptables-nft); REJECT answers through the loopback.
		if (f === 'DROP') return undefined;
		if (f === 'REJECT') {
			this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 3);
			return undefined;
		}
		if (rt.type === 'local') {
			this.nfConfirm(ns, pkt, ctx);
			if (!ns.lo.adminUp) return undefined;
			ns.lo.stats.txPackets++;
			ns.lo.stats.txBytes += pkt.len;
			ns.lo.stats.rxPackets++;
			ns.lo.stats.rxBytes += pkt.len;
			this.localDeliver(ns, pkt, ns.lo, ctx);
			return undefined;
		}
		if (rt.type === 'broadcast') return undefined;
		if (!this.nfPost(ns, pkt, ctx, rt.dev)) return undefined;
		this.neighOutput(ns, rt.dev, rt.gateway ?? pkt.dst, pkt, 'local');
		return undefined;
	}

	/** The tracer, when this packet belongs to the traced exchange (an echo or an ARP on its way). */
	private tracing(pkt?: Ip4): Tracer | undefined {
		const tr = this.tracer;
		if (!tr || tr.replied || tr.steps.length >= 120) return undefined;
		if (pkt && !(pkt.icmp && (pkt.icmp.type === ICMP.ECHO_REQUEST || pkt.icmp.type === ICMP.ECHO_REPLY || pkt.icmp.type === ICMP.DEST_UNREACH || pkt.icmp.type === ICMP.TIME_EXCEEDED))) return undefined;
		return tr;
	}

	private traceRoute(tr: Tracer, ns: Netns, r: Route, dev: Link, dst: Ipv4): void {
		const also = ns.routes.filter((x) => x.table === r.table && x !== r && x.dst.len < r.dst.len && inPrefix(dst, x.dst)).map(routeText);
		const how = r.type === 'local' ? 'it is one of this host’s own addresses' : r.gateway !== undefined ? `send it to the gateway ${formatIpv4(r.gateway)} out of ${dev.name}` : `it is on the link, out of ${dev.name}`;
		tr.add({ kind: 'route', leg: tr.delivered ? 'reply' : 'request', at: tr.place(ns, dev), text: `Route lookup for ${formatIpv4(dst)}: ${how}.`, route: { table: r.table === TABLE_LOCAL ? 'local' : 'main', matched: routeText(r), alsoMatched: also.length ? also : undefined } });
	}

	// ---- netfilter ----------------------------------------------------------------------------

	private view(pkt: Ip4, ctx: NfCtx, inIf?: string, outIf?: string, ns?: Netns): PacketView {
		let ctstate = 'UNTRACKED';
		if (ctx.ct) ctstate = ctx.isNew ? 'NEW' : ctx.dir === 'reply' || ctx.ct.replied ? 'ESTABLISHED' : 'NEW';
		if (pkt.icmp && (pkt.icmp.type === ICMP.DEST_UNREACH || pkt.icmp.type === ICMP.TIME_EXCEEDED)) ctstate = 'RELATED';
		const ports = pkt.tcp ?? pkt.udp;
		return { src: pkt.src, dst: pkt.dst, proto: pkt.proto, inIf, outIf, len: pkt.len, icmpType: pkt.icmp?.type, sport: ports?.sport, dport: ports?.dport, ctstate, mark: pkt.mark ?? 0, dstLocal: ns ? ns.isLocal(pkt.dst) : false };
	}

	private filter(ns: Netns, chain: string, pkt: Ip4, ctx: NfCtx, inIf?: string, outIf?: string): string {
		if (!ns.netfilter.active('filter')) return 'ACCEPT';
		const view = this.view(pkt, ctx, inIf, outIf, ns);
		const res = ns.netfilter.run('filter', chain, view);
		pkt.mark = view.mark;
		const tr = this.tracing(pkt);
		if (tr && res.verdict !== 'ACCEPT') {
			tr.add({ kind: 'netfilter', at: tr.place(ns), text: `iptables: the ${chain} chain of the filter table says ${res.verdict}${res.rule ? '' : ' (its policy)'}.` });
			tr.add({ kind: 'drop', at: tr.place(ns), reason: 'netfilter', text: `The firewall of ${tr.who(ns)} ${res.verdict === 'REJECT' ? 'rejects' : 'drops'} the packet.` });
			tr.dropped = true;
		}
		return res.verdict;
	}

	/** Conntrack lookup and destination NAT at PREROUTING/OUTPUT. Returns false to drop. */
	private nfPre(ns: Netns, pkt: Ip4, ctx: NfCtx, hook: 'PREROUTING' | 'OUTPUT', inIf: string | undefined): boolean {
		const nf = ns.netfilter;
		if (!nf.conntrackOn) return true;
		const now = this.world.now;
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
		const hit = findConn(ns.conntrack, pkt.proto, pkt.src, pkt.dst, ports[0], ports[1], now);
		if (hit) {
			const ct = hit.ct;
			ctx.ct = ct;
			ctx.dir = hit.dir;
			this.track(ct, hit.dir, pkt, now);
			if (hit.dir === 'reply') {
				if (ct.orig.src !== ct.reply.dst || ct.orig.sport !== ct.reply.dport) {
					const was = pkt.dst;
					setDst(pkt, ct.orig.src, ct.orig.sport);
					const tr = this.tracing(pkt);
					if (tr) tr.add({ kind: 'nat', at: tr.place(ns), text: `conntrack recognises the reply and undoes the NAT: destination ${formatIpv4(was)} → ${formatIpv4(pkt.dst)}.`, packet: this.tracePacket(pkt) });
				}
			} else if (ct.reply.src !== ct.orig.dst || ct.reply.sport !== ct.orig.dport) setDst(pkt, ct.reply.src, ct.reply.sport);
			return true;
		}
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
		this.track(ct, 'orig', pkt, now);
		ctx.ct = ct;
		ctx.dir = 'orig';
		ctx.isNew = true;
		if (nf.tables.has('nat')) {
			const view = this.view(pkt, ctx, inIf, undefined, ns);
			const v = nf.run('nat', hook, view);
			pkt.mark = view.mark;
			if (v.verdict === 'DROP') return false;
			const to = v.rule?.target === 'DNAT' ? v.rule.toDestination : undefined;
			if (to) {
				const [ip, port] = parseTo(to);
				if (ip !== undefined) {
					const was = pkt.dst;
					setDst(pkt, ip, port ?? ports[1]);
					ct.reply.src = ip;
					ct.reply.sport = port ?? ports[1];
					const tr = this.tracing(pkt);
					if (tr) tr.add({ kind: 'nat', at: tr.place(ns), text: `DNAT: destination ${formatIpv4(was)} → ${formatIpv4(ip)}.`, packet: this.tracePacket(pkt) });
				}
			}
		}
		return true;
	}

	/** Updates timeouts and TCP state of an entry for one packet. */
	private track(ct: Conntrack, dir: 'orig' | 'reply', pkt: Ip4, now: number): void {
		if (dir === 'reply') ct.replied = true;
		if (pkt.tcp) trackTcp(ct, dir, pkt.tcp.flags, now);
		else if (pkt.proto === 17) ct.expires = now + (ct.replied ? TIMEOUT.udpReplied : TIMEOUT.udp);
		else ct.expires = now + TIMEOUT.icmp;
	}

	/** Source NAT at POSTROUTING, then the conntrack entry is confirmed. Returns false to drop. */
	private nfPost(ns: Netns, pkt: Ip4, ctx: NfCtx, out: Link): boolean {
		const ct = ctx.ct;
		if (!ct) return true;
		if (ctx.isNew) {
			const nf = ns.netfilter;
			if (nf.tables.has('nat')) {
				const view = this.view(pkt, ctx, undefined, out.name, ns);
				const v = nf.run('nat', 'POSTROUTING', view);
				if (v.verdict === 'DROP') return false;
				const rule = v.rule;
				let to: number | undefined;
				if (rule?.target === 'MASQUERADE') to = selectSrc(ns, out, pkt.dst);
				if (rule?.target === 'SNAT' && rule.toSource) to = parseTo(rule.toSource)[0];
				if (to !== undefined) {
					const was = pkt.src;
					pkt.src = to;
					ct.reply.dst = to;
					const tr = this.tracing(pkt);
					if (tr) tr.add({ kind: 'nat', at: tr.place(ns), text: `${rule?.target}: source ${formatIpv4(was)} → ${formatIpv4(to)}, remembered by conntrack.`, packet: this.tracePacket(pkt) });
				}
			}
			this.nfConfirm(ns, pkt, ctx);
		} else this.unNatSource(pkt, ctx);
		return true;
	}

	/** Source rewriting of an established flow: SNAT on the way out, undone DNAT on replies. */
	private unNatSource(pkt: Ip4, ctx: NfCtx): void {
		const ct = ctx.ct;
		if (!ct) return;
		if (ctx.dir === 'orig' && (ct.reply.dst !== ct.orig.src || ct.reply.dport !== ct.orig.sport)) setSrc(pkt, ct.reply.dst, ct.reply.dport);
		else if (ctx.dir === 'reply' && (ct.orig.dst !== ct.reply.src || ct.orig.dport !== ct.reply.sport)) setSrc(pkt, ct.orig.dst, ct.orig.dport);
	}

	private nfConfirm(ns: Netns, _pkt: Ip4, ctx: NfCtx): void {
		if (ctx.ct && ctx.isNew && !ns.conntrack.includes(ctx.ct)) ns.conntrack.push(ctx.ct);
	}

	// ---- neighbour output ---------------------------------------------------------------------

	/** Resolves the next hop and transmits; queues behind ARP when needed. */
	neighOutput(ns: Netns, dev: Link, nexthop: Ipv4, pkt: Ip4, origin: 'local' | 'forward'): void {
		if (dev.kind === 'loopback') {
			this.localDeliver(ns, pkt, dev, {});
			return;
		}
		if (!dev.running()) return;
		if (pkt.len > dev.mtu && pkt.df) {
			// DF set and too big: the router says so; without DF the packet is fragmented.
			if (origin === 'forward') this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 4, dev.mtu);
			return;
		}
		const now = this.world.now;
		let n = ns.neigh.find((x) => x.link === dev && x.ip === nexthop);
		if (n) ageNeigh(n, now, () => this.probeAnswered(ns, dev, nexthop));
		if (n && n.mac && (n.state === 'REACHABLE' || n.state === 'PERMANENT' || n.state === 'NOARP' || n.state === 'DELAY' || n.state === 'PROBE' || n.state === 'STALE')) {
			const tr = this.tracing(pkt);
			if (tr && !tr.hidden(ns)) tr.add({ kind: 'arp', leg: legOf(pkt), at: tr.place(ns, dev), text: `${tr.who(ns)} already knows ${formatIpv4(nexthop)}: ${formatMac(n.mac)} (${n.state}).` });
			if (n.state === 'STALE') {
				n.state = 'DELAY';
				n.since = now;
			}
			this.xmit(dev, { src: dev.mac, dst: n.mac, ip: pkt });
			return;
		}
		if (!n) {
			n = { link: dev, ip: nexthop, state: 'INCOMPLETE', since: now };
			ns.neigh.push(n);
		}
		const entry: Neigh = n;
		if (entry.state === 'INCOMPLETE' && entry.failAt !== undefined && entry.failAt > now) {
			(entry.queue ??= []).push({ pkt, origin });
			return;
		}
		entry.state = 'INCOMPLETE';
		entry.since = now;
		entry.queue = [{ pkt, origin }];
		delete entry.mac;
		const sender = (origin === 'local' && ns.isLocal(pkt.src) ? pkt.src : undefined) ?? selectSrc(ns, dev, nexthop) ?? 0;
		const ask = (): void => {
			this.xmit(dev, { src: dev.mac, dst: BROADCAST_MAC, arp: { op: 'request', senderMac: dev.mac, senderIp: sender, targetMac: [0, 0, 0, 0, 0, 0], targetIp: nexthop } });
		};
		const tr = this.tracing(pkt);
		const leg = tr?.leg;
		if (tr && !tr.hidden(ns)) {
			tr.add({ kind: 'arp', leg: 'arp', at: tr.place(ns, dev), text: `No neighbour entry for ${formatIpv4(nexthop)}: ${tr.who(ns)} broadcasts an ARP request “who has ${formatIpv4(nexthop)}?”.` });
			tr.leg = 'arp';
		}
		ask();
		if (tr && leg) tr.leg = leg;
		if ((entry.state as string) !== 'INCOMPLETE') return;
		if (tr && !tr.hidden(ns)) {
			tr.add({ kind: 'drop', at: tr.place(ns, dev), reason: 'no-neighbour', text: `Nobody answers the ARP request for ${formatIpv4(nexthop)}: after three tries the packet is dropped.` });
			tr.dropped = true;
		}
		// Three solicitations one second apart, then FAILED. Which comes first at the 3 s mark,
		// the failure or a ping's next packet, is a race on the kernel; these offsets match the
		// recordings (the local failure is seen after the loopback, a router's before).
		const started = now;
		entry.failAt = now + RESOLVE_MS + (origin === 'local' ? 10 : -10);
		for (const k of [1, 2]) {
			this.world.at(started + k * 1000, () => {
				if (entry.state === 'INCOMPLETE' && entry.since === started && ns.neigh.includes(entry)) ask();
			});
		}
		this.world.at(entry.failAt, () => {
			if (entry.state !== 'INCOMPLETE' || entry.since !== started) return;
			entry.state = 'FAILED';
			entry.since = this.world.now;
			delete entry.failAt;
			const queued = entry.queue ?? [];
			entry.queue = [];
			// Forwarded: the router tells the sender. Local: the error reaches the sending
			// socket through the loopback (so nothing is heard with lo down).
			for (const q of queued) this.icmpError(ns, q.pkt, ICMP.DEST_UNREACH, 1);
		});
	}

	/** Would a unicast ARP probe for `ip` out of `dev` be answered right now? */
	private probeAnswered(ns: Netns, dev: Link, ip: Ipv4): boolean {
		let answered = false;
		const saved = ns.neigh;
		// Probe on a scratch table so the real one is not disturbed.
		ns.neigh = [];
		const sender = selectSrc(ns, dev, ip) ?? 0;
		ns.neigh.push({ link: dev, ip, state: 'INCOMPLETE', since: this.world.now });
		this.xmit(dev, { src: dev.mac, dst: BROADCAST_MAC, arp: { op: 'request', senderMac: dev.mac, senderIp: sender, targetMac: [0, 0, 0, 0, 0, 0], targetIp: ip }, });
		answered = ns.neigh.some((n) => n.ip === ip && n.state === 'REACHABLE');
		ns.neigh = saved;
		return answered;
	}

	// ---- layer 2 ------------------------------------------------------------------------------

	/** Puts a frame on a device's wire. */
	xmit(dev: Link, frame: Frame): void {
		if (!dev.running()) return;
		if (++this.depth > MAX_HOPS * 4) {
			this.depth--;
			return;
		}
		try {
			dev.stats.txPackets++;
			dev.stats.txBytes += frameLen(frame);
			if (dev.kind === 'veth' && dev.peer) {
				const tr = this.tracer && (frame.ip || frame.arp) ? this.tracing(frame.ip) : undefined;
				if (tr && !tr.hidden(dev.ns) && (!frame.arp || tr.leg === 'arp' || frame.arp.op === 'request')) {
					const to = tr.place(dev.peer.ns, dev.peer, frame.ip?.dst);
					const what = frame.arp ? `The ARP ${frame.arp.op}` : frame.ip?.icmp?.type === ICMP.ECHO_REPLY ? 'The echo reply' : frame.ip?.icmp?.type === ICMP.ECHO_REQUEST ? 'The echo request' : 'The packet';
					const where = 'switch' in to ? `into ${to.switch}` : 'node' in to ? 'up the uplink to the home router' : `across the veth pair to ${to.dev} in ${tr.who(dev.peer.ns)}`;
					tr.add({ kind: 'wire', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(dev.ns, dev), to, text: `${what} leaves ${dev.name} ${where}.`, packet: frame.ip ? this.tracePacket(frame.ip, frame) : undefined });
				}
				this.receive(dev.peer, frame);
			}
			else if (dev.kind === 'bridge') this.bridgeForward(dev, undefined, frame);
			else if (dev.kind === 'loopback') this.receive(dev, frame);
			else if (dev.kind === 'macvlan' && dev.lower) this.macvlanXmit(dev, frame);
			else if (dev.kind === 'vxlan') this.vxlanXmit(dev, frame);
		} finally {
			this.depth--;
		}
	}

	/** VXLAN: the frame goes, in UDP, to the remote(s) its fdb names (all-zero MAC: default). */
	private vxlanXmit(dev: Link, frame: Frame): void {
		const vx = dev.vxlan;
		if (!vx) return;
		const exact = isGroupMac(frame.dst) ? [] : dev.vxlanFdb.filter((e) => sameMac(e.mac, frame.dst));
		const remotes = exact.length ? exact.map((e) => e.dst) : dev.vxlanFdb.filter((e) => e.mac.every((b) => b === 0)).map((e) => e.dst);
		if (!exact.length && vx.remote !== undefined) remotes.push(vx.remote);
		const inner = frame.ip ? frame.ip.len + 14 : 42;
		for (const remote of [...new Set(remotes)]) {
			const outer: Ip4 = { src: vx.local ?? 0, dst: remote, ttl: 64, proto: 17, len: inner + 36, df: false, udp: { sport: 49152 + (vx.id % 16384), dport: vx.dstport, vni: vx.id, frame } };
			this.sendLocal(dev.ns, outer, vx.lower);
		}
	}

	private macvlanXmit(dev: Link, frame: Frame): void {
		const lower = dev.lower as Link;
		const siblings = lower.ns.links.filter((l) => l.kind === 'macvlan' && l.lower === lower && l !== dev);
		if (dev.macvlanMode === 'bridge') {
			for (const s of siblings) if (isGroupMac(frame.dst) || sameMac(s.mac, frame.dst)) this.receive(s, frame);
			if (!isGroupMac(frame.dst) && siblings.some((s) => sameMac(s.mac, frame.dst))) return;
		}
		this.xmit(lower, frame);
	}

	/** A frame arrives on a device. */
	receive(dev: Link, frame: Frame): void {
		if (!dev.running()) return;
		dev.stats.rxPackets++;
		dev.stats.rxBytes += frameLen(frame);
		if (dev.master && dev.master.kind === 'bridge') {
			this.bridgeForward(dev.master, dev, frame);
			return;
		}
		const macvlans = dev.ns.world.namespaces.flatMap((n) => n.links.filter((l) => l.kind === 'macvlan' && l.lower === dev));
		for (const m of macvlans) if (isGroupMac(frame.dst) || sameMac(m.mac, frame.dst)) this.netifReceive(m, frame);
		if (macvlans.some((m) => sameMac(m.mac, frame.dst))) return;
		if (isGroupMac(frame.dst) || sameMac(frame.dst, dev.mac)) this.netifReceive(dev, frame);
	}

	/** Bridge input: learn, then deliver up, forward to one port, or flood. */
	private bridgeForward(br: Link, inPort: Link | undefined, frame: Frame): void {
		if (!br.adminUp) return;
		const now = this.world.now;
		if (inPort && !isGroupMac(frame.src) && !br.fdb.some((e) => e.permanent && sameMac(e.mac, frame.src))) {
			const e = br.fdb.find((x) => sameMac(x.mac, frame.src));
			if (e && !e.static) {
				e.port = inPort;
				e.updated = now;
			} else if (!e) br.fdb.push({ mac: frame.src, port: inPort, permanent: false, static: false, updated: now });
		}
		const ports = br.ports().filter((p) => p.running());
		const local = sameMac(frame.dst, br.mac) || br.ports().some((p) => sameMac(p.mac, frame.dst));
		if (inPort && local) {
			if (frame.ip && br.ns.get('net.bridge.bridge-nf-call-iptables') !== '0' && br.ns.netfilter.conntrackOn) {
				this.bridgedDnat(br, inPort, frame);
				return;
			}
			this.netifReceive(br, frame);
			return;
		}
		if (inPort && frame.ip && !this.bridgeFilter(br, frame)) return;
		const tr = this.tracer && (frame.ip || frame.arp) ? this.tracing(frame.ip) : undefined;
		const traceTo = (out: Link, flood: boolean): void => {
			if (!tr) return;
			const dest = tr.hidden(br.ns) && out.peer ? tr.place(out.peer.ns, out.peer) : tr.place(br.ns, out);
			const here = tr.place(br.ns, br);
			if ('node' in here) {
				// The home router's side of the uplink: only the way back down is worth a step.
				if ('host' in dest) tr.add({ kind: 'wire', leg: frame.arp ? 'arp' : legOf(frame.ip), at: here, to: dest, text: `${frame.arp ? `The ARP ${frame.arp.op}` : frame.ip?.icmp?.type === ICMP.ECHO_REPLY ? 'The echo reply' : 'The packet'} comes back down the uplink to ${dest.dev ?? 'the host'}.` });
				return;
			}
			const name = 'switch' in here ? here.switch : 'node' in here ? 'The home router’s switch' : br.name;
			tr.add({ kind: 'bridge', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(br.ns, br), to: dest, text: flood ? `${name} floods the ${isGroupMac(frame.dst) ? 'broadcast' : 'frame for an unknown MAC'} to every other port.` : `${name} knows ${formatMac(frame.dst)} from its forwarding table: it sends the frame out of that port only.` });
		};
		if (isGroupMac(frame.dst)) {
			const outs = ports.filter((p) => p !== inPort);
			if (outs[0]) traceTo(outs[0], true);
			for (const p of ports) if (p !== inPort) this.xmit(p, frame);
			if (inPort) this.netifReceive(br, frame);
			return;
		}
		const e = br.fdb.find((x) => sameMac(x.mac, frame.dst) && !x.permanent);
		if (e) {
			if (e.port !== inPort && ports.includes(e.port)) {
				traceTo(e.port, false);
				this.xmit(e.port, frame);
			}
			return;
		}
		const outs = ports.filter((p) => p !== inPort);
		if (outs[0]) traceTo(outs[0], true);
		for (const p of outs) this.xmit(p, frame);
	}

	/**
	 * br_netfilter on a frame for the bridge itself: PREROUTING runs first; when DNAT sends the
	 * packet to a host on the same bridge, it is bridged there (not routed), so going back out
	 * of the port it came in needs that port's hairpin mode.
	 */
	private bridgedDnat(br: Link, inPort: Link, frame: Frame): void {
		const ns = br.ns;
		const pkt = clonePacket(frame.ip as Ip4);
		const ctx: NfCtx = {};
		const before = pkt.dst;
		if (!this.nfPre(ns, pkt, ctx, 'PREROUTING', br.name)) return;
		const rt = pkt.dst !== before ? routeInput(ns, pkt.dst, br) : undefined;
		if (!rt || typeof rt === 'string' || rt.type !== 'unicast' || rt.dev !== br) {
			this.ipReceive(ns, br, pkt, ctx);
			return;
		}
		const nh = rt.gateway ?? pkt.dst;
		let n = ns.neigh.find((x) => x.link === br && x.ip === nh && x.mac);
		if (!n) {
			const src = selectSrc(ns, br, nh) ?? 0;
			ns.neigh.push({ link: br, ip: nh, state: 'INCOMPLETE', since: this.world.now });
			this.xmit(br, { src: br.mac, dst: BROADCAST_MAC, arp: { op: 'request', senderMac: br.mac, senderIp: src, targetMac: [0, 0, 0, 0, 0, 0], targetIp: nh } });
			n = ns.neigh.find((x) => x.link === br && x.ip === nh && x.mac);
			if (!n?.mac) return;
		}
		const mac = n.mac as Mac;
		const v = this.filter(ns, 'FORWARD', pkt, ctx, br.name, br.name);
		if (v === 'REJECT') this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 3);
		if (v !== 'ACCEPT') return;
		if (!this.nfPost(ns, pkt, ctx, br)) return;
		const e = br.fdb.find((x) => sameMac(x.mac, mac) && !x.permanent);
		const out = e?.port;
		if (!out) {
			for (const p of br.ports()) if (p !== inPort && p.running()) this.xmit(p, { src: frame.src, dst: mac, ip: pkt });
			return;
		}
		if (out === inPort && !out.hairpin) return;
		this.xmit(out, { src: frame.src, dst: mac, ip: pkt });
	}

	/** br_netfilter: bridged IPv4 goes through conntrack and the FORWARD chain of the bridge's namespace. */
	private bridgeFilter(br: Link, frame: Frame): boolean {
		const ns = br.ns;
		if (ns.get('net.bridge.bridge-nf-call-iptables') === '0' || !frame.ip) return true;
		const pkt = frame.ip;
		const ctx: NfCtx = {};
		if (!this.nfPre(ns, pkt, ctx, 'PREROUTING', br.name)) return false;
		const v = this.filter(ns, 'FORWARD', pkt, ctx, br.name, br.name);
		if (v === 'REJECT') this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 3);
		if (v !== 'ACCEPT') return false;
		if (ctx.ct && ctx.isNew) this.nfConfirm(ns, pkt, ctx);
		else this.unNatSource(pkt, ctx);
		return true;
	}

	/** A frame for this host: ARP or IPv4. */
	private netifReceive(dev: Link, frame: Frame): void {
		const ns = dev.ns;
		if (frame.arp) this.arpReceive(ns, dev, frame.arp);
		else if (frame.ip) this.ipReceive(ns, dev, clonePacket(frame.ip));
	}

	private arpReceive(ns: Netns, dev: Link, arp: NonNullable<Frame['arp']>): void {
		const now = this.world.now;
		const existing = ns.neigh.find((n) => n.link === dev && n.ip === arp.senderIp);
		if (arp.op === 'reply') {
			if (existing && existing.state !== 'PERMANENT') {
				existing.mac = arp.senderMac;
				existing.state = 'REACHABLE';
				existing.since = now;
				delete existing.failAt;
				const queued = existing.queue ?? [];
				existing.queue = [];
				for (const q of queued) this.xmit(dev, { src: dev.mac, dst: arp.senderMac, ip: q.pkt });
			}
			return;
		}
		if (!ns.isLocal(arp.targetIp) || isLoopback(arp.targetIp)) return;
		if (!ns.v4().some((a) => a.local === arp.targetIp && a.link.kind !== 'loopback')) return;
		if (arp.senderIp !== 0) {
			if (!existing) ns.neigh.push({ link: dev, ip: arp.senderIp, mac: arp.senderMac, state: 'STALE', since: now });
			else if (existing.state !== 'PERMANENT' && (!existing.mac || !sameMac(existing.mac, arp.senderMac) || existing.state === 'INCOMPLETE' || existing.state === 'FAILED')) {
				existing.mac = arp.senderMac;
				existing.state = 'STALE';
				existing.since = now;
				delete existing.failAt;
			}
		}
		const tr = this.tracing();
		if (tr && !tr.hidden(ns)) tr.add({ kind: 'arp', leg: 'arp', at: tr.place(ns, dev), text: `${tr.who(ns)} owns ${formatIpv4(arp.targetIp)}: it notes the asker’s MAC and answers with its own, ${formatMac(dev.mac)}.` });
		this.xmit(dev, { src: dev.mac, dst: arp.senderMac, arp: { op: 'reply', senderMac: dev.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp } });
	}

	// ---- IPv4 input and forwarding ------------------------------------------------------------

	private ipReceive(ns: Netns, dev: Link, pkt: Ip4, pre?: NfCtx): void {
		const martian = (): boolean => isLoopback(pkt.dst) && dev.kind !== 'loopback' && ns.get(`net.ipv4.conf.${dev.name.replaceAll('.', '/')}.route_localnet`) !== '1';
		if (martian()) return;
		const ctx: NfCtx = pre ?? {};
		if (!pre && !this.nfPre(ns, pkt, ctx, 'PREROUTING', dev.name)) return;
		// 127.0.0.0/8 from the wire is dropped unless route_localnet (checked after de-NAT too).
		if (martian()) return;
		const rt = routeInput(ns, pkt.dst, dev);
		const tr = this.tracing(pkt);
		if (tr && typeof rt === 'string') {
			const why = rt === 'ENETUNREACH' ? 'no-route' : rt === 'EHOSTUNREACH' ? (ns.forwarding() ? 'no-route' : 'forwarding-off') : 'other';
			const text =
				why === 'forwarding-off'
					? `${tr.who(ns)} is not the destination and does not forward (net.ipv4.ip_forward = 0): it drops the packet silently.`
					: why === 'no-route'
						? `${tr.who(ns)} would forward the packet but has no route to ${formatIpv4(pkt.dst)}.`
						: `${tr.who(ns)} drops the packet.`;
			tr.add({ kind: 'drop', at: tr.place(ns, dev, pkt.dst), reason: why, text });
			tr.dropped = true;
		}
		if (typeof rt === 'string') {
			if (rt === 'ENETUNREACH') this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 0);
			else if (rt === 'EHOSTUNREACH' && ns.forwarding()) this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 1);
			return;
		}
		if (rt.type === 'local' || rt.type === 'broadcast') {
			if (rt.type === 'broadcast' && ns.get('net.ipv4.icmp_echo_ignore_broadcasts') !== '0') return;
			const v = this.filter(ns, 'INPUT', pkt, ctx, dev.name, undefined);
			if (v === 'DROP') return;
			if (v === 'REJECT') {
				this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 3);
				return;
			}
			this.nfConfirm(ns, pkt, ctx);
			if (ctx.dir === 'reply') this.unNatSource(pkt, ctx);
			this.localDeliver(ns, pkt, dev, ctx);
			return;
		}
		// forward
		if (pkt.ttl <= 1) {
			if (tr) {
				tr.add({ kind: 'drop', at: tr.place(ns, dev), reason: 'ttl', text: `The TTL has run out at ${tr.who(ns)}: it drops the packet and tells the sender (Time to live exceeded).` });
				tr.dropped = true;
			}
			this.icmpError(ns, pkt, ICMP.TIME_EXCEEDED, 0);
			return;
		}
		if (tr && !tr.hidden(ns)) {
			this.traceRoute(tr, ns, rt.route, rt.dev, pkt.dst);
			tr.add({ kind: 'forward', leg: legOf(pkt), at: tr.place(ns, rt.dev), text: `${tr.who(ns)} is a router here (net.ipv4.ip_forward = 1): it forwards the packet out of ${rt.dev.name}, TTL ${pkt.ttl} → ${pkt.ttl - 1}.`, packet: { ...this.tracePacket(pkt), ttl: pkt.ttl - 1 } });
		}
		const v = this.filter(ns, 'FORWARD', pkt, ctx, dev.name, rt.dev.name);
		if (v === 'DROP') return;
		if (v === 'REJECT') {
			this.icmpError(ns, pkt, ICMP.DEST_UNREACH, 3);
			return;
		}
		pkt.ttl -= 1;
		if (!this.nfPost(ns, pkt, ctx, rt.dev)) return;
		this.neighOutput(ns, rt.dev, rt.gateway ?? pkt.dst, pkt, 'forward');
	}

	/** Hands a packet to the local stack: echo requests are answered, replies go to sockets. */
	private localDeliver(ns: Netns, pkt: Ip4, _dev: Link, _ctx: NfCtx): void {
		if (pkt.proto === 6 && pkt.tcp) {
			this.tcpDeliver(ns, pkt);
			return;
		}
		const udp = pkt.udp;
		if (pkt.proto === 17 && udp?.vni !== undefined && udp.frame) {
			const vxdev = ns.links.find((l) => l.kind === 'vxlan' && l.vxlan?.id === udp.vni && l.vxlan?.dstport === udp.dport && l.running());
			if (vxdev) {
				const f = udp.frame;
				this.receive(vxdev, { ...f, ip: f.ip ? clonePacket(f.ip) : undefined });
			}
			return;
		}
		const ic = pkt.icmp;
		if (pkt.proto !== 1 || !ic) return;
		const now = this.world.now;
		if (ic.type === ICMP.ECHO_REQUEST) {
			const tr = this.tracing(pkt);
			if (tr && !tr.delivered) {
				tr.add({ kind: 'deliver', leg: 'request', at: tr.place(ns, _dev.kind === 'loopback' || tr.hidden(ns) ? undefined : _dev, pkt.dst), text: `The packet is for ${'node' in tr.place(ns, undefined, pkt.dst) && (tr.place(ns, undefined, pkt.dst) as { node: string }).node === 'internet' ? `the internet (${formatIpv4(pkt.dst)})` : `${tr.who(ns)} (${formatIpv4(pkt.dst)})`}: it answers the echo request.`, packet: this.tracePacket(pkt) });
				tr.delivered = true;
				tr.leg = 'reply';
			}
			if (ns.get('net.ipv4.icmp_echo_ignore_all') === '1') return;
			const ttl = Number(ns.get('net.ipv4.ip_default_ttl') ?? 64) || 64;
			const reply: Ip4 = { src: pkt.dst, dst: pkt.src, ttl, proto: 1, len: pkt.len, df: false, icmp: { type: ICMP.ECHO_REPLY, code: 0, id: ic.id, seq: ic.seq } };
			if (!ns.isLocal(reply.src)) reply.src = 0;
			this.sendLocal(ns, reply);
			return;
		}
		if (ic.type === ICMP.ECHO_REPLY) {
			const tr = this.tracing(pkt);
			if (tr && this.sockets.some((s) => s.ns === ns && s.id === ic.id)) {
				tr.add({ kind: 'deliver', leg: 'reply', at: tr.place(ns, _dev.kind === 'loopback' ? undefined : _dev), text: `${tr.who(ns)} receives the echo reply: ping prints its line.`, packet: this.tracePacket(pkt) });
				tr.replied = true;
			}
			for (const s of this.sockets) if (s.ns === ns && s.id === ic.id) s.events.push({ kind: 'reply', seq: ic.seq, ttl: pkt.ttl, from: pkt.src, len: pkt.len, at: now });
			return;
		}
		const inner = ic.inner;
		if (inner?.tcp) {
			const t = inner.tcp;
			for (const s of this.tcpSockets) if (s.ns === ns && s.lport === t.sport && s.local === inner.src) s.events.push({ flags: '', icmp: true, at: now });
			return;
		}
		if (inner?.icmp && inner.icmp.type === ICMP.ECHO_REQUEST) {
			for (const s of this.sockets)
				if (s.ns === ns && s.id === inner.icmp.id) s.events.push({ kind: 'error', seq: inner.icmp.seq, from: pkt.src, type: ic.type, code: ic.code, mtu: ic.mtu, at: now });
		}
	}

	/** A TCP segment for this host: a client socket's, or a listener's, or answered with RST. */
	private tcpDeliver(ns: Netns, pkt: Ip4): void {
		const t = pkt.tcp;
		if (!t) return;
		const now = this.world.now;
		const sock = this.tcpSockets.find((s) => s.ns === ns && s.lport === t.dport && s.local === pkt.dst && s.remote === pkt.src && s.rport === t.sport);
		if (sock) {
			sock.events.push({ flags: t.flags, payload: t.payload, at: now });
			return;
		}
		const reply = (flags: string, payload?: string): void => {
			this.sendLocal(ns, segment(pkt.dst, pkt.src, t.dport, t.sport, flags, payload));
		};
		const l = this.listeners.find((x) => x.ns === ns && x.port === t.dport && (x.addr === undefined || x.addr === pkt.dst));
		if (!l) {
			if (!t.flags.includes('R')) reply('RA');
			return;
		}
		if (t.flags.includes('S')) reply('SA');
		else if (t.payload) {
			const path = /^[A-Z]+ (\S+)/.exec(t.payload)?.[1] ?? '/';
			reply('PA', l.respond(path));
			// HTTP/1.0: the server closes after the response.
			reply('FA');
		} else if (t.flags.includes('F')) reply('A');
	}

	/** The packet as a trace shows it. */
	private tracePacket(pkt: Ip4, frame?: Frame): { what: string; src: string; dst: string; ttl: number; srcMac?: string; dstMac?: string } {
		const what = pkt.icmp ? (pkt.icmp.type === ICMP.ECHO_REQUEST ? 'icmp echo-request' : pkt.icmp.type === ICMP.ECHO_REPLY ? 'icmp echo-reply' : 'icmp error') : pkt.tcp ? 'tcp' : pkt.udp ? 'udp' : 'ip';
		const out: { what: string; src: string; dst: string; ttl: number; srcMac?: string; dstMac?: string } = { what, src: formatIpv4(pkt.src), dst: formatIpv4(pkt.dst), ttl: pkt.ttl };
		if (frame) {
			out.srcMac = formatMac(frame.src);
			out.dstMac = formatMac(frame.dst);
		}
		return out;
	}

	/** icmp_send: an error back to the packet's sender, from this namespace. */
	icmpError(ns: Netns, orig: Ip4, type: number, code: number, mtu?: number): void {
		if (orig.icmp && orig.icmp.type !== ICMP.ECHO_REQUEST && orig.icmp.type !== ICMP.ECHO_REPLY) return;
		if (orig.tcp?.flags.includes('R')) return;
		const local = ns.isLocal(orig.dst) ? orig.dst : ns.isLocal(orig.src) ? orig.src : undefined;
		const err: Ip4 = { src: local ?? 0, dst: orig.src, ttl: 64, proto: 1, len: 112, df: false, icmp: { type, code, id: 0, seq: 0, inner: clonePacket(orig), mtu } };
		this.sendLocal(ns, err);
	}
}

/** Which leg of the traced exchange a packet is on. */
function legOf(pkt: Ip4 | undefined): 'request' | 'reply' {
	return pkt?.icmp?.type === ICMP.ECHO_REPLY ? 'reply' : 'request';
}

function frameLen(f: Frame): number {
	return f.ip ? f.ip.len + 14 : 42;
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

/** Re-exported for the tools. */
export type { Mac };

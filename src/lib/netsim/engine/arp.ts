/**
 * ARP and neighbour output: resolving a next hop before a packet leaves, with the kernel's
 * timings (three solicitations one second apart, queued packets, FAILED at 3 s reported as Host
 * Unreachable), STALE → DELAY on use, and answering requests for our own addresses.
 */
import { formatIpv4, isLoopback, type Ipv4 } from '../addr/ipv4.ts';
import { BROADCAST_MAC, formatMac, sameMac, type Mac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import { ageNeigh, RESOLVE_MS, type Neigh } from '../model/neigh.ts';
import type { Netns } from '../model/netns.ts';
import { ICMP, type Arp, type Frame, type Ip4 } from '../model/packet.ts';
import { routeInput, selectSrc } from './route.ts';
import type { Stack } from './stack.ts';
import { legOf, tracing } from './trace.ts';

/** A broadcast "who has `target`?" from `dev`, as `sender`. */
function arpRequest(dev: Link, sender: Ipv4, target: Ipv4): Frame {
	return { src: dev.mac, dst: BROADCAST_MAC, arp: { op: 'request', senderMac: dev.mac, senderIp: sender, targetMac: [0, 0, 0, 0, 0, 0], targetIp: target } };
}

/**
 * One solicitation with a fresh INCOMPLETE entry for `ip` on `dev`. Delivery is synchronous,
 * so when this returns the entry is REACHABLE if anyone answered.
 */
export function solicit(stack: Stack, ns: Netns, dev: Link, ip: Ipv4): void {
	const sender = selectSrc(ns, dev, ip) ?? 0;
	ns.neigh.push({ link: dev, ip, state: 'INCOMPLETE', since: stack.world.now });
	stack.xmit(dev, arpRequest(dev, sender, ip));
}

/** Resolves the next hop and transmits; queues behind ARP when needed. */
export function neighOutput(stack: Stack, ns: Netns, dev: Link, nexthop: Ipv4, pkt: Ip4, origin: 'local' | 'forward'): void {
	if (dev.kind === 'loopback') {
		stack.localDeliver(ns, pkt, dev);
		return;
	}
	// Without carrier the kernel still resolves: the entry goes INCOMPLETE and its solicitations
	// are lost on the dead link (and answered if carrier comes back before they run out).
	if (!dev.adminUp) return;
	if (pkt.len > dev.mtu && pkt.df) {
		// DF set and too big: the router says so; without DF the packet is fragmented.
		if (origin === 'forward') stack.icmpError(ns, pkt, ICMP.DEST_UNREACH, 4, dev.mtu);
		return;
	}
	const now = stack.world.now;
	let n = ns.neigh.find((x) => x.link === dev && x.ip === nexthop);
	if (n) ageNeigh(n, now, () => probeAnswered(stack, ns, dev, nexthop));
	if (n && n.mac && (n.state === 'REACHABLE' || n.state === 'PERMANENT' || n.state === 'NOARP' || n.state === 'DELAY' || n.state === 'PROBE' || n.state === 'STALE')) {
		const tr = tracing(stack.tracer, pkt);
		if (tr && !tr.hidden(ns)) tr.add({ kind: 'arp', leg: legOf(pkt), at: tr.place(ns, dev), text: `${tr.who(ns)} already knows ${formatIpv4(nexthop)}: ${formatMac(n.mac)} (${n.state}).` });
		if (n.state === 'STALE') {
			n.state = 'DELAY';
			n.since = now;
		}
		stack.xmit(dev, { src: dev.mac, dst: n.mac, ip: pkt });
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
	const ask = (): void => stack.xmit(dev, arpRequest(dev, sender, nexthop));
	const tr = tracing(stack.tracer, pkt);
	const leg = tr?.leg;
	if (tr && !tr.hidden(ns)) {
		tr.add({ kind: 'arp', leg: 'arp', at: tr.place(ns, dev), text: `No neighbour entry for ${formatIpv4(nexthop)}: ${tr.who(ns)} broadcasts an ARP request “who has ${formatIpv4(nexthop)}?”.` });
		tr.leg = 'arp';
	}
	ask();
	if (tr && leg) tr.leg = leg;
	if ((entry.state as string) !== 'INCOMPLETE') return;
	if (tr && !tr.hidden(ns)) {
		tr.add({ kind: 'drop', leg: legOf(pkt), at: tr.place(ns, dev), reason: 'no-neighbour', text: `Nobody answers the ARP request for ${formatIpv4(nexthop)}: after three tries the packet is dropped.` });
		tr.dropped = true;
	}
	// Three solicitations one second apart, then FAILED. Which comes first at the 3 s mark,
	// the failure or a ping's next packet, is a race on the kernel; these offsets match the
	// recordings (the local failure is seen after the loopback, a router's before).
	const started = now;
	entry.failAt = now + RESOLVE_MS + (origin === 'local' ? 10 : -10);
	for (const k of [1, 2]) {
		stack.world.at(started + k * 1000, () => {
			if (entry.state === 'INCOMPLETE' && entry.since === started && ns.neigh.includes(entry)) ask();
		});
	}
	stack.world.at(entry.failAt, () => {
		if (entry.state !== 'INCOMPLETE' || entry.since !== started) return;
		entry.state = 'FAILED';
		entry.since = stack.world.now;
		delete entry.failAt;
		const queued = entry.queue ?? [];
		entry.queue = [];
		// Forwarded: the router tells the sender. Local: the error reaches the sending
		// socket through the loopback (so nothing is heard with lo down).
		for (const q of queued) stack.icmpError(ns, q.pkt, ICMP.DEST_UNREACH, 1);
	});
}

/** Would a unicast ARP probe for `ip` out of `dev` be answered right now? */
function probeAnswered(stack: Stack, ns: Netns, dev: Link, ip: Ipv4): boolean {
	const saved = ns.neigh;
	// Probe on a scratch table so the real one is not disturbed.
	ns.neigh = [];
	solicit(stack, ns, dev, ip);
	const answered = ns.neigh.some((n) => n.ip === ip && n.state === 'REACHABLE');
	ns.neigh = saved;
	return answered;
}

/** Records a neighbour's MAC in a new state; a pending failure no longer applies. */
function learn(n: Neigh, mac: Mac, state: 'REACHABLE' | 'STALE', now: number): void {
	n.mac = mac;
	n.state = state;
	n.since = now;
	delete n.failAt;
}

/** An ARP message for this host: a reply completes an entry and flushes its queue; a request for one of our addresses is answered. */
export function arpReceive(stack: Stack, ns: Netns, dev: Link, arp: Arp): void {
	const now = stack.world.now;
	const existing = ns.neigh.find((n) => n.link === dev && n.ip === arp.senderIp);
	if (arp.op === 'reply') {
		if (existing && existing.state !== 'PERMANENT') {
			learn(existing, arp.senderMac, 'REACHABLE', now);
			const queued = existing.queue ?? [];
			existing.queue = [];
			for (const q of queued) stack.xmit(dev, { src: dev.mac, dst: arp.senderMac, ip: q.pkt });
		}
		return;
	}
	if (!ns.isLocal(arp.targetIp) || isLoopback(arp.targetIp)) return;
	if (!ns.v4().some((a) => a.local === arp.targetIp && a.link.kind !== 'loopback')) return;
	// arp_process routes a request as a packet from the asker (ip_route_input): a martian asker,
	// or one that reverse-path filtering refuses on this device, gets no answer.
	if (arp.senderIp !== 0 && typeof routeInput(ns, arp.targetIp, dev, arp.senderIp) === 'string') return;
	if (arp.senderIp !== 0) {
		// The asker is noted STALE, as the kernel does (it will be confirmed when used).
		if (!existing) ns.neigh.push({ link: dev, ip: arp.senderIp, mac: arp.senderMac, state: 'STALE', since: now });
		else if (existing.state !== 'PERMANENT' && (!existing.mac || !sameMac(existing.mac, arp.senderMac) || existing.state === 'INCOMPLETE' || existing.state === 'FAILED')) learn(existing, arp.senderMac, 'STALE', now);
	}
	const tr = tracing(stack.tracer);
	if (tr && !tr.hidden(ns)) tr.add({ kind: 'arp', leg: 'arp', at: tr.place(ns, dev), text: `${tr.who(ns)} owns ${formatIpv4(arp.targetIp)}: it notes the asker’s MAC and answers with its own, ${formatMac(dev.mac)}.` });
	stack.xmit(dev, { src: dev.mac, dst: arp.senderMac, arp: { op: 'reply', senderMac: dev.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp } });
}

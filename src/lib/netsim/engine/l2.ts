/**
 * Layer 2: frames on veth pairs, bridges (FDB learning, forwarding, flooding, delivery up to
 * the bridge itself) and macvlan devices, and the hand-off of a frame for this host to ARP or
 * IPv4. VXLAN encapsulation is in vxlan.ts; br_netfilter in br-netfilter.ts.
 */
import { formatMac, isGroupMac, sameMac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import { arpReceive } from './arp.ts';
import { bridgedDnat, bridgeFilter, brNfOn } from './br-netfilter.ts';
import { clonePacket, frameLen, ICMP, type Frame } from '../model/packet.ts';
import type { Stack } from './stack.ts';
import { legOf, traceFrame, tracing } from './trace.ts';
import { tap } from './tap.ts';
import { vxlanXmit } from './vxlan.ts';

/** Puts a frame on a running device's wire, by the device's kind (dev_queue_xmit). */
export function devXmit(stack: Stack, dev: Link, frame: Frame): void {
	xmitCount(dev, frame);
	xmitOut(stack, dev, frame);
}

/** What every transmitted frame passes first: the device's counters and its captures (dev_queue_xmit_nit). */
function xmitCount(dev: Link, frame: Frame): void {
	dev.stats.txPackets++;
	dev.stats.txBytes += frameLen(frame);
	// libpcap drops what lo sends: the same frame comes back in at once (pcap-linux.c).
	if (dev.kind !== 'loopback') tap(dev, frame, 'out');
}

/** The frame leaves by the device's kind: its wire, its bridge, lo, its lower device, a tunnel. */
function xmitOut(stack: Stack, dev: Link, frame: Frame): void {
	const far = dev.farEnd();
	if (far) {
		const tr = stack.tracer && (frame.ip || frame.arp) ? tracing(stack.tracer, frame.ip) : undefined;
		// ARP replies are only worth a step while the walk is on its ARP leg.
		if (tr && !tr.hidden(dev.ns) && (!frame.arp || tr.leg === 'arp' || frame.arp.op === 'request')) {
			const to = tr.place(far.ns, far, frame.ip?.dst);
			const what = frame.arp ? `The ARP ${frame.arp.op}` : frame.ip?.icmp?.type === ICMP.ECHO_REPLY ? 'The echo reply' : frame.ip?.icmp?.type === ICMP.ECHO_REQUEST ? 'The echo request' : 'The packet';
			const across = (dev: string | undefined): string => (far.kind === 'nic' ? `down the cable to ${dev}` : `across the veth pair to ${dev}`);
			const where = 'switch' in to ? `into ${to.switch}` : 'node' in to ? 'up the uplink to the home router' : `${across(to.dev)} in ${tr.who(far.ns)}`;
			tr.add({ kind: 'wire', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(dev.ns, dev), to, text: `${what} leaves ${dev.name} ${where}.`, packet: traceFrame(frame) });
		}
		stack.receive(far, frame);
	} else if (dev.kind === 'bridge') bridgeForward(stack, dev, undefined, frame);
	else if (dev.kind === 'loopback') stack.receive(dev, frame);
	else if (dev.kind === 'macvlan' && dev.lower) macvlanXmit(stack, dev, frame);
	else if (dev.kind === 'vxlan') vxlanXmit(stack, dev, frame);
}

/** The macvlans stacked on `lower` that are up (the driver's hash of open devices), wherever they are. */
function macvlansOn(lower: Link): Link[] {
	return lower.ns.world.namespaces.flatMap((n) => n.links.filter((l) => l.kind === 'macvlan' && l.lower === lower && l.running()));
}

/**
 * macvlan_queue_xmit. In bridge mode a broadcast or multicast frame is copied to every other
 * bridge-mode macvlan on the same lower device and also goes out on its wire; a unicast frame for
 * a bridge-mode sibling is handed across inside the kernel (through the lower device's receive
 * path, where its captures see it), never reaching the wire. Everything else, and every frame of
 * the other modes, leaves through the lower device. The lower device's own stack is not a
 * sibling: frames between it and its macvlans only ever meet on the wire.
 */
function macvlanXmit(stack: Stack, dev: Link, frame: Frame): void {
	const lower = dev.lower as Link;
	if (dev.macvlanMode === 'bridge') {
		const siblings = macvlansOn(lower).filter((l) => l !== dev && l.macvlanMode === 'bridge');
		if (isGroupMac(frame.dst)) {
			// The copies wait in the backlog while the frame goes out at once: captures on the lower
			// device see it leave before any sibling answers.
			if (!lower.running()) return;
			xmitCount(lower, frame);
			if (siblings[0]) traceCopies(stack, dev, siblings, frame);
			for (const s of siblings) stack.receive(s, frame);
			xmitOut(stack, lower, frame);
			return;
		}
		const dest = siblings.find((s) => sameMac(s.mac, frame.dst));
		if (dest) {
			traceSibling(stack, dev, dest, frame);
			tap(lower, frame, 'in');
			stack.receive(dest, frame);
			return;
		}
	}
	stack.xmit(lower, frame);
}

/** The walk's step for a broadcast a bridge-mode macvlan copies to its siblings. */
function traceCopies(stack: Stack, dev: Link, siblings: Link[], frame: Frame): void {
	const tr = stack.tracer && (frame.ip || frame.arp) ? tracing(stack.tracer, frame.ip) : undefined;
	const first = siblings[0];
	if (!tr || !first || tr.hidden(dev.ns) || (frame.arp && tr.leg !== 'arp')) return;
	const lower = dev.lower as Link;
	const what = frame.arp ? `The ARP ${frame.arp.op}` : 'The packet';
	const names = siblings.map((s) => `${s.name} in ${tr.who(s.ns)}`).join(', ');
	tr.add({ kind: 'bridge', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(dev.ns, dev), to: tr.place(first.ns, first), text: `${what} is a broadcast: it goes out of ${lower.name} to the wire, and the macvlan driver hands a copy to every other macvlan on ${lower.name} in bridge mode (${names}).`, packet: traceFrame(frame) });
}

/** The walk's step for a frame one macvlan hands to a sibling on the same lower device. */
function traceSibling(stack: Stack, dev: Link, dest: Link, frame: Frame): void {
	const tr = stack.tracer && (frame.ip || frame.arp) ? tracing(stack.tracer, frame.ip) : undefined;
	if (!tr || tr.hidden(dev.ns) || (frame.arp && tr.leg !== 'arp')) return;
	const what = frame.arp ? `The ARP ${frame.arp.op}` : frame.ip?.icmp?.type === ICMP.ECHO_REPLY ? 'The echo reply' : frame.ip?.icmp?.type === ICMP.ECHO_REQUEST ? 'The echo request' : 'The packet';
	const lower = dev.lower as Link;
	tr.add({ kind: 'bridge', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(dev.ns, dev), to: tr.place(dest.ns, dest), text: `${what} is for ${formatMac(frame.dst)}, the address of ${dest.name}, another macvlan on ${lower.name} in bridge mode: the macvlan driver hands it straight across to ${dest.name} in ${tr.who(dest.ns)}, without putting it on ${lower.name}’s wire.`, packet: traceFrame(frame) });
}

/** A frame arrives on a running device: to its bridge, to macvlans above it, or up the stack. */
export function devReceive(stack: Stack, dev: Link, frame: Frame): void {
	dev.stats.rxPackets++;
	dev.stats.rxBytes += frameLen(frame);
	tap(dev, frame, 'in');
	if (dev.master && dev.master.kind === 'bridge') {
		bridgeForward(stack, dev.master, dev, frame);
		return;
	}
	const macvlans = dev.ns.world.namespaces.flatMap((n) => n.links.filter((l) => l.kind === 'macvlan' && l.lower === dev));
	for (const m of macvlans) if (isGroupMac(frame.dst) || sameMac(m.mac, frame.dst)) netifReceive(stack, m, frame);
	if (macvlans.some((m) => sameMac(m.mac, frame.dst))) return;
	if (isGroupMac(frame.dst) || sameMac(frame.dst, dev.mac)) netifReceive(stack, dev, frame);
}

/** Bridge input: learn, then deliver up, forward to one port, or flood. */
function bridgeForward(stack: Stack, br: Link, inPort: Link | undefined, frame: Frame): void {
	if (!br.adminUp) return;
	const now = stack.world.now;
	const tr = stack.tracer && (frame.ip || frame.arp) ? tracing(stack.tracer, frame.ip) : undefined;
	// STP: a listening port takes in nothing; a learning one learns the sender, then drops the frame.
	const inState = inPort?.portState();
	if (inPort && inState !== 'learning' && inState !== 'forwarding') {
		if (tr && !tr.hidden(br.ns)) tr.add({ kind: 'drop', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(br.ns, inPort), reason: 'other', text: `STP holds the frame back at ${inPort.name}: the port is ${inState}, and the bridge ${br.name} takes nothing in from it until it forwards (after listening, then learning, for forward_delay each).`, packet: traceFrame(frame) });
		return;
	}
	// A port with learning off (BR_LEARNING cleared) teaches the bridge nothing.
	if (inPort && inPort.portFlags.learning && !isGroupMac(frame.src) && !br.fdb.some((e) => e.permanent && sameMac(e.mac, frame.src))) {
		const e = br.fdb.find((x) => sameMac(x.mac, frame.src));
		if (e && !e.static) {
			e.port = inPort;
			e.updated = now;
		} else if (!e) br.fdb.push({ mac: frame.src, port: inPort, permanent: false, static: false, updated: now });
	}
	if (inState === 'learning') {
		if (tr && !tr.hidden(br.ns)) tr.add({ kind: 'drop', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(br.ns, inPort), reason: 'other', text: `STP holds the frame back at ${inPort?.name}: the port is learning, so the bridge ${br.name} learns where ${formatMac(frame.src)} is but forwards nothing from it yet.`, packet: traceFrame(frame) });
		return;
	}
	// Frames leave only by forwarding ports (should_deliver).
	const ports = br.ports().filter((p) => p.portState() === 'forwarding');
	const local = sameMac(frame.dst, br.mac) || br.ports().some((p) => sameMac(p.mac, frame.dst));
	if (inPort && local) {
		// A local FDB entry (the bridge's own MAC or a port's): br_pass_frame_up, not forwarded.
		if (tr && !tr.hidden(br.ns) && (!frame.arp || tr.leg === 'arp' || frame.arp.op === 'request'))
			tr.add({ kind: 'bridge', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(br.ns, br), text: `The frame is addressed to ${formatMac(frame.dst)}, ${br.name}’s own address (a local entry of its forwarding table): it is not sent out of a port but delivered up to the bridge’s own ${frame.arp ? 'stack (ARP)' : 'IP stack'} in ${tr.who(br.ns)}.`, packet: traceFrame(frame) });
		if (frame.ip && brNfOn(br.ns) && br.ns.netfilter.conntrackOn) {
			bridgedDnat(stack, br, inPort, frame);
			return;
		}
		passUp(stack, br, frame);
		return;
	}
	if (inPort && frame.ip && !bridgeFilter(stack, br, frame)) return;
	// A broadcast arriving on a port also goes up to the bridge's own stack (br_pass_frame_up).
	const upToo = !!tr && !!inPort && isGroupMac(frame.dst) && !tr.hidden(br.ns);
	const traceTo = (out: Link, flood: boolean): void => {
		if (!tr) return;
		const back = out.farEnd();
		const dest = tr.hidden(br.ns) && back ? tr.place(back.ns, back) : tr.place(br.ns, out);
		const here = tr.place(br.ns, br);
		if ('node' in here) {
			// The home router's side of the uplink: only the way back down is worth a step.
			if ('host' in dest) tr.add({ kind: 'wire', leg: frame.arp ? 'arp' : legOf(frame.ip), at: here, to: dest, text: `${frame.arp ? `The ARP ${frame.arp.op}` : frame.ip?.icmp?.type === ICMP.ECHO_REPLY ? 'The echo reply' : 'The packet'} comes back down the uplink to ${dest.dev ?? 'the host'}.`, packet: traceFrame(frame) });
			return;
		}
		const name = 'switch' in here ? here.switch : `the bridge ${br.name}`;
		tr.add({ kind: 'bridge', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(br.ns, br), to: dest, text: flood ? `${name} floods the ${isGroupMac(frame.dst) ? 'broadcast' : 'frame for an unknown MAC'} to every other port${upToo ? `, and delivers a copy up to its own stack in ${tr.who(br.ns)}` : ''}.` : `${name} knows ${formatMac(frame.dst)} from its forwarding table: it sends the frame out of that port only.`, packet: traceFrame(frame) });
	};
	// br_flood: a port takes floods only with the flag for the kind of frame (BR_BCAST_FLOOD,
	// BR_MCAST_FLOOD, BR_FLOOD for unknown unicast).
	const broadcast = frame.dst.every((b) => b === 0xff);
	const floods = (p: Link): boolean => (broadcast ? p.portFlags.bcast_flood : isGroupMac(frame.dst) ? p.portFlags.mcast_flood : p.portFlags.flood);
	if (isGroupMac(frame.dst)) {
		const outs = ports.filter((p) => p !== inPort && floods(p));
		if (outs[0]) traceTo(outs[0], true);
		else if (tr && upToo) tr.add({ kind: 'bridge', leg: frame.arp ? 'arp' : legOf(frame.ip), at: tr.place(br.ns, br), text: `the bridge ${br.name} has no other port to flood the broadcast to: it delivers it up to its own stack in ${tr.who(br.ns)}.`, packet: traceFrame(frame) });
		for (const p of outs) stack.xmit(p, frame);
		if (inPort) passUp(stack, br, frame);
		return;
	}
	const e = br.fdb.find((x) => sameMac(x.mac, frame.dst) && !x.permanent);
	if (e) {
		if (e.port !== inPort && ports.includes(e.port)) {
			traceTo(e.port, false);
			stack.xmit(e.port, frame);
		}
		return;
	}
	const outs = ports.filter((p) => p !== inPort && floods(p));
	if (outs[0]) traceTo(outs[0], true);
	for (const p of outs) stack.xmit(p, frame);
}

/** br_pass_frame_up: a frame from a port goes up the bridge device's own stack, seen there by captures. */
function passUp(stack: Stack, br: Link, frame: Frame): void {
	tap(br, frame, 'in');
	netifReceive(stack, br, frame);
}

/** A frame for this host: ARP or IPv4 (a copy, so rewrites do not reach other receivers). */
function netifReceive(stack: Stack, dev: Link, frame: Frame): void {
	const ns = dev.ns;
	if (frame.arp) arpReceive(stack, ns, dev, frame.arp);
	else if (frame.ip) stack.ipReceive(ns, dev, clonePacket(frame.ip));
}

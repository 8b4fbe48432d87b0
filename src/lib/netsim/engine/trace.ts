/**
 * Packet traces: the walk of a ping's first echo request and its reply, step by step, in the
 * format the in-page terminal's packet walk reads (docs/terminal.md, src/lib/terminal/trace.ts).
 * Lab plumbing is reported as `{ switch }` and `{ node }` places, never as hidden namespaces.
 */
import { formatIpv4, inPrefix, type Ipv4 } from '../addr/ipv4.ts';
import { formatMac } from '../addr/mac.ts';
import { routeText } from '../cmd/ip/route.ts';
import { TABLE_LOCAL, type Route } from '../model/fib.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import { ICMP, type Frame, type Ip4 } from './packet.ts';

/** A place in the lab. */
export type TracePlace = { host: string; netns: string; dev?: string } | { switch: string } | { node: 'upstream' | 'internet' };

/** One step of a walk. */
export interface TraceStep {
	kind: 'send' | 'route' | 'arp' | 'netfilter' | 'nat' | 'wire' | 'bridge' | 'forward' | 'deliver' | 'drop';
	leg: 'request' | 'reply' | 'arp';
	at: TracePlace;
	to?: TracePlace | undefined;
	text: string;
	packet?: { what: string; src?: string; dst?: string; srcMac?: string; dstMac?: string; ttl?: number } | undefined;
	route?: { table: string; matched?: string | undefined; alsoMatched?: string[] | undefined } | undefined;
	reason?: 'no-route' | 'forwarding-off' | 'no-nat' | 'link-down' | 'no-neighbour' | 'netfilter' | 'ttl' | 'no-listener' | 'other' | undefined;
}

/** The walk of one packet and its answer. */
export interface PacketTrace {
	command: string;
	host: string;
	summary: string;
	outcome: 'replied' | 'delivered' | 'dropped';
	steps: TraceStep[];
}

/** Where lab plumbing lives, to name it as the diagram does. */
export interface InfraMap {
	wires?: Netns | undefined;
	upstream?: Netns | undefined;
	internet: Set<number>;
}

const MAX_STEPS = 120;

/** Collects the steps of one walk while the stack carries the packet. */
export class Tracer {
	steps: TraceStep[] = [];
	leg: 'request' | 'reply' | 'arp' = 'request';
	/** The echo request reached its destination. */
	delivered = false;
	/** The reply came back to the sender. */
	replied = false;
	dropped = false;

	constructor(
		private readonly world: World,
		private readonly infra: InfraMap,
	) {}

	/** True for namespaces the reader never sees (switch bridges, the upstream). */
	hidden(ns: Netns): boolean {
		return ns === this.infra.wires || ns === this.infra.upstream;
	}

	/** The place of a namespace (and device), with plumbing named as the diagram names it. */
	place(ns: Netns, dev?: Link, dst?: number): TracePlace {
		if (ns === this.infra.upstream) return { node: dst !== undefined && this.infra.internet.has(dst) ? 'internet' : 'upstream' };
		if (ns === this.infra.wires) {
			const br = dev?.kind === 'bridge' ? dev : dev?.master;
			if (!br || br.name === 'upstream') return { node: 'upstream' };
			return { switch: br.name };
		}
		for (const host of this.world.hosts.values()) {
			if (host.root === ns) return dev ? { host: host.name, netns: '', dev: dev.name } : { host: host.name, netns: '' };
			for (const [name, n] of host.named) if (n === ns) return dev ? { host: host.name, netns: name, dev: dev.name } : { host: host.name, netns: name };
		}
		return { node: 'upstream' };
	}

	/** Who a namespace is, in words ("alice", "pi's namespace alice", "the home router"). */
	who(ns: Netns): string {
		const p = this.place(ns);
		if ('host' in p) return p.netns ? `${p.netns}` : p.host;
		if ('switch' in p) return p.switch;
		return p.node === 'internet' ? 'the internet' : 'the home router';
	}

	/** Adds a step (on the current leg unless told), its text capitalised; ignored once full. */
	add(step: Omit<TraceStep, 'leg'> & { leg?: TraceStep['leg'] | undefined }): void {
		if (this.steps.length >= MAX_STEPS) return;
		const text = step.text.charAt(0).toUpperCase() + step.text.slice(1);
		this.steps.push({ ...step, text, leg: step.leg ?? this.leg });
	}

	/** The finished trace. */
	result(command: string, host: string, target: number): PacketTrace {
		const dst = formatIpv4(target);
		const outcome = this.replied ? 'replied' : this.delivered ? 'delivered' : 'dropped';
		const summary =
			outcome === 'replied'
				? `The echo request reached ${dst} and the reply came back to ${host}.`
				: outcome === 'delivered'
					? `The echo request reached ${dst}, but no reply came back to ${host}.`
					: `The echo request for ${dst} was dropped on the way.`;
		return { command, host, summary, outcome, steps: this.steps };
	}
}

// ---- helpers the packet walk uses to describe what it does -----------------------------------

/**
 * The tracer, when this packet belongs to the traced exchange (an echo, its error, or an ARP on
 * its way, called without a packet); undefined once the reply is home or the walk is full.
 */
export function tracing(tr: Tracer | undefined, pkt?: Ip4): Tracer | undefined {
	if (!tr || tr.replied || tr.steps.length >= MAX_STEPS) return undefined;
	if (pkt && !(pkt.icmp && (pkt.icmp.type === ICMP.ECHO_REQUEST || pkt.icmp.type === ICMP.ECHO_REPLY || pkt.icmp.type === ICMP.DEST_UNREACH || pkt.icmp.type === ICMP.TIME_EXCEEDED))) return undefined;
	return tr;
}

/** Which leg of the traced exchange a packet is on. */
export function legOf(pkt: Ip4 | undefined): 'request' | 'reply' {
	return pkt?.icmp?.type === ICMP.ECHO_REPLY ? 'reply' : 'request';
}

/** The packet as a trace shows it (with the frame's MACs when it is on a wire). */
export function tracePacket(pkt: Ip4, frame?: Frame): { what: string; src: string; dst: string; ttl: number; srcMac?: string; dstMac?: string } {
	const what = pkt.icmp ? (pkt.icmp.type === ICMP.ECHO_REQUEST ? 'icmp echo-request' : pkt.icmp.type === ICMP.ECHO_REPLY ? 'icmp echo-reply' : 'icmp error') : pkt.tcp ? 'tcp' : pkt.udp ? 'udp' : 'ip';
	const out: { what: string; src: string; dst: string; ttl: number; srcMac?: string; dstMac?: string } = { what, src: formatIpv4(pkt.src), dst: formatIpv4(pkt.dst), ttl: pkt.ttl };
	if (frame) {
		out.srcMac = formatMac(frame.src);
		out.dstMac = formatMac(frame.dst);
	}
	return out;
}

/** A route step: the route that matched and the shorter ones that also matched (the reader's "why this one"). */
export function traceRoute(tr: Tracer, ns: Netns, r: Route, dev: Link, dst: Ipv4): void {
	const also = ns.routes.filter((x) => x.table === r.table && x !== r && x.dst.len < r.dst.len && inPrefix(dst, x.dst)).map(routeText);
	const how = r.type === 'local' ? 'it is one of this host’s own addresses' : r.gateway !== undefined ? `send it to the gateway ${formatIpv4(r.gateway)} out of ${dev.name}` : `it is on the link, out of ${dev.name}`;
	tr.add({ kind: 'route', leg: tr.delivered ? 'reply' : 'request', at: tr.place(ns, dev), text: `Route lookup for ${formatIpv4(dst)}: ${how}.`, route: { table: r.table === TABLE_LOCAL ? 'local' : 'main', matched: routeText(r), alsoMatched: also.length ? also : undefined } });
}

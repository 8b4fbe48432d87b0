/**
 * Packet traces: the walk of a ping's first echo request and its reply, step by step, in the
 * format the in-page terminal's packet walk reads (docs/terminal.md, src/lib/shared/trace.ts).
 * Lab plumbing is reported as `{ switch }` and `{ node }` places, never as hidden namespaces.
 */
import { formatIpv4, inPrefix, type Ipv4 } from '../addr/ipv4.ts';
import { formatMac } from '../addr/mac.ts';
import { routeText } from '../print/route.ts';
import { TABLE_LOCAL, type Route } from '../model/fib.ts';
import type { Link } from '../model/link.ts';
import { policySpec, ruleSpecLine, type Verdict } from '../model/netfilter.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import { ICMP, type Frame, type Ip4 } from '../model/packet.ts';
// The trace format is the terminal's engine contract (any engine behind the terminal records
// it); the simulator implements it, so its types come from there (types only, nothing bundled).
import type { PacketTrace, TracePlace, TraceStep } from '../../shared/trace.ts';

export type { PacketTrace };

/** Where lab plumbing lives, to name it as the diagram does. */
interface InfraMap {
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

	/**
	 * The finished trace. The reply comes back to the namespace ping ran in (its `send` step):
	 * `ip netns exec alice ping …` on pi is answered in alice, not in pi's root namespace.
	 */
	result(command: string, host: string, target: number): PacketTrace {
		const dst = formatIpv4(target);
		const from = this.steps.find((s) => s.kind === 'send')?.at;
		const back = from && 'host' in from && from.netns ? `the namespace ${from.netns} on ${from.host}` : host;
		const outcome = this.replied ? 'replied' : this.delivered ? 'delivered' : 'dropped';
		const summary =
			outcome === 'replied'
				? `The echo request reached ${dst} and the reply came back to ${back}.`
				: outcome === 'delivered'
					? `The echo request reached ${dst}, but no reply came back to ${back}.`
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

/** The frame as a trace shows it: its packet (or ARP message) and its MACs. */
export function traceFrame(frame: Frame): TraceStep['packet'] {
	if (frame.ip) return tracePacket(frame.ip, frame);
	if (frame.arp) return { what: `arp ${frame.arp.op}`, src: formatIpv4(frame.arp.senderIp), dst: formatIpv4(frame.arp.targetIp), srcMac: formatMac(frame.src), dstMac: formatMac(frame.dst) };
	return undefined;
}

/** The netfilter field of a step: the deciding rule as `iptables -S` prints it, or the chain's policy. */
export function traceRule(ns: Netns, table: string, chain: string, res: Verdict, verdict?: string): NonNullable<TraceStep['netfilter']> {
	const rule = res.rule ? ruleSpecLine(res.chain ?? chain, res.rule) : policySpec(chain, ns.netfilter.chain(table, chain)?.policy ?? 'ACCEPT');
	return { table, chain: res.chain ?? chain, rule, verdict: verdict ?? res.rule?.target ?? res.verdict };
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

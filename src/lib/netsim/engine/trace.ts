/**
 * Packet traces: the walk of a ping's first echo request and its reply, step by step, in the
 * format the in-page terminal's packet walk reads (docs/terminal.md, src/lib/terminal/trace.ts).
 * Lab plumbing is reported as `{ switch }` and `{ node }` places, never as hidden namespaces.
 */
import { formatIpv4 } from '../addr/ipv4.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';

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

/**
 * The packet trace: the walk of one packet through the lab, step by step, as the terminal's
 * packet walk shows it on the diagram and in words. The simulator records one for each ping
 * (the first echo request and its reply); docs/terminal.md is the contract it implements.
 */

/** A place in the lab: a device (or just the namespace) of a host, a lab switch, or the upstream. */
export type TracePlace =
	| { host: string; netns: string; dev?: string }
	| { switch: string }
	| { node: 'upstream' | 'internet' };

/** What happens at a step. */
export type TraceStepKind =
	/** A program hands the packet to the kernel (ping builds an ICMP echo request). */
	| 'send'
	/** Route lookup: the matched route, chosen by longest prefix, with the others considered. */
	| 'route'
	/** Neighbour (ARP) lookup: a hit, a request broadcast, or a reply. */
	| 'arp'
	/** A netfilter hook: table, chain, the rule that matched and its verdict. */
	| 'netfilter'
	/** An address rewrite: DNAT, SNAT, MASQUERADE, or the reverse via conntrack. */
	| 'nat'
	/** The packet crosses a wire: a veth pair, a lab cable into a switch, or the uplink. */
	| 'wire'
	/** A bridge (or lab switch) forwards the frame: FDB hit to one port, or flood. */
	| 'bridge'
	/** A router decides to forward (ip_forward on, TTL decremented). */
	| 'forward'
	/** The packet reached the host it was for (and, for an echo request, gets answered). */
	| 'deliver'
	/** The packet was dropped: see `reason`. */
	| 'drop';

/** Why a packet was dropped. */
export type DropReason =
	| 'no-route'
	| 'forwarding-off'
	| 'rp-filter'
	| 'no-nat'
	| 'link-down'
	| 'no-neighbour'
	| 'netfilter'
	| 'ttl'
	| 'no-listener'
	| 'other';

/** Headers of the packet as they are at a step (after any rewrite of that step). */
export interface TracePacket {
	/** `icmp echo-request`, `icmp echo-reply`, `arp request`, `arp reply`… */
	what: string;
	src?: string;
	dst?: string;
	srcMac?: string;
	dstMac?: string;
	ttl?: number;
}

/** A route lookup, for `route` steps. */
export interface TraceRoute {
	/** Routing table consulted, e.g. `main` or `local`. */
	table: string;
	/** The route that won, as `ip route` prints it; absent when nothing matched. */
	matched?: string | undefined;
	/** Other routes that also covered the destination, with shorter prefixes (longest-prefix match). */
	alsoMatched?: string[] | undefined;
}

/** The netfilter chain that decided, for `netfilter` and `nat` steps. */
export interface TraceRule {
	/** `filter`, `nat`… */
	table: string;
	/** The chain the deciding rule is in (a user chain when reached by a jump). */
	chain: string;
	/** The rule as `iptables -S` prints it (`-A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE`), or the policy (`-P FORWARD DROP`). */
	rule: string;
	/** `ACCEPT`, `DROP`, `REJECT`, `MASQUERADE`, `SNAT`, `DNAT`. */
	verdict: string;
}

/** An address rewritten by NAT, for `nat` steps. */
export interface TraceRewrite {
	field: 'src' | 'dst';
	from: string;
	to: string;
}

/** One step of the walk. */
export interface TraceStep {
	kind: TraceStepKind;
	/** Which packet of the exchange: the echo request, the reply, or an ARP exchange on the way. */
	leg: 'request' | 'reply' | 'arp';
	/** Where the step happens. */
	at: TracePlace;
	/** For `wire` and `bridge` steps: where the frame goes (for a flood, the first of several). */
	to?: TracePlace | undefined;
	/** The step in words, one or two sentences for the reader. */
	text: string;
	packet?: TracePacket | undefined;
	route?: TraceRoute | undefined;
	/** For `drop` steps. */
	reason?: DropReason | undefined;
	/** For `netfilter` and `nat` steps: the rule (or policy) that decided. */
	netfilter?: TraceRule | undefined;
	/** For `nat` steps: the rewrite, before → after. */
	rewrite?: TraceRewrite | undefined;
	/** Diagram data-ids to highlight instead of the ones derived from `at` and `to`. */
	ids?: string[] | undefined;
}

/** The walk of one packet and its answer. */
export interface PacketTrace {
	/** The command that sent it, e.g. `ping -c 1 192.168.1.2`. */
	command: string;
	/** Host it was typed on. */
	host: string;
	/** What happened, in one line: "Echo request delivered to bob; reply back at alice." */
	summary: string;
	/** `replied`: the answer came back; `delivered`: it arrived but no answer returned; `dropped`. */
	outcome: 'replied' | 'delivered' | 'dropped';
	steps: TraceStep[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPlace = (v: unknown): v is TracePlace =>
	isObject(v) &&
	((typeof v['host'] === 'string' && typeof v['netns'] === 'string') ||
		typeof v['switch'] === 'string' ||
		v['node'] === 'upstream' ||
		v['node'] === 'internet');

/**
 * True when `value` is a usable {@link PacketTrace}: the simulator is being written alongside the
 * terminal, so a trace is checked before the UI trusts it (a bad one is ignored, not shown).
 */
export function isPacketTrace(value: unknown): value is PacketTrace {
	if (!isObject(value) || typeof value['summary'] !== 'string' || !Array.isArray(value['steps'])) return false;
	if (!['replied', 'delivered', 'dropped'].includes(value['outcome'] as string)) return false;
	return value['steps'].every(
		(s) => isObject(s) && typeof s['kind'] === 'string' && typeof s['text'] === 'string' && isPlace(s['at']) && (s['to'] === undefined || isPlace(s['to'])),
	);
}

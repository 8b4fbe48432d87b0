/**
 * The packet walk: a {@link PacketTrace} turned into steps the page can show one at a time,
 * each with the diagram elements to highlight (topology data-ids) and its words.
 */
import type { Topology } from '../topology/index.ts';
import type { PacketTrace, TracePlace, TraceStep } from '../shared/trace.ts';

/** One step of the walk, ready to show. */
export interface WalkStep {
	/** Diagram data-ids to highlight. */
	ids: string[];
	/** The step in words, with the matched route and any rewrite spelled out. */
	text: string;
	/** Short tag for the step's kind: `route`, `ARP`, `bridge`… */
	label: string;
	leg: TraceStep['leg'];
	kind: TraceStep['kind'];
}

const LABELS: Record<TraceStep['kind'], string> = {
	send: 'send',
	route: 'route',
	arp: 'ARP',
	netfilter: 'netfilter',
	nat: 'NAT',
	wire: 'wire',
	bridge: 'bridge',
	forward: 'forward',
	deliver: 'deliver',
	drop: 'drop',
};

/**
 * Diagram ids of a place: its interface (if any) or its box. Given the topology, a device the
 * diagram does not draw (`lo`, which is a line of its namespace's box) maps to that box.
 */
export function placeIds(place: TracePlace, topology?: Topology): string[] {
	if ('switch' in place) return [`switch:${place.switch}`];
	if ('node' in place) return [place.node];
	const box = place.netns === '' ? `host:${place.host}` : `${place.host}/${place.netns}`;
	if (!place.dev) return [box];
	const id = `${place.host}/${place.netns}/${place.dev}`;
	if (topology && !drawnInterfaces(topology).has(id)) return [box];
	return [id];
}

const drawn = new WeakMap<Topology, Set<string>>();

/** Ids of the interfaces the diagram draws (memoised per topology). */
function drawnInterfaces(topology: Topology): Set<string> {
	let ids = drawn.get(topology);
	if (!ids) {
		ids = new Set(topology.hosts.flatMap((h) => h.namespaces.flatMap((n) => n.interfaces.map((i) => i.id))));
		drawn.set(topology, ids);
	}
	return ids;
}

/** The wire between two places, if the topology has one (a veth pair, a cable, the uplink). */
function wireBetween(topology: Topology, from: TracePlace, to: TracePlace): string | undefined {
	const a = placeIds(from)[0];
	const b = placeIds(to)[0];
	return topology.links.find((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a))?.id;
}

/** Data-ids to highlight for one step. */
function stepIds(step: TraceStep, topology: Topology): string[] {
	if (step.ids?.length) return step.ids;
	const ids = placeIds(step.at, topology);
	if (step.to) {
		const wire = wireBetween(topology, step.at, step.to);
		if (wire) ids.push(wire);
		ids.push(...placeIds(step.to, topology));
	}
	return [...new Set(ids)];
}

/**
 * The step's words, with the details of its fields appended: the route (longest-prefix match made
 * visible), the netfilter rule as `iptables -S` prints it, a NAT rewrite, the packet and its MACs.
 */
export function stepText(step: TraceStep): string {
	const parts = [step.text];
	if (step.route) {
		const { table, matched, alsoMatched } = step.route;
		if (matched) parts.push(`Matched in table ${table}: ${matched.trim()}.`);
		else parts.push(`No route in table ${table} matches.`);
		if (alsoMatched?.length) parts.push(`Also covering the address, but with a shorter prefix: ${alsoMatched.map((r) => r.trim()).join('; ')}.`);
	}
	const nf = step.netfilter;
	if (nf) {
		const cmd = `iptables${nf.table === 'filter' ? '' : ` -t ${nf.table}`} -S`;
		parts.push(nf.rule.startsWith('-P ') ? `No rule matched; the chain’s policy (${cmd}): ${nf.rule}.` : `Rule (${cmd}): ${nf.rule}.`);
	}
	const rw = step.rewrite;
	if (rw && !step.text.includes(`${rw.from} → ${rw.to}`)) parts.push(`Rewritten: ${rw.field === 'src' ? 'source' : 'destination'} ${rw.from} → ${rw.to}.`);
	const p = step.packet;
	if (p && p.what.startsWith('arp')) parts.push(`Packet: ${p.what}${p.src ? `, sender ${p.src}` : ''}${p.dst ? `, target ${p.dst}` : ''}.`);
	else if (p && (p.src || p.dst)) parts.push(`Packet: ${p.what}${p.src ? ` from ${p.src}` : ''}${p.dst ? ` to ${p.dst}` : ''}${p.ttl !== undefined ? `, ttl ${p.ttl}` : ''}.`);
	if (p && (p.srcMac || p.dstMac)) parts.push(`Ethernet: ${p.srcMac ? `from ${p.srcMac}` : ''}${p.srcMac && p.dstMac ? ' ' : ''}${p.dstMac ? `to ${p.dstMac}` : ''}.`);
	return parts.join(' ');
}

/** The whole walk, step by step. */
export function walkOf(trace: PacketTrace, topology: Topology): WalkStep[] {
	return trace.steps.map((step) => ({
		ids: stepIds(step, topology),
		text: stepText(step),
		label: LABELS[step.kind] ?? step.kind,
		leg: step.leg,
		kind: step.kind,
	}));
}

/** Steps at which a packet (or an ARP frame sent for it) has left the program that sent it. */
const LEFT: ReadonlySet<TraceStep['kind']> = new Set(['wire', 'bridge', 'forward', 'deliver']);

/**
 * True when the trace has a packet to walk: something left the sender. A ping stopped before
 * sending (no route: `connect: Network is unreachable`; a local DROP) has nothing to walk.
 */
export function packetLeft(trace: PacketTrace): boolean {
	return trace.steps.some((s) => LEFT.has(s.kind));
}

/**
 * The walk's title: the command and where it ran, naming the namespace for `ip netns exec`
 * (`Packet walk: ping -c 1 192.168.25.2 in the namespace alice on pi`).
 */
export function walkTitle(trace: PacketTrace): string {
	const from = trace.steps.find((s) => s.kind === 'send')?.at;
	const where = from && 'host' in from && from.netns ? `in the namespace ${from.netns} on ${from.host}` : `on ${trace.host}`;
	return `Packet walk: ${trace.command} ${where}`;
}

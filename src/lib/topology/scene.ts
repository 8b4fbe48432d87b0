import { monoWidth, sansWidth, TEXT } from './measure.ts';
import type { LinkState, Topology, TopologyGhost, TopologyHost, TopologyInterface, TopologyLink, TopologyNamespace, TopologyUpstream } from './model.ts';

/**
 * The scene: what to draw and how big each piece is, before anything is placed. The layout
 * (layout-simple.ts) takes a scene and returns a {@link Layout}.
 */

/** Box kinds. `iface` is a free-standing interface (not on a box edge), `ghost` a namespace only seen from outside. */
export type NodeKind = 'cloud' | 'router' | 'switch' | 'host' | 'netns' | 'ghost' | 'bridge' | 'iface';

/** Edge of a box a port sits on. */
export type Side = 'N' | 'S' | 'E' | 'W';

/** Text of an interface tag: name, addresses, and a short note (kind, state). */
export interface PortLabel {
	name: string;
	lines: string[];
	note?: string;
}

/** A port on a box edge: an interface (with a label) or a plain socket of a switch or router. */
export interface ScenePort {
	id: string;
	node: string;
	side: Side;
	w: number;
	h: number;
	label?: PortLabel;
	state: LinkState | 'none';
	/** The interface this port stands for. */
	iface?: string;
}

/** A box. Container boxes (host, netns) get their size from the layout; leaves carry theirs. */
export interface SceneNode {
	id: string;
	kind: NodeKind;
	parent?: string;
	title: string;
	/** Full name when the title is shortened. */
	fullTitle?: string;
	/** Small text lines: bridge/iface addresses, `default via …`, `lo down`, upstream addresses. */
	lines: string[];
	note?: string;
	/** Title chip size (host, netns, ghost) or the whole box (leaves). */
	w: number;
	h: number;
	ports: ScenePort[];
	state?: LinkState;
	iface?: string;
}

/** A wire between two ports (or a port and a free-standing interface box). */
export interface SceneEdge {
	id: string;
	kind: TopologyLink['kind'] | 'internet';
	source: string;
	target: string;
	up: boolean;
}

/** Everything to lay out. Nodes are in paint order: parents before children. */
export interface Scene {
	nodes: SceneNode[];
	edges: SceneEdge[];
}

/** Geometry constants shared by the layout and the printer. */
export const GEOMETRY = {
	portPadX: 8,
	portPadY: 4,
	led: 12,
	chipH: 22,
	margin: 16,
} as const;

const MAX_TITLE = 18;

/** Shortens long namespace names (`cni-34ee79ad-7eab-…`); the full name stays in the text alternative. */
export const shorten = (name: string): string => (name.length > MAX_TITLE ? `${name.slice(0, MAX_TITLE - 1)}…` : name);

/** Size of an interface tag. */
export function tagSize(label: PortLabel): { w: number; h: number } {
	const widths = [
		GEOMETRY.led + monoWidth(label.name, TEXT.name.size),
		...label.lines.map((l) => monoWidth(l, TEXT.addr.size)),
		label.note ? sansWidth(label.note, TEXT.note.size) : 0,
	];
	return {
		w: Math.max(...widths) + 2 * GEOMETRY.portPadX,
		h: TEXT.name.line + label.lines.length * TEXT.addr.line + (label.note ? TEXT.note.line : 0) + 2 * GEOMETRY.portPadY,
	};
}

const stateNote = (s: LinkState): string | undefined =>
	s === 'down' ? 'down' : s === 'no-carrier' ? 'no carrier' : undefined;

function ifaceLabel(i: TopologyInterface, byId: Map<string, TopologyInterface>, withMaster: boolean): PortLabel {
	const notes: string[] = [];
	const lower = i.lower ? byId.get(i.lower)?.name ?? i.lower.split('/').pop() : undefined;
	if (i.kind === 'macvlan') notes.push(lower ? `macvlan on ${lower}` : 'macvlan');
	if (i.kind === 'vxlan') notes.push(`vxlan${i.vni !== undefined ? ` ${i.vni}` : ''}${lower ? ` on ${lower}` : ''}`);
	if (i.kind === 'tun' || i.kind === 'other' || i.kind === 'loopback') notes.push(i.kind === 'other' ? 'link' : i.kind);
	if (withMaster && i.master) notes.push(`port of ${byId.get(i.master)?.name ?? i.master}`);
	const st = stateNote(i.state);
	if (st) notes.push(st);
	return { name: i.name, lines: i.addresses.map((a) => a.cidr), ...(notes.length ? { note: notes.join(' · ') } : {}) };
}

function nsLines(ns: TopologyNamespace): string[] {
	const lines: string[] = [];
	if (ns.defaultRoute) lines.push(ns.defaultRoute.via ? `default via ${ns.defaultRoute.via}` : `default dev ${ns.defaultRoute.dev ?? '?'}`);
	if (ns.loopback === 'down') lines.push('lo down');
	return lines;
}

/** Builds the scene of a topology: boxes, ports with their label sizes, and edges. */
export function toScene(t: Topology): Scene {
	const b: Builder = { nodes: [], edges: [], byId: new Map(), endpoint: new Map(), bridgeIds: new Set(t.bridges.map((x) => x.id)) };
	for (const h of t.hosts) for (const ns of h.namespaces) for (const i of ns.interfaces) b.byId.set(i.id, i);
	if (t.upstream) upstreamNodes(t.upstream, b);
	for (const s of t.switches) {
		b.nodes.push({
			id: s.id,
			kind: 'switch',
			title: s.name,
			lines: [],
			w: sansWidth(s.name, TEXT.title.size, true) + 44,
			h: 30,
			ports: s.ports.map((_p, n) => ({ id: `${s.id}#${n}`, node: s.id, side: 'S' as const, w: 8, h: 6, state: 'none' as const })),
		});
		s.ports.forEach((p, n) => b.endpoint.set(`${s.id}:${p}`, `${s.id}#${n}`));
	}
	for (const h of t.hosts) hostNodes(h, t, b);
	for (const l of t.links) {
		const a = b.endpoint.get(l.a);
		const z =
			l.kind === 'veth' || l.kind === 'overlay'
				? b.endpoint.get(l.b)
				: l.kind === 'cable'
					? b.endpoint.get(`${l.b}:${l.a}`)
					: l.kind === 'uplink'
						? b.endpoint.get(`upstream:${l.a}`)
						: b.endpoint.get(`ghost:${l.a}`);
		if (a && z) b.edges.push({ id: l.id, kind: l.kind, source: a, target: z, up: l.up });
	}
	return { nodes: b.nodes, edges: b.edges };
}

/** The scene under construction, and where each interface ended up. */
interface Builder {
	nodes: SceneNode[];
	edges: SceneEdge[];
	byId: Map<string, TopologyInterface>;
	/** interface id (or `switch:…:iface`, `upstream:iface`, `ghost:iface`) → endpoint id (a port id or a free-standing node id) */
	endpoint: Map<string, string>;
	bridgeIds: Set<string>;
}

/** The internet cloud and the home router, joined by the internet link. */
function upstreamNodes(up: TopologyUpstream, b: Builder): void {
	const cloudLines = [up.internet.join(' · ')];
	b.nodes.push({
		id: 'internet',
		kind: 'cloud',
		title: 'internet',
		lines: cloudLines,
		w: Math.max(sansWidth('internet', TEXT.title.size, true), ...cloudLines.map((l) => monoWidth(l, TEXT.addr.size))) + 56,
		h: 62,
		ports: [{ id: 'internet#0', node: 'internet', side: 'S', w: 0, h: 0, state: 'none' }],
	});
	const gw = up.gateway.split('/')[0]!;
	b.nodes.push({
		id: 'upstream',
		kind: 'router',
		title: 'home router',
		lines: [gw],
		w: Math.max(sansWidth('home router', TEXT.title.size, true) + 28, monoWidth(gw, TEXT.addr.size)) + 24,
		h: 44,
		ports: [
			{ id: 'upstream#in', node: 'upstream', side: 'N', w: 0, h: 0, state: 'none' },
			...up.ports.map((_p, n) => ({ id: `upstream#${n}`, node: 'upstream', side: 'S' as const, w: 8, h: 6, state: 'none' as const })),
		],
	});
	up.ports.forEach((p, n) => b.endpoint.set(`upstream:${p}`, `upstream#${n}`));
	b.edges.push({ id: 'internet', kind: 'internet', source: 'internet#0', target: 'upstream#in', up: true });
}

/** A host box, then its bridges (ifindex order), free interfaces, namespaces and ghosts. */
function hostNodes(h: TopologyHost, t: Topology, b: Builder): void {
	const root = h.namespaces.find((n) => n.name === '');
	const hostId = `host:${h.name}`;
	const hostNode: SceneNode = {
		id: hostId,
		kind: 'host',
		title: h.name,
		lines: root ? nsLines(root) : [],
		w: sansWidth(h.name, TEXT.title.size, true) + 16 + 20,
		h: GEOMETRY.chipH,
		ports: [],
	};
	b.nodes.push(hostNode);
	const later: SceneNode[] = [];
	for (const ns of h.namespaces) {
		const nsNode = ns.name === '' ? undefined : netnsNode(ns, hostId);
		if (nsNode) later.push(nsNode);
		for (const i of ns.interfaces) interfaceNode(i, nsNode ?? hostNode, hostId, t, b, later);
	}
	const bridges = later.filter((n) => n.kind === 'bridge').reverse();
	b.nodes.push(...bridges, ...later.filter((n) => n.kind === 'iface'), ...later.filter((n) => n.kind === 'netns'));
	for (const g of h.ghosts) b.nodes.push(ghostNode(g, hostId, b));
}

function netnsNode(ns: TopologyNamespace, hostId: string): SceneNode {
	return {
		id: ns.id,
		kind: 'netns',
		parent: hostId,
		title: shorten(ns.name),
		...(ns.name.length > MAX_TITLE ? { fullTitle: ns.name } : {}),
		lines: nsLines(ns),
		w: sansWidth('netns ', 11) + monoWidth(shorten(ns.name), TEXT.name.size) + 16,
		h: GEOMETRY.chipH - 2,
		ports: [],
	};
}

/**
 * Where an interface goes: in the root, a bridge is a box with its members as ports (they get
 * no place of their own) and an interface not wired by the lab is a free-standing box; anything
 * else is a port on its namespace's (or host's) edge.
 */
function interfaceNode(i: TopologyInterface, owner: SceneNode, hostId: string, t: Topology, b: Builder, later: SceneNode[]): void {
	const isRoot = owner.kind === 'host';
	if (isRoot && i.master && b.bridgeIds.has(i.master)) return; // a port of its bridge box
	if (isRoot && i.kind === 'bridge') {
		const label = ifaceLabel(i, b.byId, false);
		const lines = [i.addresses.length ? `bridge · ${label.lines[0]}` : 'bridge', ...label.lines.slice(1)];
		const size = tagSize({ name: i.name, lines, ...(label.note ? { note: label.note } : {}) });
		const members = t.bridges.find((x) => x.id === i.id)!.members;
		// bridges are found in ifindex order and drawn in that order: unshift, reversed later
		later.unshift({
			id: i.id,
			kind: 'bridge',
			parent: hostId,
			title: i.name,
			lines,
			...(label.note ? { note: label.note } : {}),
			w: size.w + 8,
			h: size.h + 8,
			ports: members.map((m) => memberPort(b.byId.get(m)!, i.id, b.byId)),
			state: i.state,
			iface: i.id,
		});
		for (const m of members) b.endpoint.set(m, m);
		return;
	}
	if (isRoot && !i.wired) {
		const label = ifaceLabel(i, b.byId, true);
		const size = tagSize(label);
		later.push({ id: i.id, kind: 'iface', parent: hostId, title: i.name, lines: label.lines, ...(label.note ? { note: label.note } : {}), w: size.w, h: size.h, ports: [], state: i.state, iface: i.id });
		b.endpoint.set(i.id, i.id);
		return;
	}
	const label = ifaceLabel(i, b.byId, !isRoot);
	owner.ports.push({ id: i.id, node: owner.id, side: 'N', ...tagSize(label), label, state: i.state, iface: i.id });
	b.endpoint.set(i.id, i.id);
}

/** A namespace seen only from outside: its ends are the host interfaces whose peers are in it. */
function ghostNode(g: TopologyGhost, hostId: string, b: Builder): SceneNode {
	const ports = g.ends.map((e) => {
		const label: PortLabel = { name: `if${b.byId.get(e)?.peerHint?.ifindex ?? '?'}`, lines: [] };
		return { id: `${g.id}#${e}`, node: g.id, side: 'N' as const, ...tagSize(label), label, state: 'unknown' as const };
	});
	g.ends.forEach((e) => b.endpoint.set(`ghost:${e}`, `${g.id}#${e}`));
	const title = 'unlisted netns';
	const from = g.id.slice(g.id.indexOf('?') + 1, g.id.lastIndexOf('@')) || 'root';
	return {
		id: g.id,
		kind: 'ghost',
		parent: hostId,
		title,
		lines: g.netnsid !== undefined ? [`id ${g.netnsid} as seen from ${from}`] : [],
		w: sansWidth(title, 11) + 16,
		h: GEOMETRY.chipH - 2,
		ports,
	};
}

function memberPort(i: TopologyInterface, bridge: string, byId: Map<string, TopologyInterface>): ScenePort {
	const label = ifaceLabel(i, byId, false);
	return { id: i.id, node: bridge, side: 'S', ...tagSize(label), label, state: i.state, iface: i.id };
}

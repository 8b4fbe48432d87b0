import { monoWidth, sansWidth, TEXT } from './measure.ts';
import type { LinkState, Topology, TopologyInterface, TopologyLink, TopologyNamespace } from './model.ts';

/**
 * The scene: what to draw and how big each piece is, before anything is placed. Both layouts
 * (the hand-written one for the page, elkjs at build time) take a scene and return a {@link Layout}.
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

/** Geometry constants shared by both layouts and the printer. */
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
	const nodes: SceneNode[] = [];
	const edges: SceneEdge[] = [];
	const byId = new Map<string, TopologyInterface>();
	for (const h of t.hosts) for (const ns of h.namespaces) for (const i of ns.interfaces) byId.set(i.id, i);
	/** interface id → endpoint id (port id or free-standing node id) */
	const endpoint = new Map<string, string>();
	const bridgeIds = new Set(t.bridges.map((b) => b.id));

	// infrastructure: cloud, home router, switches
	if (t.upstream) {
		const cloudLines = [t.upstream.internet.join(' · ')];
		nodes.push({
			id: 'internet',
			kind: 'cloud',
			title: 'internet',
			lines: cloudLines,
			w: Math.max(sansWidth('internet', TEXT.title.size, true), ...cloudLines.map((l) => monoWidth(l, TEXT.addr.size))) + 56,
			h: 62,
			ports: [{ id: 'internet#0', node: 'internet', side: 'S', w: 0, h: 0, state: 'none' }],
		});
		const gw = t.upstream.gateway.split('/')[0]!;
		nodes.push({
			id: 'upstream',
			kind: 'router',
			title: 'home router',
			lines: [gw],
			w: Math.max(sansWidth('home router', TEXT.title.size, true) + 28, monoWidth(gw, TEXT.addr.size)) + 24,
			h: 44,
			ports: [
				{ id: 'upstream#in', node: 'upstream', side: 'N', w: 0, h: 0, state: 'none' },
				...t.upstream.ports.map((_p, n) => ({ id: `upstream#${n}`, node: 'upstream', side: 'S' as const, w: 8, h: 6, state: 'none' as const })),
			],
		});
		t.upstream.ports.forEach((p, n) => endpoint.set(`upstream:${p}`, `upstream#${n}`));
		edges.push({ id: 'internet', kind: 'internet', source: 'internet#0', target: 'upstream#in', up: true });
	}
	for (const s of t.switches) {
		nodes.push({
			id: s.id,
			kind: 'switch',
			title: s.name,
			lines: [],
			w: sansWidth(s.name, TEXT.title.size, true) + 44,
			h: 30,
			ports: s.ports.map((_p, n) => ({ id: `${s.id}#${n}`, node: s.id, side: 'S' as const, w: 8, h: 6, state: 'none' as const })),
		});
		s.ports.forEach((p, n) => endpoint.set(`${s.id}:${p}`, `${s.id}#${n}`));
	}

	for (const h of t.hosts) {
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
		nodes.push(hostNode);
		const later: SceneNode[] = [];
		for (const ns of h.namespaces) {
			const isRoot = ns.name === '';
			const nsNode: SceneNode | undefined = isRoot
				? undefined
				: {
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
			if (nsNode) later.push(nsNode);
			for (const i of ns.interfaces) {
				if (isRoot && i.master && bridgeIds.has(i.master)) continue; // a port of its bridge box
				if (isRoot && i.kind === 'bridge') {
					const label = ifaceLabel(i, byId, false);
					const lines = [i.addresses.length ? `bridge · ${label.lines[0]}` : 'bridge', ...label.lines.slice(1)];
					const size = tagSize({ name: i.name, lines, ...(label.note ? { note: label.note } : {}) });
					const b = t.bridges.find((x) => x.id === i.id)!;
					later.unshift({
						id: i.id,
						kind: 'bridge',
						parent: hostId,
						title: i.name,
						lines,
						...(label.note ? { note: label.note } : {}),
						w: size.w + 8,
						h: size.h + 8,
						ports: b.members.map((m) => memberPort(byId.get(m)!, i.id, byId)),
						state: i.state,
						iface: i.id,
					});
					for (const m of b.members) endpoint.set(m, m);
					continue;
				}
				if (isRoot && !i.wired) {
					const label = ifaceLabel(i, byId, true);
					const size = tagSize(label);
					later.push({ id: i.id, kind: 'iface', parent: hostId, title: i.name, lines: label.lines, ...(label.note ? { note: label.note } : {}), w: size.w, h: size.h, ports: [], state: i.state, iface: i.id });
					endpoint.set(i.id, i.id);
					continue;
				}
				const label = ifaceLabel(i, byId, !isRoot);
				const size = tagSize(label);
				(nsNode ?? hostNode).ports.push({ id: i.id, node: nsNode?.id ?? hostId, side: 'N', ...size, label, state: i.state, iface: i.id });
				endpoint.set(i.id, i.id);
			}
		}
		// bridges first (in ifindex order), then free interfaces, then namespaces, then ghosts
		const bridges = later.filter((n) => n.kind === 'bridge').reverse();
		nodes.push(...bridges, ...later.filter((n) => n.kind === 'iface'), ...later.filter((n) => n.kind === 'netns'));
		for (const g of h.ghosts) {
			const ports = g.ends.map((e) => {
				const label: PortLabel = { name: `if${byId.get(e)?.peerHint?.ifindex ?? '?'}`, lines: [] };
				return { id: `${g.id}#${e}`, node: g.id, side: 'N' as const, ...tagSize(label), label, state: 'unknown' as const };
			});
			g.ends.forEach((e) => endpoint.set(`ghost:${e}`, `${g.id}#${e}`));
			const title = 'unlisted netns';
			const from = g.id.slice(g.id.indexOf('?') + 1, g.id.lastIndexOf('@')) || 'root';
			nodes.push({
				id: g.id,
				kind: 'ghost',
				parent: hostId,
				title,
				lines: g.netnsid !== undefined ? [`id ${g.netnsid} as seen from ${from}`] : [],
				w: sansWidth(title, 11) + 16,
				h: GEOMETRY.chipH - 2,
				ports,
			});
		}
	}

	for (const l of t.links) {
		const a = endpoint.get(l.a);
		const b =
			l.kind === 'veth' || l.kind === 'overlay'
				? endpoint.get(l.b)
				: l.kind === 'cable'
					? endpoint.get(`${l.b}:${l.a}`)
					: l.kind === 'uplink'
						? endpoint.get(`upstream:${l.a}`)
						: endpoint.get(`ghost:${l.a}`);
		if (a && b) edges.push({ id: l.id, kind: l.kind, source: a, target: b, up: l.up });
	}
	return { nodes, edges };
}

function memberPort(i: TopologyInterface, bridge: string, byId: Map<string, TopologyInterface>): ScenePort {
	const label = ifaceLabel(i, byId, false);
	return { id: i.id, node: bridge, side: 'S', ...tagSize(label), label, state: i.state, iface: i.id };
}

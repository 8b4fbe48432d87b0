import { fitLayout, portAnchor, type Layout, type PlacedNode, type PlacedPort, type PlacedWire, type Point } from './layout.ts';
import { TEXT } from './measure.ts';
import type { Scene, SceneEdge, SceneNode, ScenePort, Side } from './scene.ts';

/**
 * What every step of the hand layout shares: the spacing, the boxes and ports placed so far,
 * the scene's graph as lookups, and the wires routed so far.
 */

/** Host padding. */
export const HP = 16;
/** Between siblings. */
export const GAP = 20;
/** Between rows inside a host (room for cables). */
export const ROW_GAP = 44;
/** Namespace padding. */
export const NSP = 12;
/** Between a title chip and the first port. */
export const CHIP_GAP = 12;
/** Between ports on one edge. */
export const PORT_GAP = 12;
/** Between the host row and the nearest infrastructure row. */
export const INFRA_GAP = 56;
/** Between infrastructure rows. */
export const INFRA_ROW = 74;
/** One line of small text (addresses, notes). */
export const LINE = TEXT.addr.line;

/** A placed box, top-left corner and size. */
export interface Box {
	node: SceneNode;
	x: number;
	y: number;
	w: number;
	h: number;
	band?: number;
}

/** A placed port. */
export interface Port {
	port: ScenePort;
	/** centre, absolute */
	x: number;
	y: number;
	side: Side;
}

/** The layout's working state and the scene's graph as lookups. */
export interface Ctx {
	ports: Map<string, Port>;
	boxes: Map<string, Box>;
	nodeOf: Map<string, SceneNode>;
	/** The node a wire end belongs to: a port's node, or the end itself when it is a node. */
	owner: (endpoint: string) => string | undefined;
	edgesOf: Map<string, SceneEdge[]>;
	other: (e: SceneEdge, end: string) => string;
	/** Records a wire's route; the first route of an edge wins. */
	route: (e: SceneEdge, points: Point[]) => void;
	/** Host of a node id, and each host's place in the row: overlay tunnels face their partner. */
	hostOf: (id: string) => string | undefined;
	hostIndex: Map<string, number>;
	/** Host ports drawn on the bottom edge (wrapped labs: a cable to a switch band below). */
	bottom: Map<string, Side>;
	/** Wrapped labs: the layer (row) of each host, see rows.ts. */
	layerOf?: Map<string, number> | undefined;
}

/** A fresh context for a scene, with the list of wires it routes into and the ids routed. */
export function createContext(scene: Scene): { c: Ctx; wires: PlacedWire[]; routed: Set<string> } {
	const ports = new Map<string, Port>();
	const nodeOf = new Map<string, SceneNode>();
	for (const n of scene.nodes) {
		nodeOf.set(n.id, n);
		for (const p of n.ports) ports.set(p.id, { port: p, x: 0, y: 0, side: p.side });
	}
	const owner = (endpoint: string): string | undefined =>
		ports.get(endpoint)?.port.node ?? (nodeOf.has(endpoint) ? endpoint : undefined);
	const edgesOf = new Map<string, SceneEdge[]>();
	for (const e of scene.edges)
		for (const end of [e.source, e.target]) edgesOf.set(end, [...(edgesOf.get(end) ?? []), e]);
	const wires: PlacedWire[] = [];
	const routed = new Set<string>();
	const hosts = scene.nodes.filter((n) => n.kind === 'host');
	const hostOf = (id: string): string | undefined => {
		let n = nodeOf.get(owner(id) ?? '');
		while (n && n.kind !== 'host') n = n.parent ? nodeOf.get(n.parent) : undefined;
		return n?.id;
	};
	const c: Ctx = {
		ports,
		boxes: new Map(),
		nodeOf,
		owner,
		edgesOf,
		other: (e, end) => (e.source === end ? e.target : e.source),
		route: (e, points) => {
			if (routed.has(e.id)) return;
			routed.add(e.id);
			wires.push({ ...e, points });
		},
		hostOf,
		hostIndex: new Map(hosts.map((h, i) => [h.id, i])),
		bottom: new Map(),
	};
	return { c, wires, routed };
}

/** Where the wire of a switch or router socket lands at the other end: that port's x. */
export function attachX(c: Ctx, socket: string): number | undefined {
	const e = c.edgesOf.get(socket)?.[0];
	if (!e) return undefined;
	const p = c.ports.get(c.other(e, socket));
	return p?.x;
}

/** Moves boxes (and their ports) by (dx, dy). */
export function shift(ids: string[], dx: number, dy: number, ports: Map<string, Port>, boxes: Map<string, Box>): void {
	for (const id of ids) {
		const b = boxes.get(id)!;
		b.x += dx;
		b.y += dy;
		for (const p of b.node.ports) {
			const pp = ports.get(p.id)!;
			pp.x += dx;
			pp.y += dy;
		}
	}
}

/** Where a wire leaves `end` when heading for `toward`. */
export function anchorOf(end: string, toward: string, c: Ctx): Point | undefined {
	const p = c.ports.get(end);
	if (p) return portAnchor({ x: p.x, y: p.y, w: p.port.w, h: p.port.h }, p.side);
	const b = c.boxes.get(end);
	if (!b) return undefined;
	const t = c.ports.get(toward) ?? c.boxes.get(toward);
	if (!t) return undefined;
	const tx = 'port' in t ? t.x : t.x + t.w / 2;
	const ty = 'port' in t ? t.y : t.y + t.h / 2;
	const cy = b.y + b.h / 2;
	if (Math.abs(ty - cy) < b.h / 2) return tx > b.x ? { x: b.x + b.w, y: cy } : { x: b.x, y: cy };
	return ty > cy ? { x: b.x + b.w / 2, y: b.y + b.h } : { x: b.x + b.w / 2, y: b.y };
}

/** A port's centre, or a box's centre. */
export function endPoint(id: string, ports: Map<string, Port>, boxes: Map<string, Box>): Point | undefined {
	const p = ports.get(id);
	if (p) return { x: p.x, y: p.y };
	const b = boxes.get(id);
	return b ? { x: b.x + b.w / 2, y: b.y + b.h / 2 } : undefined;
}

/** The placed boxes, ports and wires as a {@link Layout}, in the scene's paint order. */
export function finish(scene: Scene, boxes: Map<string, Box>, ports: Map<string, Port>, wires: PlacedWire[]): Layout {
	const nodes: PlacedNode[] = [];
	const placedPorts: PlacedPort[] = [];
	for (const n of scene.nodes) {
		const b = boxes.get(n.id);
		if (!b) continue;
		const { ports: _ports, ...rest } = n;
		const container = n.kind === 'host' || n.kind === 'netns' || n.kind === 'ghost';
		nodes.push({ ...rest, x: b.x, y: b.y, w: b.w, h: b.h, ...(container ? { chipW: n.w, band: b.band ?? n.h / 2 } : {}) });
		for (const p of n.ports) {
			const pp = ports.get(p.id)!;
			placedPorts.push({ ...p, side: pp.side, x: pp.x, y: pp.y });
		}
	}
	return fitLayout(nodes, placedPorts, wires);
}

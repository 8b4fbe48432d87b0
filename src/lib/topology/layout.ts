import { GEOMETRY, type SceneEdge, type SceneNode, type ScenePort, type Side } from './scene.ts';

/** A point in diagram coordinates (px, y down). */
export interface Point {
	x: number;
	y: number;
}

/** A placed box: its scene node plus position and size. */
export interface PlacedNode extends Omit<SceneNode, 'ports'> {
	x: number;
	y: number;
	w: number;
	h: number;
	/** Containers: width of the title chip (the scene's `w`). */
	chipW?: number;
	/** Containers: how far below the top edge the chip and ports reach; notes start below it. */
	band?: number;
}

/** A placed port: centre (x, y) and size; for N/S ports the wire attaches at the outer edge. */
export interface PlacedPort extends ScenePort {
	x: number;
	y: number;
}

/** A routed wire: a polyline of orthogonal segments. */
export interface PlacedWire extends SceneEdge {
	points: Point[];
}

/** A finished layout: what the SVG printer draws. */
export interface Layout {
	width: number;
	height: number;
	nodes: PlacedNode[];
	ports: PlacedPort[];
	wires: PlacedWire[];
}

/** Where a wire leaves a port on the given side (the middle of its outer edge). */
export function portAnchor(p: { x: number; y: number; w: number; h: number }, side: Side): Point {
	if (side === 'N') return { x: p.x, y: p.y - p.h / 2 };
	if (side === 'S') return { x: p.x, y: p.y + p.h / 2 };
	if (side === 'E') return { x: p.x + p.w / 2, y: p.y };
	return { x: p.x - p.w / 2, y: p.y };
}

/**
 * The final step of every layout engine: shifts everything so the drawing starts at the margin,
 * sizes the canvas to fit, and rounds (see {@link roundLayout}).
 */
export function fitLayout(nodes: PlacedNode[], ports: PlacedPort[], wires: PlacedWire[]): Layout {
	const xs = [...nodes.flatMap((n) => [n.x, n.x + n.w]), ...ports.flatMap((p) => [p.x - p.w / 2, p.x + p.w / 2]), ...wires.flatMap((w) => w.points.map((p) => p.x))];
	const ys = [...nodes.flatMap((n) => [n.y, n.y + n.h]), ...ports.flatMap((p) => [p.y - p.h / 2, p.y + p.h / 2]), ...wires.flatMap((w) => w.points.map((p) => p.y))];
	const dx = GEOMETRY.margin - Math.min(...xs);
	const dy = GEOMETRY.margin - Math.min(...ys);
	return roundLayout({
		width: Math.max(...xs) - Math.min(...xs) + 2 * GEOMETRY.margin,
		height: Math.max(...ys) - Math.min(...ys) + 2 * GEOMETRY.margin,
		nodes: nodes.map((n) => ({ ...n, x: n.x + dx, y: n.y + dy })),
		ports: ports.map((p) => ({ ...p, x: p.x + dx, y: p.y + dy })),
		wires: wires.map((w) => ({ ...w, points: w.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) })),
	});
}

/** Rounds every coordinate to a tenth of a pixel, so output is byte-stable across engines. */
export function roundLayout(layout: Layout): Layout {
	const r = (n: number) => Math.round(n * 10) / 10;
	return {
		width: Math.ceil(layout.width),
		height: Math.ceil(layout.height),
		nodes: layout.nodes.map((n) => ({ ...n, x: r(n.x), y: r(n.y), w: r(n.w), h: r(n.h) })),
		ports: layout.ports.map((p) => ({ ...p, x: r(p.x), y: r(p.y) })),
		wires: layout.wires.map((w) => ({ ...w, points: simplify(w.points.map((p) => ({ x: r(p.x), y: r(p.y) }))) })),
	};
}

/** Drops repeated points and middle points of straight runs. */
function simplify(points: Point[]): Point[] {
	const out: Point[] = [];
	for (const p of points) {
		const last = out[out.length - 1];
		if (last && last.x === p.x && last.y === p.y) continue;
		const prev = out[out.length - 2];
		if (prev && last && ((prev.x === last.x && last.x === p.x) || (prev.y === last.y && last.y === p.y))) out.pop();
		out.push(p);
	}
	return out;
}

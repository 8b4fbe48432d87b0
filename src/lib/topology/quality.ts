import type { Layout, PlacedNode, Point } from './layout.ts';

/**
 * Objective measures of a finished layout, the usual criteria of graph drawing: edge crossings,
 * boxes that overlap, wires that run through a box they do not belong to, size and aspect, wire
 * length and bends. Pure: it reads only the {@link Layout}, so tests can hold the layout to them
 * (quality.test.ts) and any other layout can be compared with it
 * (tests/fixtures/topology/tools/book-diagrams.mts lists them for every diagram of the book).
 */

/** A layout's scores; lower is better for all but `aspect`, which is width / height. */
export interface LayoutQuality {
	width: number;
	height: number;
	/** width × height, px². */
	area: number;
	aspect: number;
	/** Pairs of wire segments (of different wires) that cross. */
	crossings: number;
	/** Pairs of wire segments (of different wires) that run along each other for more than 1 px. */
	sharedRuns: number;
	/** Pairs of boxes (boxes and interface tags) that overlap without one containing the other. */
	overlaps: number;
	/** Wire × box pairs where the wire enters a box that is neither its end nor holds its end. */
	wireThroughBox: number;
	/** Total length of the wires, px. */
	wireLength: number;
	/** Corners along the wires. */
	bends: number;
	/** What the counts above counted, one line each, for a reader to check. */
	findings: string[];
}

interface Rect {
	id: string;
	x: number;
	y: number;
	w: number;
	h: number;
	/** Ids this rectangle may touch: itself, its owner box and their ancestors. */
	family: Set<string>;
}

interface Segment {
	wire: string;
	a: Point;
	b: Point;
}

/** Tolerance, px: coordinates are rounded to 0.1 px and lines are drawn 1.5 px wide. */
const EPS = 0.5;

/** Measures a layout. Deterministic; quadratic in wires and boxes, fine for a book's diagrams. */
export function measureLayout(layout: Layout): LayoutQuality {
	const findings: string[] = [];
	const rects = boxesOf(layout);
	const segments = layout.wires.flatMap((w) => w.points.slice(1).map((b, i): Segment => ({ wire: w.id, a: w.points[i]!, b })));
	let crossings = 0;
	let sharedRuns = 0;
	for (let i = 0; i < segments.length; i++)
		for (let j = i + 1; j < segments.length; j++) {
			const s = segments[i]!;
			const t = segments[j]!;
			if (s.wire === t.wire) continue;
			if (cross(s, t)) {
				crossings++;
				findings.push(`crossing: ${s.wire} × ${t.wire}`);
			} else if (sharedRun(s, t) > 1) {
				sharedRuns++;
				findings.push(`shared run: ${s.wire} ∥ ${t.wire}`);
			}
		}
	let overlaps = 0;
	for (let i = 0; i < rects.length; i++)
		for (let j = i + 1; j < rects.length; j++) {
			const r = rects[i]!;
			const q = rects[j]!;
			if (r.family.has(q.id) || q.family.has(r.id) || !intersects(r, q)) continue;
			overlaps++;
			findings.push(`overlap: ${r.id} / ${q.id}`);
		}
	let wireThroughBox = 0;
	for (const w of layout.wires) {
		const own = new Set([...(familyOf(w.source, layout) ?? []), ...(familyOf(w.target, layout) ?? [])]);
		for (const r of rects) {
			if (own.has(r.id)) continue;
			if (!segments.some((s) => s.wire === w.id && segmentInRect(s, r))) continue;
			wireThroughBox++;
			findings.push(`through: ${w.id} → ${r.id}`);
		}
	}
	const wireLength = segments.reduce((sum, s) => sum + Math.hypot(s.b.x - s.a.x, s.b.y - s.a.y), 0);
	const bends = layout.wires.reduce((sum, w) => sum + Math.max(0, w.points.length - 2), 0);
	return {
		width: layout.width,
		height: layout.height,
		area: layout.width * layout.height,
		aspect: Math.round((layout.width / layout.height) * 100) / 100,
		crossings,
		sharedRuns,
		overlaps,
		wireThroughBox,
		wireLength: Math.round(wireLength),
		bends,
		findings,
	};
}

/** Every drawn rectangle: boxes (the cloud by its bounds) and interface tags and sockets. */
function boxesOf(layout: Layout): Rect[] {
	const rects: Rect[] = layout.nodes.map((n) => ({ id: n.id, x: n.x, y: n.y, w: n.w, h: n.h, family: ancestors(n.id, layout) }));
	for (const p of layout.ports) {
		// The internet's and the router's zero-size anchors are points, not boxes.
		if (p.w === 0 || p.h === 0) continue;
		rects.push({ id: p.id, x: p.x - p.w / 2, y: p.y - p.h / 2, w: p.w, h: p.h, family: new Set([p.id, ...ancestors(p.node, layout)]) });
	}
	return rects;
}

/** A node and the containers around it. */
function ancestors(id: string, layout: Layout): Set<string> {
	const out = new Set<string>();
	let n: PlacedNode | undefined = layout.nodes.find((x) => x.id === id);
	while (n) {
		out.add(n.id);
		const parent: string | undefined = n.parent;
		n = parent === undefined ? undefined : layout.nodes.find((x) => x.id === parent);
	}
	return out;
}

/** A wire end (a port or a free-standing box) with its owner and containers. */
function familyOf(end: string, layout: Layout): Set<string> | undefined {
	const port = layout.ports.find((p) => p.id === end);
	if (port) return new Set([end, ...ancestors(port.node, layout)]);
	return layout.nodes.some((n) => n.id === end) ? ancestors(end, layout) : undefined;
}

function intersects(r: Rect, q: Rect): boolean {
	return Math.min(r.x + r.w, q.x + q.w) - Math.max(r.x, q.x) > EPS && Math.min(r.y + r.h, q.y + q.h) - Math.max(r.y, q.y) > EPS;
}

/** True when the segment passes through the rectangle's inside (touching an edge does not count). */
function segmentInRect(s: Segment, r: Rect): boolean {
	const x1 = r.x + EPS;
	const x2 = r.x + r.w - EPS;
	const y1 = r.y + EPS;
	const y2 = r.y + r.h - EPS;
	if (x2 <= x1 || y2 <= y1) return false;
	// Liang–Barsky clipping: does any part of the segment lie strictly inside?
	let t0 = 0;
	let t1 = 1;
	const dx = s.b.x - s.a.x;
	const dy = s.b.y - s.a.y;
	for (const [p, q] of [
		[-dx, s.a.x - x1],
		[dx, x2 - s.a.x],
		[-dy, s.a.y - y1],
		[dy, y2 - s.a.y],
	] as const) {
		if (p === 0) {
			if (q <= 0) return false;
			continue;
		}
		const t = q / p;
		if (p < 0) t0 = Math.max(t0, t);
		else t1 = Math.min(t1, t);
		if (t0 >= t1) return false;
	}
	return t1 - t0 > 1e-9;
}

const orient = (a: Point, b: Point, c: Point): number => (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);

/** A proper crossing: each segment has the other's ends strictly on opposite sides. */
function cross(s: Segment, t: Segment): boolean {
	const len = (g: Segment) => Math.hypot(g.b.x - g.a.x, g.b.y - g.a.y) || 1;
	// Orientation values scaled to distances, so the tolerance is in pixels.
	const d1 = orient(s.a, s.b, t.a) / len(s);
	const d2 = orient(s.a, s.b, t.b) / len(s);
	const d3 = orient(t.a, t.b, s.a) / len(t);
	const d4 = orient(t.a, t.b, s.b) / len(t);
	return ((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS));
}

/** Length along which two collinear segments overlap (0 when they are not collinear). */
function sharedRun(s: Segment, t: Segment): number {
	const len = Math.hypot(s.b.x - s.a.x, s.b.y - s.a.y);
	if (len === 0) return 0;
	if (Math.abs(orient(s.a, s.b, t.a) / len) > EPS || Math.abs(orient(s.a, s.b, t.b) / len) > EPS) return 0;
	const ux = (s.b.x - s.a.x) / len;
	const uy = (s.b.y - s.a.y) / len;
	const along = (p: Point) => (p.x - s.a.x) * ux + (p.y - s.a.y) * uy;
	const [t1, t2] = [along(t.a), along(t.b)].sort((a, b) => a - b) as [number, number];
	return Math.max(0, Math.min(len, t2) - Math.max(0, t1));
}

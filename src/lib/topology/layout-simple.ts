import { monoWidth, TEXT } from './measure.ts';
import { fitLayout, portAnchor, type Layout, type PlacedNode, type PlacedPort, type PlacedWire, type Point } from './layout.ts';
import type { Scene, SceneEdge, SceneNode, ScenePort, Side } from './scene.ts';
import { HOST_GAP, planRows, type RowPlan } from './rows.ts';

/**
 * The cheap layout: a deterministic, hand-written layered layout that knows the shape of these
 * diagrams (internet → router and switches → hosts; inside a host: its own ports on top, bridges
 * and free interfaces, then namespaces), so every veth and switch cable can be a straight vertical
 * line. No dependencies, no DOM, linear-ish in the number of boxes: fit for the live diagram.
 */

const HP = 16; // host padding
const GAP = 20; // between siblings
const ROW_GAP = 44; // between rows inside a host (room for cables)
const NSP = 12; // namespace padding
const CHIP_GAP = 12; // between a title chip and the first port
const PORT_GAP = 12; // between ports on one edge
const INFRA_GAP = 56; // between the host row and the nearest infrastructure row
const INFRA_ROW = 74;
const LINE = TEXT.addr.line;

interface Box {
	node: SceneNode;
	x: number;
	y: number;
	w: number;
	h: number;
	band?: number;
}

interface Port {
	port: ScenePort;
	/** centre, absolute */
	x: number;
	y: number;
	side: Side;
}

/**
 * The row plan of a scene (see rows.ts), with hosts measured by this layout. The elkjs layout
 * uses it too, so both wrap a wide lab the same way.
 */
export function planSceneRows(scene: Scene): RowPlan | undefined {
	return layoutSimple(scene, true).plan;
}

/** Lays a scene out without elkjs. Same scene → same layout, to the tenth of a pixel. */
export function layoutSimple(scene: Scene): Layout;
export function layoutSimple(scene: Scene, planOnly: true): { plan: RowPlan | undefined };
export function layoutSimple(scene: Scene, planOnly = false): Layout | { plan: RowPlan | undefined } {
	const ports = new Map<string, Port>();
	const boxes = new Map<string, Box>();
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
	const other = (e: SceneEdge, end: string) => (e.source === end ? e.target : e.source);
	const wires: PlacedWire[] = [];
	const routed = new Set<string>();
	const route = (e: SceneEdge, points: Point[]) => {
		if (routed.has(e.id)) return;
		routed.add(e.id);
		wires.push({ ...e, points });
	};

	// 1. hosts, each laid out in its own frame, then placed left to right
	const hosts = scene.nodes.filter((n) => n.kind === 'host');
	const hostIndex = new Map(hosts.map((h, i) => [h.id, i]));
	const hostOf = (id: string): string | undefined => {
		let n = nodeOf.get(owner(id) ?? '');
		while (n && n.kind !== 'host') n = n.parent ? nodeOf.get(n.parent) : undefined;
		return n?.id;
	};
	const ctx: Ctx = { ports, boxes, nodeOf, owner, edgesOf, other, route, hostOf, hostIndex, bottom: new Map() };
	// dry runs size every host alone, to decide whether the lab wraps onto several rows
	const plan = planRows(scene, (id, bottom) => {
		const dry: Ctx = { ...ctx, ports: new Map([...ports].map(([k, v]) => [k, { ...v }])), boxes: new Map(), route: () => {}, bottom };
		layoutHost(nodeOf.get(id)!, scene, dry);
		return dry.boxes.get(id)!.w;
	});
	if (planOnly) return { plan };
	if (plan) ctx.bottom = plan.side;
	let hx = 0;
	const placedHosts = new Map<string, { ids: string[]; wires: PlacedWire[] }>();
	for (const host of hosts) {
		const before = wires.length;
		const local = layoutHost(host, scene, ctx);
		placedHosts.set(host.id, { ids: local, wires: wires.slice(before) });
		if (plan) continue;
		shift(local, hx, 0, ports, boxes);
		for (const w of wires.slice(before)) w.points = w.points.map((p) => ({ x: p.x + hx, y: p.y }));
		hx += boxes.get(host.id)!.w + HOST_GAP;
	}

	// 2. infrastructure above: router and switches as bars over the ports they serve, cloud on top
	const infra = scene.nodes.filter((n) => n.kind === 'router' || n.kind === 'switch');
	if (plan) placeRows(plan, ctx, placedHosts, attachX);
	else {
	const rows: { left: number; right: number }[][] = [];
	let freeX = 0;
	for (const n of infra) {
		const sockets = n.ports.filter((p) => p.side === 'S');
		const xs = sockets.map((s) => attachX(s.id)).filter((x): x is number => x !== undefined);
		let left: number;
		let w: number;
		if (xs.length) {
			const min = Math.min(...xs);
			const max = Math.max(...xs);
			w = Math.max(n.w, max - min + 40);
			left = (min + max) / 2 - w / 2;
		} else {
			w = n.w;
			left = Math.max(freeX, hx - HOST_GAP + GAP);
		}
		let row = rows.findIndex((r) => r.every((iv) => left + w + GAP <= iv.left || left >= iv.right + GAP));
		if (n.kind === 'router' && row !== 0 && rows.length) row = rows.length; // keep the cloud's way clear
		if (row < 0) row = rows.length;
		(rows[row] ??= []).push({ left, right: left + w });
		freeX = Math.max(freeX, left + w + GAP);
		const bottom = -INFRA_GAP - row * INFRA_ROW;
		boxes.set(n.id, { node: n, x: left, y: bottom - n.h, w, h: n.h });
		for (const s of sockets) {
			const x = attachX(s.id);
			const p = ports.get(s.id)!;
			p.x = x ?? left + w / 2;
			p.y = bottom;
		}
	}
	}
	const router = boxes.get('upstream');
	const cloud = scene.nodes.find((n) => n.kind === 'cloud');
	if (router && cloud) {
		const top = Math.min(...[...boxes.values()].filter((b) => b.node.kind !== 'host' && !b.node.parent).map((b) => b.y));
		const cy = Math.min(router.y, top) - 28 - cloud.h;
		boxes.set(cloud.id, { node: cloud, x: router.x + router.w / 2 - cloud.w / 2, y: cy, w: cloud.w, h: cloud.h });
		const out = ports.get('internet#0')!;
		out.x = router.x + router.w / 2;
		out.y = cy + cloud.h - 6;
		const inn = ports.get('upstream#in')!;
		inn.x = out.x;
		inn.y = router.y;
	}
	for (const e of scene.edges) {
		const a = ports.get(e.source);
		const b = ports.get(e.target);
		if (!a || !b) continue;
		if (e.kind === 'cable' || e.kind === 'uplink' || e.kind === 'internet') {
			const from = a.port.w > 8 ? portAnchor({ ...a, w: a.port.w, h: a.port.h }, a.side) : { x: a.x, y: a.y };
			const to = b.port.w > 8 ? portAnchor({ ...b, w: b.port.w, h: b.port.h }, b.side) : { x: b.x, y: b.y };
			route(e, from.x === to.x ? [from, to] : [from, { x: from.x, y: (from.y + to.y) / 2 }, { x: to.x, y: (from.y + to.y) / 2 }, to]);
		}
	}
	// overlay tunnels between hosts: across the gap between them
	for (const e of scene.edges.filter((x) => x.kind === 'overlay')) {
		const a = boxes.get(e.source);
		const b = boxes.get(e.target);
		if (!a || !b) continue;
		const [l, r] = a.x <= b.x ? [a, b] : [b, a];
		const y1 = l.y + l.h / 2;
		const y2 = r.y + r.h / 2;
		const mid = (l.x + l.w + r.x) / 2;
		route(e, [{ x: l.x + l.w, y: y1 }, { x: mid, y: y1 }, { x: mid, y: y2 }, { x: r.x, y: y2 }]);
	}
	// anything left: a plain orthogonal route between the two ends
	for (const e of scene.edges) {
		if (routed.has(e.id)) continue;
		const a = endPoint(e.source, ports, boxes);
		const b = endPoint(e.target, ports, boxes);
		if (a && b) route(e, [a, { x: a.x, y: (a.y + b.y) / 2 }, { x: b.x, y: (a.y + b.y) / 2 }, b]);
	}

	return finish(scene, boxes, ports, wires);

	function attachX(socket: string): number | undefined {
		const e = edgesOf.get(socket)?.[0];
		if (!e) return undefined;
		const p = ports.get(other(e, socket));
		return p?.x;
	}
}

interface Ctx {
	ports: Map<string, Port>;
	boxes: Map<string, Box>;
	nodeOf: Map<string, SceneNode>;
	owner: (endpoint: string) => string | undefined;
	edgesOf: Map<string, SceneEdge[]>;
	other: (e: SceneEdge, end: string) => string;
	route: (e: SceneEdge, points: Point[]) => void;
	/** Host of a node id, and each host's place in the row: overlay tunnels face their partner. */
	hostOf: (id: string) => string | undefined;
	hostIndex: Map<string, number>;
	/** Host ports drawn on the bottom edge (wrapped labs: a cable to a switch band below). */
	bottom: Map<string, Side>;
}

/** Lays one host out with its top-left corner at (0, 0); returns the ids of everything placed. */
function layoutHost(host: SceneNode, scene: Scene, c: Ctx): string[] {
	const placed: string[] = [host.id];
	const children = scene.nodes.filter((n) => n.parent === host.id);
	const bridges = children.filter((n) => n.kind === 'bridge');
	const pills = children.filter((n) => n.kind === 'iface');
	const spaces = children.filter((n) => n.kind === 'netns' || n.kind === 'ghost');

	// top band: title chip, then the host's own ports straddling the top edge
	let x = HP + host.w + CHIP_GAP;
	let half = host.h / 2;
	const downward = host.ports.filter((p) => c.bottom.get(p.id) === 'S');
	for (const p of host.ports.filter((q) => !downward.includes(q))) {
		const pp = c.ports.get(p.id)!;
		pp.x = x + p.w / 2;
		pp.y = 0;
		x += p.w + PORT_GAP;
		half = Math.max(half, p.h / 2);
	}
	let right = x - PORT_GAP;
	const notesTop = half + 8;
	const notesW = Math.max(0, ...host.lines.map((l) => monoWidth(l, TEXT.addr.size)));
	right = Math.max(right, HP + notesW);
	let y = notesTop + host.lines.length * LINE + (host.lines.length ? 6 : 0);

	// row C order: namespaces in the order of the bridge ports and interfaces they hang from
	const inRowC = new Set(spaces.map((n) => n.id));
	const order: SceneNode[] = [];
	const push = (id: string | undefined) => {
		if (!id || !inRowC.has(id) || order.some((n) => n.id === id)) return;
		const n = c.nodeOf.get(id)!;
		order.push(n);
		for (const p of n.ports) for (const e of c.edgesOf.get(p.id) ?? []) push(c.owner(c.other(e, p.id)));
	};
	for (const b of bridges) for (const p of b.ports) for (const e of c.edgesOf.get(p.id) ?? []) push(c.owner(c.other(e, p.id)));
	for (const p of pills) for (const e of c.edgesOf.get(p.id) ?? []) push(c.owner(c.other(e, p.id)));
	for (const n of spaces) push(n.id);
	const index = new Map(order.map((n, i) => [n.id, i]));

	// port sides in row C: N by default; facing sides for veths between neighbours; S for others
	const side = new Map<string, Side>();
	for (const n of order)
		for (const p of n.ports)
			for (const e of c.edgesOf.get(p.id) ?? []) {
				if (e.kind !== 'veth') continue;
				const o = c.owner(c.other(e, p.id));
				if (!o || o === n.id || !index.has(o)) continue;
				const d = index.get(o)! - index.get(n.id)!;
				side.set(p.id, d === 1 ? 'E' : d === -1 ? 'W' : 'S');
			}

	// sizes of row C boxes
	const sized = order.map((n) => {
		const byside = (s: Side) => n.ports.filter((p) => (side.get(p.id) ?? 'N') === s);
		const north = byside('N');
		const topHalf = Math.max(n.h / 2, ...north.map((p) => p.h / 2));
		const innerTop = topHalf + 6;
		const notesH = n.lines.length * LINE;
		const east = byside('E')[0];
		const west = byside('W')[0];
		const south = byside('S');
		const ewY = innerTop + notesH + 8 + Math.max(east?.h ?? 0, west?.h ?? 0) / 2;
		const w = Math.max(
			NSP + n.w + CHIP_GAP + north.reduce((s, p) => s + p.w + PORT_GAP, 0) - PORT_GAP + NSP,
			2 * NSP + Math.max(0, ...n.lines.map((l) => monoWidth(l, TEXT.addr.size))),
			(west?.w ?? 0) / 2 + (east?.w ?? 0) / 2 + 2 * NSP + 24,
			south.reduce((s, p) => s + p.w + PORT_GAP, 2 * NSP),
			80,
		);
		const h = Math.max(innerTop + notesH + NSP, east || west ? ewY + Math.max(east?.h ?? 0, west?.h ?? 0) / 2 + NSP : 0, 40);
		return { n, north, east, west, south, topHalf, ewY, w, h };
	});
	// line up facing E/W ports of neighbours
	for (let i = 0; i + 1 < sized.length; i++) {
		const a = sized[i]!;
		const b = sized[i + 1]!;
		if (a.east && b.west && c.edgesOf.get(a.east.id)?.some((e) => c.other(e, a.east!.id) === b.west!.id)) {
			const ewY = Math.max(a.ewY, b.ewY);
			a.ewY = b.ewY = ewY;
			a.h = b.h = Math.max(a.h, b.h, ewY + Math.max(a.east.h, b.west.h) / 2 + NSP);
		}
	}
	const rowC = sized.map((s, i) => {
		const next = sized[i + 1];
		const gap = s.east && next?.west ? s.east.w / 2 + next.west.w / 2 + 28 : GAP;
		return { ...s, x: 0, gap };
	});
	let cx = HP;
	for (const r of rowC) {
		r.x = cx;
		cx += r.w + r.gap;
	}
	const portX = (r: (typeof rowC)[number]) => {
		const xs = new Map<string, number>();
		let px = r.x + NSP + r.n.w + CHIP_GAP;
		for (const p of r.north) {
			xs.set(p.id, px + p.w / 2);
			px += p.w + PORT_GAP;
		}
		let sx = r.x + NSP;
		for (const p of r.south) {
			xs.set(p.id, sx + p.w / 2);
			sx += p.w + PORT_GAP;
		}
		if (r.east) xs.set(r.east.id, r.x + r.w);
		if (r.west) xs.set(r.west.id, r.x);
		return xs;
	};
	const rowCPortX = (portId: string): { x: number; i: number } | undefined => {
		const o = c.owner(portId);
		const i = o !== undefined ? index.get(o) : undefined;
		if (i === undefined) return undefined;
		if ((side.get(portId) ?? 'N') !== 'N') return undefined;
		return { x: portX(rowC[i]!).get(portId)!, i };
	};

	// row B: bridges and free interfaces, each above the namespace ports it is wired to
	interface Item {
		node: SceneNode;
		anchors: { port: string | undefined; target: { x: number; i: number } | undefined }[];
	}
	const items: Item[] = [...bridges, ...pills].map((node) => {
		const ends = node.kind === 'bridge' ? node.ports.map((p) => p.id) : [node.id];
		return {
			node,
			anchors: ends.map((end) => {
				const e = (c.edgesOf.get(end) ?? []).find((x) => x.kind === 'veth' || x.kind === 'ghost');
				return { port: node.kind === 'bridge' ? end : undefined, target: e ? rowCPortX(c.other(e, end)) : undefined };
			}),
		};
	});
	const firstAnchor = (it: Item) => Math.min(...it.anchors.map((a) => a.target?.i ?? Infinity));
	const anchored = items.filter((it) => firstAnchor(it) < Infinity).sort((a, b) => firstAnchor(a) - firstAnchor(b));
	const loose = items.filter((it) => firstAnchor(it) === Infinity);
	// free interfaces joined to each other (a veth with both ends in the root) sit side by side
	const looseOrdered: Item[] = [];
	for (const it of loose) {
		if (looseOrdered.includes(it)) continue;
		looseOrdered.push(it);
		for (const e of c.edgesOf.get(it.node.id) ?? []) {
			const mate = loose.find((m) => m.node.id === c.other(e, it.node.id));
			if (mate && !looseOrdered.includes(mate)) looseOrdered.push(mate);
		}
	}
	// a vxlan tunnel leaves from the side facing its partner host
	const facing = (it: Item): number => {
		const here = c.hostIndex.get(host.id)!;
		for (const e of c.edgesOf.get(it.node.id) ?? []) {
			if (e.kind !== 'overlay') continue;
			const there = c.hostIndex.get(c.hostOf(c.other(e, it.node.id)) ?? '');
			if (there !== undefined) return there < here ? -1 : 1;
		}
		return 0;
	};
	const leftmost = looseOrdered.filter((it) => facing(it) < 0);
	const rightmost = looseOrdered.filter((it) => facing(it) > 0);
	const middle = looseOrdered.filter((it) => facing(it) === 0);
	const rowBTop = y + 10;
	let cursor = HP;
	let protectedIndex = -1;
	const placedB: { it: Item; left: number; w: number; portXs: Map<string, number> }[] = [];
	for (const it of [...leftmost, ...anchored, ...middle, ...rightmost]) {
		const n = it.node;
		const portXs = new Map<string, number>();
		let left: number;
		let w: number;
		const refresh = () => {
			for (const a of it.anchors) if (a.target) a.target = rowCPortX(a.target === undefined ? '' : findEnd(a));
		};
		const findEnd = (a: Item['anchors'][number]) => {
			const end = a.port ?? n.id;
			const e = (c.edgesOf.get(end) ?? []).find((x) => x.kind === 'veth' || x.kind === 'ghost')!;
			return c.other(e, end);
		};
		const compute = () => {
			portXs.clear();
			if (n.kind === 'bridge') {
				const xs: { id: string; x: number; w: number }[] = [];
				let free = -Infinity;
				for (const [k, a] of it.anchors.entries()) {
					const p = n.ports[k]!;
					if (a.target) xs.push({ id: p.id, x: a.target.x, w: p.w });
					else xs.push({ id: p.id, x: NaN, w: p.w });
				}
				// anchored ports where their namespace is; the others after them; no overlaps
				xs.sort((a, b) => (isNaN(a.x) ? 1 : isNaN(b.x) ? -1 : a.x - b.x));
				for (const p of xs) {
					if (isNaN(p.x)) p.x = free === -Infinity ? cursor + 10 + p.w / 2 : free + p.w / 2;
					if (p.x - p.w / 2 < free) p.x = free + p.w / 2;
					free = p.x + p.w / 2 + PORT_GAP;
					portXs.set(p.id, p.x);
				}
				if (xs.length) {
					left = Math.min(...xs.map((p) => p.x - p.w / 2)) - 10;
					w = Math.max(n.w, Math.max(...xs.map((p) => p.x + p.w / 2)) + 10 - left);
				} else {
					left = cursor;
					w = n.w;
				}
			} else {
				const t = it.anchors[0]?.target;
				left = t ? t.x - n.w / 2 : cursor;
				w = n.w;
			}
		};
		compute();
		const first = firstAnchor(it);
		if (left! < cursor) {
			if (first < Infinity && first > protectedIndex) {
				const d = cursor - left!;
				for (const r of rowC.slice(first)) r.x += d;
				refresh();
				compute();
			} else {
				const d = cursor - left!;
				left = cursor;
				for (const [k, v] of portXs) portXs.set(k, v + d);
			}
		}
		for (const a of it.anchors) if (a.target) protectedIndex = Math.max(protectedIndex, a.target.i);
		placedB.push({ it, left: left!, w: w!, portXs });
		cursor = left! + w! + GAP;
	}
	const portHalf = Math.max(0, ...bridges.flatMap((b) => b.ports.map((p) => p.h / 2)));
	let rowBBottom = y;
	for (const b of placedB) {
		const n = b.it.node;
		const h = n.h + (n.kind === 'bridge' && n.ports.length ? portHalf + 2 : 0);
		c.boxes.set(n.id, { node: n, x: b.left, y: rowBTop, w: b.w, h });
		placed.push(n.id);
		for (const p of n.ports) {
			const pp = c.ports.get(p.id)!;
			pp.x = b.portXs.get(p.id)!;
			pp.y = rowBTop + h;
			pp.side = 'S';
		}
		rowBBottom = Math.max(rowBBottom, rowBTop + h + (n.kind === 'bridge' && n.ports.length ? portHalf : 0));
		right = Math.max(right, b.left + b.w);
	}

	// row C placement
	const northHalf = Math.max(0, ...rowC.map((r) => r.topHalf));
	const rowCTop = (placedB.length ? rowBBottom + ROW_GAP : y + 8) + northHalf;
	let bottom = Math.max(rowBBottom, y);
	for (const r of rowC) {
		c.boxes.set(r.n.id, { node: r.n, x: r.x, y: rowCTop, w: r.w, h: r.h, band: r.topHalf });
		placed.push(r.n.id);
		const xs = portX(r);
		for (const p of r.n.ports) {
			const pp = c.ports.get(p.id)!;
			const s = side.get(p.id) ?? 'N';
			pp.side = s;
			pp.x = xs.get(p.id)!;
			pp.y = s === 'N' ? rowCTop : s === 'S' ? rowCTop + r.h : rowCTop + r.ewY;
		}
		bottom = Math.max(bottom, rowCTop + r.h + Math.max(0, ...r.south.map((p) => p.h / 2)));
		right = Math.max(right, r.x + r.w + (r.east ? r.east.w / 2 : 0));
	}

	// wires inside the host
	const mid = (placedB.length ? rowBBottom + (rowCTop - northHalf - rowBBottom) / 2 : rowCTop - northHalf - 4);
	let lane = 0;
	let uLane = 0;
	for (const id of placed.slice(1)) {
		const n = c.nodeOf.get(id)!;
		const ends = n.kind === 'iface' ? [n.id] : n.ports.map((p) => p.id);
		for (const end of ends)
			for (const e of c.edgesOf.get(end) ?? []) {
				if (e.kind === 'overlay') continue;
				const o = c.other(e, end);
				if (!placed.includes(c.owner(o) ?? '')) continue;
				const a = anchorOf(end, o, c);
				const b = anchorOf(o, end, c);
				if (!a || !b) continue;
				const sa = c.ports.get(end)?.side;
				const sb = c.ports.get(o)?.side;
				if (a.x === b.x || a.y === b.y) c.route(e, [a, b]);
				else if (sa === 'S' && sb === 'S') {
					const ly = bottom + 10 + uLane++ * 8;
					c.route(e, [a, { x: a.x, y: ly }, { x: b.x, y: ly }, b]);
				} else if ((sa === 'E' || sa === 'W') && (sb === 'E' || sb === 'W')) {
					const mx = (a.x + b.x) / 2;
					c.route(e, [a, { x: mx, y: a.y }, { x: mx, y: b.y }, b]);
				} else if (sa === 'N' && sb === 'N' && c.owner(end) === c.owner(o)) {
					const ly = Math.min(a.y, b.y) - 10;
					c.route(e, [a, { x: a.x, y: ly }, { x: b.x, y: ly }, b]);
				} else {
					const my = mid + (lane++ % 4) * 6 - 9;
					c.route(e, [a, { x: a.x, y: my }, { x: b.x, y: my }, b]);
				}
			}
	}
	if (uLane) bottom += 10 + uLane * 8;
	// ports to a switch band below: along the bottom edge, after the chip's column
	if (downward.length) {
		bottom += Math.max(...downward.map((p) => p.h / 2)) + 4;
		let bx = HP + host.w + CHIP_GAP;
		for (const p of downward) {
			const pp = c.ports.get(p.id)!;
			pp.x = bx + p.w / 2;
			pp.y = bottom + HP;
			pp.side = 'S';
			bx += p.w + PORT_GAP;
		}
		right = Math.max(right, bx - PORT_GAP);
	}
	const hostBox: Box = { node: host, x: 0, y: 0, w: right + HP, h: bottom + HP, band: half };
	c.boxes.set(host.id, hostBox);
	return placed;
}

/**
 * Wrapped labs (see rows.ts): stacks the host rows and switch bands of the plan top to bottom,
 * each row centred, each switch a bar spanning the ports it serves, with sockets on the side of
 * the host they lead to.
 */
function placeRows(
	plan: RowPlan,
	c: Ctx,
	placedHosts: Map<string, { ids: string[]; wires: PlacedWire[] }>,
	attachX: (socket: string) => number | undefined,
): void {
	const rowW = (ids: string[]) => ids.reduce((s, id) => s + c.boxes.get(id)!.w, 0) + HOST_GAP * (ids.length - 1);
	const widest = Math.max(...plan.layers.map((l) => (l.kind === 'hosts' ? rowW(l.hosts) : 0)));
	let y = 0;
	let prev: RowPlan['layers'][number]['kind'] | undefined;
	const bandTop = new Map<number, number>();
	for (const [i, layer] of plan.layers.entries()) {
		if (layer.kind === 'hosts') {
			if (prev) y += prev === 'band' ? INFRA_GAP : INFRA_GAP + 8;
			let x = (widest - rowW(layer.hosts)) / 2;
			let h = 0;
			for (const id of layer.hosts) {
				const b = c.boxes.get(id)!;
				const { ids, wires } = placedHosts.get(id)!;
				shift(ids, x, y, c.ports, c.boxes);
				for (const w of wires) w.points = w.points.map((p) => ({ x: p.x + x, y: p.y + y }));
				x += b.w + HOST_GAP;
				h = Math.max(h, b.h);
			}
			y += h;
		} else {
			if (prev) y += INFRA_GAP;
			bandTop.set(i, y);
			y += Math.max(...layer.infra.map((id) => c.nodeOf.get(id)!.h));
		}
		prev = layer.kind;
	}
	for (const [i, layer] of plan.layers.entries()) {
		if (layer.kind !== 'band') continue;
		let free = -Infinity;
		for (const id of layer.infra) {
			const n = c.nodeOf.get(id)!;
			const sockets = n.ports.filter((p) => p.side === 'S');
			const xs = sockets.map((s) => attachX(s.id)).filter((x): x is number => x !== undefined);
			const w = xs.length ? Math.max(n.w, Math.max(...xs) - Math.min(...xs) + 40) : n.w;
			const left = Math.max(free, xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 - w / 2 : 0);
			free = left + w + GAP;
			const top = bandTop.get(i)!;
			c.boxes.set(n.id, { node: n, x: left, y: top, w, h: n.h });
			for (const s of sockets) {
				const p = c.ports.get(s.id)!;
				const e = c.edgesOf.get(s.id)?.[0];
				const to = e ? c.ports.get(c.other(e, s.id))?.port.node : undefined;
				const above = to !== undefined && (plan.layerOf.get(to) ?? Infinity) < i;
				p.x = attachX(s.id) ?? left + w / 2;
				p.y = above ? top : top + n.h;
				p.side = above ? 'N' : 'S';
			}
		}
	}
}

/** Where a wire leaves `end` when heading for `toward`. */
function anchorOf(end: string, toward: string, c: Ctx): Point | undefined {
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

function endPoint(id: string, ports: Map<string, Port>, boxes: Map<string, Box>): Point | undefined {
	const p = ports.get(id);
	if (p) return { x: p.x, y: p.y };
	const b = boxes.get(id);
	return b ? { x: b.x + b.w / 2, y: b.y + b.h / 2 } : undefined;
}

function shift(ids: string[], dx: number, dy: number, ports: Map<string, Port>, boxes: Map<string, Box>): void {
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

function finish(scene: Scene, boxes: Map<string, Box>, ports: Map<string, Port>, wires: PlacedWire[]): Layout {
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


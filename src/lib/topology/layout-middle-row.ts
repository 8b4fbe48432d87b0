import type { SceneNode } from './scene.ts';
import { GAP, HP, PORT_GAP, type Ctx } from './layout-context.ts';
import { rowPortX, type NamespaceRow } from './layout-namespaces.ts';

/**
 * A host's middle row: bridges and free interfaces, each straight above the namespace ports it
 * is wired to (moving namespaces right when that is the only way), vxlan interfaces on the side
 * facing their tunnel partner, and interfaces joined to each other side by side.
 */

/** A box of the middle row and, per wire end (a bridge's ports, or the interface itself), the row port below. */
interface Item {
	node: SceneNode;
	anchors: { port: string | undefined; target: { x: number; i: number } | undefined }[];
}

/** Where an item went: left edge, width, and its ports' x. */
interface Placed {
	it: Item;
	left: number;
	w: number;
	portXs: Map<string, number>;
}

/** What the middle row leaves for the rest of the host. */
export interface MiddleRow {
	/** Ids placed, left to right. */
	placed: string[];
	/** Lowest point of the row (its bridge ports included); `y` when the row is empty. */
	bottom: number;
	/** Rightmost edge; -Infinity when the row is empty. */
	right: number;
}

/** Places the middle row below the host's notes (which end at `y`); may move namespaces of `row` right. */
export function placeMiddleRow(host: SceneNode, bridges: SceneNode[], pills: SceneNode[], row: NamespaceRow, c: Ctx, y: number): MiddleRow {
	const items: Item[] = [...bridges, ...pills].map((node) => {
		const ends = node.kind === 'bridge' ? node.ports.map((p) => p.id) : [node.id];
		return {
			node,
			anchors: ends.map((end) => {
				const e = (c.edgesOf.get(end) ?? []).find((x) => x.kind === 'veth' || x.kind === 'ghost');
				return { port: node.kind === 'bridge' ? end : undefined, target: e ? rowPortX(row, c.other(e, end), c) : undefined };
			}),
		};
	});
	return setBoxes(placeItems(orderItems(host, items, c), row, c), bridges, c, y + 10, y);
}

function firstAnchor(it: Item): number {
	return Math.min(...it.anchors.map((a) => a.target?.i ?? Infinity));
}

/** Left to right: interfaces facing a host on the left, anchored items, the others, those facing right. */
function orderItems(host: SceneNode, items: Item[], c: Ctx): Item[] {
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
	// a vxlan tunnel leaves from the side facing its partner host; to a host in another row of a
	// wrapped lab, from the right, where it runs down the drawing's right side (infra.ts)
	const facing = (it: Item): number => {
		const here = c.hostIndex.get(host.id)!;
		for (const e of c.edgesOf.get(it.node.id) ?? []) {
			if (e.kind !== 'overlay') continue;
			const partner = c.hostOf(c.other(e, it.node.id)) ?? '';
			const there = c.hostIndex.get(partner);
			if (there === undefined) continue;
			if (c.layerOf && c.layerOf.get(partner) !== c.layerOf.get(host.id)) return 1;
			return there < here ? -1 : 1;
		}
		return 0;
	};
	const leftmost = looseOrdered.filter((it) => facing(it) < 0);
	const rightmost = looseOrdered.filter((it) => facing(it) > 0);
	const middle = looseOrdered.filter((it) => facing(it) === 0);
	return [...leftmost, ...anchored, ...middle, ...rightmost];
}

/** Places the items left to right from the host's padding, each over its anchors when it can be. */
function placeItems(ordered: Item[], row: NamespaceRow, c: Ctx): Placed[] {
	let cursor = HP;
	let protectedIndex = -1;
	const placed: Placed[] = [];
	for (const it of ordered) {
		let at = span(it, cursor);
		const first = firstAnchor(it);
		if (at.left < cursor) {
			const d = cursor - at.left;
			if (first < Infinity && first > protectedIndex) {
				// No earlier item hangs over these namespaces: they move right, and wires stay straight.
				for (const r of row.items.slice(first)) r.x += d;
				for (const a of it.anchors) if (a.target) a.target = rowPortX(row, farEnd(it, a, c), c);
				at = span(it, cursor);
			} else {
				// They cannot move: the item does, and its wires bend.
				at = { left: cursor, w: at.w, portXs: new Map([...at.portXs].map(([k, v]) => [k, v + d])) };
			}
		}
		for (const a of it.anchors) if (a.target) protectedIndex = Math.max(protectedIndex, a.target.i);
		placed.push({ it, ...at });
		cursor = at.left + at.w + GAP;
	}
	return placed;
}

/** The row port at the other end of an anchor's wire. */
function farEnd(it: Item, a: Item['anchors'][number], c: Ctx): string {
	const end = a.port ?? it.node.id;
	const e = (c.edgesOf.get(end) ?? []).find((x) => x.kind === 'veth' || x.kind === 'ghost')!;
	return c.other(e, end);
}

/**
 * Where an item would go with its anchors where they are now: a bridge spans its ports, each
 * over its namespace port (unanchored ports after them, none overlapping), and is centred over
 * them when it is wider; a free interface is centred over its namespace port; with no anchor,
 * at the cursor.
 */
function span(it: Item, cursor: number): Omit<Placed, 'it'> {
	const n = it.node;
	const portXs = new Map<string, number>();
	if (n.kind !== 'bridge') {
		const t = it.anchors[0]?.target;
		return { left: t ? t.x - n.w / 2 : cursor, w: n.w, portXs };
	}
	const xs = it.anchors.map((a, k) => {
		const p = n.ports[k]!;
		return { id: p.id, x: a.target ? a.target.x : NaN, w: p.w };
	});
	// anchored ports where their namespace is; the others after them; no overlaps
	xs.sort((a, b) => (isNaN(a.x) ? 1 : isNaN(b.x) ? -1 : a.x - b.x));
	let free = -Infinity;
	for (const p of xs) {
		if (isNaN(p.x)) p.x = free === -Infinity ? cursor + 10 + p.w / 2 : free + p.w / 2;
		if (p.x - p.w / 2 < free) p.x = free + p.w / 2;
		free = p.x + p.w / 2 + PORT_GAP;
		portXs.set(p.id, p.x);
	}
	if (!xs.length) return { left: cursor, w: n.w, portXs };
	const left = Math.min(...xs.map((p) => p.x - p.w / 2)) - 10;
	const ports = Math.max(...xs.map((p) => p.x + p.w / 2)) + 10 - left;
	const w = Math.max(n.w, ports);
	// A bridge wider than its ports is centred over them (as far as the cursor allows), rather
	// than hanging off to the right and widening the host.
	return { left: left - Math.min((w - ports) / 2, Math.max(0, left - cursor)), w, portXs };
}

/** Records the boxes and ports of the middle row, which starts at `top` below the notes ending at `y`. */
function setBoxes(placed: Placed[], bridges: SceneNode[], c: Ctx, top: number, y: number): MiddleRow {
	const portHalf = Math.max(0, ...bridges.flatMap((b) => b.ports.map((p) => p.h / 2)));
	let bottom = y;
	let right = -Infinity;
	for (const b of placed) {
		const n = b.it.node;
		const h = n.h + (n.kind === 'bridge' && n.ports.length ? portHalf + 2 : 0);
		c.boxes.set(n.id, { node: n, x: b.left, y: top, w: b.w, h });
		for (const p of n.ports) {
			const pp = c.ports.get(p.id)!;
			pp.x = b.portXs.get(p.id)!;
			pp.y = top + h;
			pp.side = 'S';
		}
		bottom = Math.max(bottom, top + h + (n.kind === 'bridge' && n.ports.length ? portHalf : 0));
		right = Math.max(right, b.left + b.w);
	}
	return { placed: placed.map((b) => b.it.node.id), bottom, right };
}

import { monoWidth, TEXT } from './measure.ts';
import type { SceneNode, ScenePort, Side } from './scene.ts';
import { CHIP_GAP, GAP, HP, LINE, NSP, PORT_GAP, type Ctx } from './layout-context.ts';

/**
 * A host's bottom row: its namespaces (and ghosts), ordered by the bridge port or interface
 * they hang from, sized, and spaced; veths between neighbours leave from facing sides.
 */

/** A namespace of the row, sized, with its ports by side; `x` moves while the middle row is placed. */
export interface RowItem {
	n: SceneNode;
	north: ScenePort[];
	east: ScenePort | undefined;
	west: ScenePort | undefined;
	south: ScenePort[];
	/** How far the chip and north ports reach above the top edge. */
	topHalf: number;
	/** Height of the east/west ports' centre below the top edge. */
	ewY: number;
	w: number;
	h: number;
	x: number;
	/** Space after this box: more when a veth runs to the next one. */
	gap: number;
}

/** The planned row. */
export interface NamespaceRow {
	items: RowItem[];
	/** Position of each namespace in the row. */
	index: Map<string, number>;
	/** Ports not on the north edge. */
	side: Map<string, Side>;
}

/** Plans the row of a host's namespaces (the boxes left to right from the host's padding). */
export function planNamespaceRow(spaces: SceneNode[], bridges: SceneNode[], pills: SceneNode[], c: Ctx): NamespaceRow {
	const order = orderSpaces(spaces, bridges, pills, c);
	const index = new Map(order.map((n, i) => [n.id, i]));
	const side = sidesOf(order, index, c);
	const sized = order.map((n) => sizeOf(n, side));
	alignFacing(sized, c);
	const items = sized.map((s, i): RowItem => {
		const next = sized[i + 1];
		const gap = s.east && next?.west ? s.east.w / 2 + next.west.w / 2 + 28 : GAP;
		return { ...s, x: 0, gap };
	});
	let cx = HP;
	for (const r of items) {
		r.x = cx;
		cx += r.w + r.gap;
	}
	return { items, index, side };
}

/** The x of each port of a row box, from the box's current x. */
export function portX(r: RowItem): Map<string, number> {
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
}

/** Where a north port of the row is now (x, and its box's place in the row), if it is one. */
export function rowPortX(row: NamespaceRow, portId: string, c: Ctx): { x: number; i: number } | undefined {
	const o = c.owner(portId);
	const i = o !== undefined ? row.index.get(o) : undefined;
	if (i === undefined) return undefined;
	if ((row.side.get(portId) ?? 'N') !== 'N') return undefined;
	return { x: portX(row.items[i]!).get(portId)!, i };
}

/** Namespaces in the order of the bridge ports and interfaces they hang from, then the rest. */
function orderSpaces(spaces: SceneNode[], bridges: SceneNode[], pills: SceneNode[], c: Ctx): SceneNode[] {
	const inRow = new Set(spaces.map((n) => n.id));
	const order: SceneNode[] = [];
	const push = (id: string | undefined) => {
		if (!id || !inRow.has(id) || order.some((n) => n.id === id)) return;
		const n = c.nodeOf.get(id)!;
		order.push(n);
		// a namespace's veth partners follow it, so pairs of namespaces sit side by side
		for (const p of n.ports) for (const e of c.edgesOf.get(p.id) ?? []) push(c.owner(c.other(e, p.id)));
	};
	for (const b of bridges) for (const p of b.ports) for (const e of c.edgesOf.get(p.id) ?? []) push(c.owner(c.other(e, p.id)));
	for (const p of pills) for (const e of c.edgesOf.get(p.id) ?? []) push(c.owner(c.other(e, p.id)));
	for (const n of spaces) push(n.id);
	return order;
}

/** Port sides: N by default; facing sides for veths between neighbours; S for other veths in the row. */
function sidesOf(order: SceneNode[], index: Map<string, number>, c: Ctx): Map<string, Side> {
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
	return side;
}

/** A namespace box's size: chip and north ports, notes, an east/west port, south ports. */
function sizeOf(n: SceneNode, side: Map<string, Side>): Omit<RowItem, 'x' | 'gap'> {
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
}

/** Lines up the facing east/west ports of neighbours joined by a veth, so the wire is straight. */
function alignFacing(sized: Omit<RowItem, 'x' | 'gap'>[], c: Ctx): void {
	for (let i = 0; i + 1 < sized.length; i++) {
		const a = sized[i]!;
		const b = sized[i + 1]!;
		if (a.east && b.west && c.edgesOf.get(a.east.id)?.some((e) => c.other(e, a.east!.id) === b.west!.id)) {
			const ewY = Math.max(a.ewY, b.ewY);
			a.ewY = b.ewY = ewY;
			a.h = b.h = Math.max(a.h, b.h, ewY + Math.max(a.east.h, b.west.h) / 2 + NSP);
		}
	}
}

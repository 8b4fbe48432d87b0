import { monoWidth, TEXT } from './measure.ts';
import type { Scene, SceneNode } from './scene.ts';
import { CHIP_GAP, HP, LINE, PORT_GAP, ROW_GAP, type Ctx } from './layout-context.ts';
import { routeInside } from './layout-inner-wires.ts';
import { placeMiddleRow } from './layout-middle-row.ts';
import { planNamespaceRow, portX, type NamespaceRow } from './layout-namespaces.ts';

/**
 * One host, in its own frame (top-left corner at 0, 0): its own ports straddling the top edge
 * after the title chip, its notes, a middle row of bridges and free interfaces, a bottom row of
 * namespaces, the wires between them, and ports to a switch band below on the bottom edge.
 */

/** Lays one host out with its top-left corner at (0, 0); returns the ids of everything placed. */
export function layoutHost(host: SceneNode, scene: Scene, c: Ctx): string[] {
	const children = scene.nodes.filter((n) => n.parent === host.id);
	const bridges = children.filter((n) => n.kind === 'bridge');
	const pills = children.filter((n) => n.kind === 'iface');
	const spaces = children.filter((n) => n.kind === 'netns' || n.kind === 'ghost');
	const band = topBand(host, c);
	const row = planNamespaceRow(spaces, bridges, pills, c);
	const middle = placeMiddleRow(host, bridges, pills, row, c, band.y);
	const placed = [host.id, ...middle.placed];
	const northHalf = Math.max(0, ...row.items.map((r) => r.topHalf));
	const rowTop = (middle.placed.length ? middle.bottom + ROW_GAP : band.y + 8) + northHalf;
	const bottomRow = placeBottomRow(row, c, rowTop, Math.max(middle.bottom, band.y));
	placed.push(...bottomRow.placed);
	const mid = middle.placed.length ? middle.bottom + (rowTop - northHalf - middle.bottom) / 2 : rowTop - northHalf - 4;
	let bottom = routeInside(placed, c, { mid, bottom: bottomRow.bottom });
	let right = Math.max(band.right, middle.right, bottomRow.right);
	// ports to a switch band below: along the bottom edge, after the chip's column
	const downward = host.ports.filter((p) => c.bottom.get(p.id) === 'S');
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
	c.boxes.set(host.id, { node: host, x: 0, y: 0, w: right + HP, h: bottom + HP, band: band.half });
	return placed;
}

/** The top band: the title chip, the host's ports after it on the top edge, and its notes below. */
function topBand(host: SceneNode, c: Ctx): { half: number; right: number; y: number } {
	let x = HP + host.w + CHIP_GAP;
	let half = host.h / 2;
	for (const p of host.ports.filter((q) => c.bottom.get(q.id) !== 'S')) {
		const pp = c.ports.get(p.id)!;
		pp.x = x + p.w / 2;
		pp.y = 0;
		x += p.w + PORT_GAP;
		half = Math.max(half, p.h / 2);
	}
	const notesW = Math.max(0, ...host.lines.map((l) => monoWidth(l, TEXT.addr.size)));
	const right = Math.max(x - PORT_GAP, HP + notesW);
	const notesTop = half + 8;
	return { half, right, y: notesTop + host.lines.length * LINE + (host.lines.length ? 6 : 0) };
}

/** Records the bottom row's boxes and ports with their top edge at `top`. */
function placeBottomRow(row: NamespaceRow, c: Ctx, top: number, above: number): { placed: string[]; bottom: number; right: number } {
	let bottom = above;
	let right = -Infinity;
	for (const r of row.items) {
		c.boxes.set(r.n.id, { node: r.n, x: r.x, y: top, w: r.w, h: r.h, band: r.topHalf });
		const xs = portX(r);
		for (const p of r.n.ports) {
			const pp = c.ports.get(p.id)!;
			const s = row.side.get(p.id) ?? 'N';
			pp.side = s;
			pp.x = xs.get(p.id)!;
			pp.y = s === 'N' ? top : s === 'S' ? top + r.h : top + r.ewY;
		}
		bottom = Math.max(bottom, top + r.h + Math.max(0, ...r.south.map((p) => p.h / 2)));
		right = Math.max(right, r.x + r.w + (r.east ? r.east.w / 2 : 0));
	}
	return { placed: row.items.map((r) => r.n.id), bottom, right };
}

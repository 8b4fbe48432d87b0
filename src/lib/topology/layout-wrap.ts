import type { PlacedWire } from './layout.ts';
import { HOST_GAP, type RowPlan } from './rows.ts';
import { attachX, GAP, INFRA_GAP, shift, type Ctx } from './layout-context.ts';

/**
 * Wrapped labs (see rows.ts): stacks the host rows and switch bands of the plan top to bottom,
 * each row centred, each switch a bar spanning the ports it serves, with sockets on the side of
 * the host they lead to.
 */

/** A host laid out in its own frame: the ids it placed and the wires inside it. */
export interface HostFrame {
	ids: string[];
	wires: PlacedWire[];
}

/** Places the layers of a row plan; every host was laid out alone at (0, 0). */
export function placeRows(plan: RowPlan, c: Ctx, frames: Map<string, HostFrame>): void {
	const bandTop = stackLayers(plan, c, frames);
	for (const [i, layer] of plan.layers.entries()) {
		if (layer.kind !== 'band') continue;
		let free = -Infinity;
		for (const id of layer.infra) {
			const n = c.nodeOf.get(id)!;
			const sockets = n.ports.filter((p) => p.side === 'S');
			const xs = sockets.map((s) => attachX(c, s.id)).filter((x): x is number => x !== undefined);
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
				p.x = attachX(c, s.id) ?? left + w / 2;
				p.y = above ? top : top + n.h;
				p.side = above ? 'N' : 'S';
			}
		}
	}
}

/** Moves the host rows into place top to bottom; returns the top of each band layer. */
function stackLayers(plan: RowPlan, c: Ctx, frames: Map<string, HostFrame>): Map<number, number> {
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
				const { ids, wires } = frames.get(id)!;
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
	return bandTop;
}

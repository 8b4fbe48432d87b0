import { anchorOf, type Ctx } from './layout-context.ts';

/**
 * Wires inside a host, between what {@link placed} holds: straight when the ends line up; else
 * along a lane: below the host's bottom row for two south ports, between facing east/west ports,
 * just above two north ports of one box, or in the gap between the middle and bottom rows.
 */

/** Where the lanes go: the middle of the gap between the rows, and the bottom of the drawing so far. */
export interface Lanes {
	mid: number;
	bottom: number;
}

/** Routes the wires among `placed` (the host first, then its boxes); returns the new bottom. */
export function routeInside(placed: string[], c: Ctx, lanes: Lanes): number {
	let lane = 0;
	let uLane = 0;
	for (const id of placed.slice(1)) {
		const n = c.nodeOf.get(id)!;
		const ends = n.kind === 'iface' ? [n.id] : n.ports.map((p) => p.id);
		for (const end of ends)
			for (const e of c.edgesOf.get(end) ?? []) {
				// tunnels leave the host: routed once every host is placed
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
					const ly = lanes.bottom + 10 + uLane++ * 8;
					c.route(e, [a, { x: a.x, y: ly }, { x: b.x, y: ly }, b]);
				} else if ((sa === 'E' || sa === 'W') && (sb === 'E' || sb === 'W')) {
					const mx = (a.x + b.x) / 2;
					c.route(e, [a, { x: mx, y: a.y }, { x: mx, y: b.y }, b]);
				} else if (sa === 'N' && sb === 'N' && c.owner(end) === c.owner(o)) {
					const ly = Math.min(a.y, b.y) - 10;
					c.route(e, [a, { x: a.x, y: ly }, { x: b.x, y: ly }, b]);
				} else {
					const my = lanes.mid + (lane++ % 4) * 6 - 9;
					c.route(e, [a, { x: a.x, y: my }, { x: b.x, y: my }, b]);
				}
			}
	}
	return uLane ? lanes.bottom + 10 + uLane * 8 : lanes.bottom;
}

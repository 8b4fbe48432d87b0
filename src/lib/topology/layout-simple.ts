import type { Layout } from './layout.ts';
import { HOST_GAP, planRows } from './rows.ts';
import type { Scene, Side } from './scene.ts';
import { createContext, finish, shift, type Ctx } from './layout-context.ts';
import { layoutHost } from './layout-host.ts';
import { placeCloud, placeInfraRows, routeOuterWires } from './layout-infra.ts';
import { placeRows, type HostFrame } from './layout-wrap.ts';

/**
 * The hand layout: a deterministic, hand-written layered layout that knows the shape of these
 * diagrams (internet → router and switches → hosts; inside a host: its own ports on top, bridges
 * and free interfaces, then namespaces), so every veth and switch cable can be a straight vertical
 * line. No dependencies, no DOM, linear-ish in the number of boxes: the build draws the book's
 * diagrams with it, and the page the live diagram beside the terminal.
 *
 * index (this file): hosts, then what is above them, then the wires between them
 *   host.ts (one host) ← namespaces.ts (its bottom row), middle-row.ts, inner-wires.ts
 *   infra.ts (router, switches, cloud, outer wires), wrap.ts (wide labs on several rows)
 *   context.ts (spacing, placed boxes and ports, graph lookups)
 */

/** Lays a scene out. Same scene → same layout, to the tenth of a pixel. */
export function layoutSimple(scene: Scene): Layout {
	const { c, wires, routed } = createContext(scene);
	// dry runs size every host alone, to decide whether the lab wraps onto several rows
	const plan = planRows(scene, (id, bottom) => hostWidth(id, scene, c, bottom));
	if (plan) {
		c.bottom = plan.side;
		c.layerOf = plan.layerOf;
	}
	const frames = new Map<string, HostFrame>();
	let hx = 0;
	for (const host of scene.nodes.filter((n) => n.kind === 'host')) {
		const before = wires.length;
		const ids = layoutHost(host, scene, c);
		frames.set(host.id, { ids, wires: wires.slice(before) });
		if (plan) continue;
		// one row: hosts left to right
		shift(ids, hx, 0, c.ports, c.boxes);
		for (const w of wires.slice(before)) w.points = w.points.map((p) => ({ x: p.x + hx, y: p.y }));
		hx += c.boxes.get(host.id)!.w + HOST_GAP;
	}
	if (plan) placeRows(plan, c, frames);
	else placeInfraRows(scene, c, hx - HOST_GAP);
	placeCloud(scene, c);
	routeOuterWires(scene, c, routed);
	return finish(scene, c.boxes, c.ports, wires);
}

/** A host's width when laid out alone, with the given ports on its bottom edge; changes nothing. */
function hostWidth(id: string, scene: Scene, c: Ctx, bottom: Map<string, Side>): number {
	const dry: Ctx = { ...c, ports: new Map([...c.ports].map(([k, v]) => [k, { ...v }])), boxes: new Map(), route: () => {}, bottom };
	layoutHost(c.nodeOf.get(id)!, scene, dry);
	return dry.boxes.get(id)!.w;
}

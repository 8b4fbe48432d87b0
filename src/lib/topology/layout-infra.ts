import { portAnchor, type Point } from './layout.ts';
import type { Scene } from './scene.ts';
import { attachX, endPoint, GAP, INFRA_GAP, INFRA_ROW, type Box, type Ctx } from './layout-context.ts';

/**
 * Above the hosts (one row of hosts): the home router and the switches as bars directly over
 * the ports they serve, stacked in rows when they would overlap, and the internet cloud on top;
 * then the wires between hosts and the infrastructure, tunnels between hosts, and the rest.
 */

/** Places the router and switches over the hosts, which end at `hostsRight`. */
export function placeInfraRows(scene: Scene, c: Ctx, hostsRight: number): void {
	const rows: { left: number; right: number }[][] = [];
	let freeX = 0;
	for (const n of scene.nodes.filter((x) => x.kind === 'router' || x.kind === 'switch')) {
		const sockets = n.ports.filter((p) => p.side === 'S');
		const xs = sockets.map((s) => attachX(c, s.id)).filter((x): x is number => x !== undefined);
		let left: number;
		let w: number;
		if (xs.length) {
			const min = Math.min(...xs);
			const max = Math.max(...xs);
			w = Math.max(n.w, max - min + 40);
			left = (min + max) / 2 - w / 2;
		} else {
			// nothing cabled yet: after the hosts
			w = n.w;
			left = Math.max(freeX, hostsRight + GAP);
		}
		let row = rows.findIndex((r) => r.every((iv) => left + w + GAP <= iv.left || left >= iv.right + GAP));
		if (n.kind === 'router' && row !== 0 && rows.length) row = rows.length; // keep the cloud's way clear
		if (row < 0) row = rows.length;
		(rows[row] ??= []).push({ left, right: left + w });
		freeX = Math.max(freeX, left + w + GAP);
		const bottom = -INFRA_GAP - row * INFRA_ROW;
		c.boxes.set(n.id, { node: n, x: left, y: bottom - n.h, w, h: n.h });
		for (const s of sockets) {
			const x = attachX(c, s.id);
			const p = c.ports.get(s.id)!;
			p.x = x ?? left + w / 2;
			p.y = bottom;
		}
	}
}

/** The internet cloud above the home router (and above every other top-level box). */
export function placeCloud(scene: Scene, c: Ctx): void {
	const router = c.boxes.get('upstream');
	const cloud = scene.nodes.find((n) => n.kind === 'cloud');
	if (!router || !cloud) return;
	const top = Math.min(...[...c.boxes.values()].filter((b) => b.node.kind !== 'host' && !b.node.parent).map((b) => b.y));
	const cy = Math.min(router.y, top) - 28 - cloud.h;
	c.boxes.set(cloud.id, { node: cloud, x: router.x + router.w / 2 - cloud.w / 2, y: cy, w: cloud.w, h: cloud.h });
	const out = c.ports.get('internet#0')!;
	out.x = router.x + router.w / 2;
	out.y = cy + cloud.h - 6;
	const inn = c.ports.get('upstream#in')!;
	inn.x = out.x;
	inn.y = router.y;
}

/** From the right edges of two boxes in different rows, along a lane right of whatever lies between them. */
function laneRoute(a: Box, b: Box, c: Ctx): Point[] {
	const ya = a.y + a.h / 2;
	const yb = b.y + b.h / 2;
	const [top, bottom] = ya < yb ? [ya, yb] : [yb, ya];
	let lane = Math.max(a.x + a.w, b.x + b.w);
	for (const box of c.boxes.values()) if (box.y < bottom && box.y + box.h > top) lane = Math.max(lane, box.x + box.w);
	for (const p of c.ports.values()) if (p.y - p.port.h / 2 < bottom && p.y + p.port.h / 2 > top) lane = Math.max(lane, p.x + p.port.w / 2);
	lane += GAP;
	return [{ x: a.x + a.w, y: ya }, { x: lane, y: ya }, { x: lane, y: yb }, { x: b.x + b.w, y: yb }];
}

/** Cables, uplinks and the internet link; then tunnels between hosts; then whatever is left. */
export function routeOuterWires(scene: Scene, c: Ctx, routed: Set<string>): void {
	for (const e of scene.edges) {
		const a = c.ports.get(e.source);
		const b = c.ports.get(e.target);
		if (!a || !b) continue;
		if (e.kind === 'cable' || e.kind === 'uplink' || e.kind === 'internet') {
			const from = a.port.w > 8 ? portAnchor({ ...a, w: a.port.w, h: a.port.h }, a.side) : { x: a.x, y: a.y };
			const to = b.port.w > 8 ? portAnchor({ ...b, w: b.port.w, h: b.port.h }, b.side) : { x: b.x, y: b.y };
			c.route(e, from.x === to.x ? [from, to] : [from, { x: from.x, y: (from.y + to.y) / 2 }, { x: to.x, y: (from.y + to.y) / 2 }, to]);
		}
	}
	// overlay tunnels between hosts: across the gap between them, or, between rows of a wrapped
	// lab, out of both hosts' right sides and down a lane right of everything in between
	for (const e of scene.edges.filter((x) => x.kind === 'overlay')) {
		const a = c.boxes.get(e.source);
		const b = c.boxes.get(e.target);
		if (!a || !b) continue;
		if (c.layerOf && c.layerOf.get(c.hostOf(e.source) ?? '') !== c.layerOf.get(c.hostOf(e.target) ?? '')) {
			c.route(e, laneRoute(a, b, c));
			continue;
		}
		const [l, r] = a.x <= b.x ? [a, b] : [b, a];
		const y1 = l.y + l.h / 2;
		const y2 = r.y + r.h / 2;
		const mid = (l.x + l.w + r.x) / 2;
		c.route(e, [{ x: l.x + l.w, y: y1 }, { x: mid, y: y1 }, { x: mid, y: y2 }, { x: r.x, y: y2 }]);
	}
	// anything left: a plain orthogonal route between the two ends
	for (const e of scene.edges) {
		if (routed.has(e.id)) continue;
		const a = endPoint(e.source, c.ports, c.boxes);
		const b = endPoint(e.target, c.ports, c.boxes);
		if (a && b) c.route(e, [a, { x: a.x, y: (a.y + b.y) / 2 }, { x: b.x, y: (a.y + b.y) / 2 }, b]);
	}
}

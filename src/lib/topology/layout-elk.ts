import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { monoWidth, TEXT } from './measure.ts';
import { fitLayout, type Layout, type PlacedNode, type PlacedPort, type PlacedWire, type Point } from './layout.ts';
import { toScene, type Scene, type SceneNode, type ScenePort } from './scene.ts';
import { planSceneRows } from './layout-simple/index.ts';
import type { RowPlan } from './rows.ts';
import { asTopology, renderLayout, type RenderOptions, type TopologyInput } from './render.ts';

/**
 * The build-time layout: elkjs (the Eclipse Layout Kernel compiled to JavaScript, 1.6 MB) with
 * its layered algorithm over the whole nested graph. Import this module only from build code
 * (Astro components rendered at build time, scripts): nothing of it may reach the page.
 */

const PAD = 16;
const NSP = 12;
const CHIP_GAP = 12;
const PORT_GAP = 12;
const LINE = TEXT.addr.line;

const ROOT_OPTIONS: Record<string, string> = {
	'elk.algorithm': 'layered',
	'elk.direction': 'DOWN',
	'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
	'elk.edgeRouting': 'ORTHOGONAL',
	'elk.randomSeed': '1',
	'elk.spacing.nodeNode': '24',
	'elk.spacing.edgeNode': '14',
	'elk.spacing.edgeEdge': '8',
	'elk.layered.spacing.nodeNodeBetweenLayers': '44',
	'elk.layered.spacing.edgeNodeBetweenLayers': '14',
	'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
	'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
	'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
	'elk.json.shapeCoords': 'ROOT',
	'elk.json.edgeCoords': 'ROOT',
};

let engine: InstanceType<typeof ELK> | undefined;

/**
 * Lays a scene out with elkjs. Deterministic (fixed seed, model order kept). A wide lab wraps
 * onto several rows as in the hand layout (same plan, rows.ts): cables are directed so ELK's
 * layers follow the plan (switch → the hosts under it, a host → the switch band below it), and a
 * host's ports to a band below sit on its bottom edge. That needs each host's height, hence a
 * first pass without the plan.
 */
export async function layoutWithElk(scene: Scene): Promise<Layout> {
	const plan = planSceneRows(scene);
	if (!plan) return layoutElkPass(scene);
	const first = await layoutElkPass(scene);
	const heights = new Map(first.nodes.filter((n) => n.kind === 'host').map((n) => [n.id, n.h]));
	return layoutElkPass(scene, { plan, heights });
}

async function layoutElkPass(scene: Scene, wrap?: { plan: RowPlan; heights: Map<string, number> }): Promise<Layout> {
	engine ??= new ELK();
	const down = (portId: string) => wrap?.plan.side.get(portId) === 'S';
	const byParent = new Map<string | undefined, SceneNode[]>();
	for (const n of scene.nodes) byParent.set(n.parent, [...(byParent.get(n.parent) ?? []), n]);
	const meta = new Map<string, { band: number }>();
	// tunnels and veths between sibling namespaces would only distort the layers: routed afterwards
	const portOwner = new Map<string, string>();
	for (const n of scene.nodes) for (const p of n.ports) portOwner.set(p.id, n.id);
	const nodeById = new Map(scene.nodes.map((n) => [n.id, n]));
	const ownerOf = (end: string) => nodeById.get(portOwner.get(end) ?? end);
	const sideways = (e: Scene['edges'][number]): boolean => {
		if (e.kind === 'overlay') return true;
		const inRow = (n?: SceneNode) => n?.kind === 'netns' || n?.kind === 'ghost';
		return inRow(ownerOf(e.source)) && inRow(ownerOf(e.target));
	};
	const hasSidewaysVeth = (host: string) =>
		scene.edges.some((e) => e.kind !== 'overlay' && sideways(e) && ownerOf(e.source)?.parent === host);
	/** A switch socket whose cable goes up to a host above the band (wrapped labs). */
	const socketAbove = (socket: string): boolean => {
		if (!wrap) return false;
		const e = scene.edges.find((x) => x.source === socket || x.target === socket);
		const to = e && ownerOf(e.source === socket ? e.target : e.source);
		const band = wrap.plan.layerOf.get(portOwner.get(socket) ?? '');
		return !!to && band !== undefined && (wrap.plan.layerOf.get(to.id) ?? Infinity) < band;
	};
	const toElk = (n: SceneNode): ElkNode => {
		const kids = byParent.get(n.id) ?? [];
		if (n.kind === 'host') {
			const half = Math.max(n.h / 2, ...n.ports.map((p) => p.h / 2));
			meta.set(n.id, { band: half });
			const top = half + 8 + n.lines.length * LINE + 16 + (hasSidewaysVeth(n.id) ? 12 : 0);
			let x = PAD + n.w + CHIP_GAP;
			const ports = n.ports.filter((p) => !down(p.id)).map((p) => {
				const port = fixedPort(p, x, -p.h / 2);
				x += p.w + PORT_GAP;
				return port;
			});
			const lower = n.ports.filter((p) => down(p.id));
			const extra = lower.length ? Math.max(...lower.map((p) => p.h / 2)) + 4 : 0;
			const height = (wrap?.heights.get(n.id) ?? 0) + extra;
			let bx = PAD + n.w + CHIP_GAP;
			for (const p of lower) {
				ports.push(fixedPort(p, bx, height - p.h / 2, 'SOUTH'));
				bx += p.w + PORT_GAP;
			}
			x = Math.max(x, bx);
			const notes = Math.max(0, ...n.lines.map((l) => monoWidth(l, TEXT.addr.size)));
			return {
				id: n.id,
				layoutOptions: {
					'elk.portConstraints': 'FIXED_POS',
					'elk.padding': `[top=${top},left=${PAD},bottom=${PAD},right=${PAD}]`,
					'elk.nodeSize.constraints': 'MINIMUM_SIZE',
					'elk.nodeSize.minimum': `(${Math.max(x - PORT_GAP + PAD, PAD * 2 + notes)}, ${Math.max(top + PAD, height)})`,
					...(lower.length ? { 'elk.padding': `[top=${top},left=${PAD},bottom=${PAD + extra},right=${PAD}]` } : {}),
				},
				ports,
				children: kids.map(toElk),
			};
		}
		if (n.kind === 'netns' || n.kind === 'ghost') {
			const half = Math.max(n.h / 2, ...n.ports.map((p) => p.h / 2));
			meta.set(n.id, { band: half });
			let x = NSP + n.w + CHIP_GAP;
			const ports = n.ports.map((p) => {
				const port = fixedPort(p, x, -p.h / 2);
				x += p.w + PORT_GAP;
				return port;
			});
			const w = Math.max(x - PORT_GAP + NSP, 2 * NSP + Math.max(0, ...n.lines.map((l) => monoWidth(l, TEXT.addr.size))), 80);
			const h = Math.max(half + 6 + n.lines.length * LINE + NSP, 40);
			return { id: n.id, width: w, height: h, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' }, ports };
		}
		if (n.kind === 'bridge') {
			const half = Math.max(0, ...n.ports.map((p) => p.h / 2));
			const h = n.h + (n.ports.length ? half + 2 : 0);
			const w = Math.max(n.w, n.ports.reduce((s, p) => s + p.w + PORT_GAP, 20 - PORT_GAP));
			return {
				id: n.id,
				width: w,
				height: h,
				layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER', 'elk.spacing.portPort': String(PORT_GAP) },
				ports: n.ports.map((p) => sidePort(p, 'SOUTH')),
			};
		}
		if (n.kind === 'switch' || n.kind === 'router') {
			const sockets = n.ports.filter((p) => p.side === 'S');
			return {
				id: n.id,
				width: Math.max(n.w, sockets.length * 40 + 20),
				height: n.h,
				layoutOptions: { 'elk.portConstraints': 'FIXED_SIDE' },
				ports: n.ports.map((p) => sidePort(p, p.side === 'N' || socketAbove(p.id) ? 'NORTH' : 'SOUTH')),
			};
		}
		return {
			id: n.id,
			width: n.w,
			height: n.h,
			ports: n.ports.map((p) => sidePort(p, p.side === 'N' ? 'NORTH' : 'SOUTH')),
		};
	};
	const edges: ElkExtendedEdge[] = scene.edges
		.filter((e) => !sideways(e))
		.map((e) => {
			// wrapped: a cable from a host's bottom edge runs down to the switch, so ELK layers it below
			const cable = wrap && (e.kind === 'cable' || e.kind === 'uplink');
			const hostEnd = cable && ownerOf(e.source)?.kind === 'host' ? e.source : e.target;
			const flip = cable ? (down(hostEnd) ? hostEnd !== e.source : hostEnd === e.source) : false;
			return { id: e.id, sources: [flip ? e.target : e.source], targets: [flip ? e.source : e.target] };
		});
	const graph: ElkNode = {
		id: 'root',
		layoutOptions: ROOT_OPTIONS,
		children: (byParent.get(undefined) ?? []).map(toElk),
		edges,
	};
	const out = await engine.layout(graph);

	const placed = new Map<string, ElkNode>();
	const placedPorts = new Map<string, ElkPort>();
	const walk = (n: ElkNode) => {
		placed.set(n.id, n);
		for (const p of n.ports ?? []) placedPorts.set(p.id, p);
		for (const c of n.children ?? []) walk(c);
	};
	walk(out);
	const nodes: PlacedNode[] = [];
	const ports: PlacedPort[] = [];
	for (const n of scene.nodes) {
		const e = placed.get(n.id)!;
		const { ports: _ports, ...rest } = n;
		const container = n.kind === 'host' || n.kind === 'netns' || n.kind === 'ghost';
		nodes.push({
			...rest,
			x: e.x ?? 0,
			y: e.y ?? 0,
			w: e.width ?? n.w,
			h: e.height ?? n.h,
			...(container ? { chipW: n.w, band: meta.get(n.id)?.band ?? n.h / 2 } : {}),
		});
		for (const p of n.ports) {
			const ep = placedPorts.get(p.id)!;
			const box = n.kind === 'host' || n.kind === 'netns' || n.kind === 'ghost';
			const side = down(p.id) ? 'S' : p.side === 'N' || box || socketAbove(p.id) ? 'N' : 'S';
			ports.push({ ...p, side, x: (ep.x ?? 0) + p.w / 2, y: (ep.y ?? 0) + p.h / 2 });
		}
	}
	const wires: PlacedWire[] = [];
	const centre = (id: string): Point & { w: number; h: number } | undefined => {
		const p = ports.find((x) => x.id === id);
		if (p) return { x: p.x, y: p.y, w: p.w, h: p.h };
		const n = nodes.find((x) => x.id === id);
		return n ? { x: n.x + n.w / 2, y: n.y + n.h / 2, w: n.w, h: n.h } : undefined;
	};
	for (const e of scene.edges) {
		if (sideways(e)) {
			const a = centre(e.source);
			const b = centre(e.target);
			if (!a || !b) continue;
			const [l, r] = a.x <= b.x ? [a, b] : [b, a];
			if (e.kind !== 'overlay') {
				// veth between sibling namespaces: up from both tags and across above them, clear
				// of the namespaces' title chips (a straight line would cross the right one's chip)
				const lane = Math.min(l.y - l.h / 2, r.y - r.h / 2) - 12;
				wires.push({ ...e, points: [{ x: l.x, y: l.y - l.h / 2 }, { x: l.x, y: lane }, { x: r.x, y: lane }, { x: r.x, y: r.y - r.h / 2 }] });
				continue;
			}
			const x1 = l.x + l.w / 2;
			const x2 = r.x - r.w / 2;
			const mid = (x1 + x2) / 2;
			wires.push({ ...e, points: [{ x: x1, y: l.y }, { x: mid, y: l.y }, { x: mid, y: r.y }, { x: x2, y: r.y }] });
			continue;
		}
		const le = (out.edges ?? []).find((x) => x.id === e.id);
		const s = le?.sections?.[0];
		if (!s) continue;
		const points: Point[] = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: p.x, y: p.y }));
		wires.push({ ...e, points });
	}
	return fitLayout(nodes, ports, wires);
}

/** Lays a topology out with elkjs and prints it: the build-time diagram. */
export async function renderTopologySvgElk(input: TopologyInput, options: RenderOptions = {}): Promise<string> {
	const topology = asTopology(input);
	return renderLayout(topology, await layoutWithElk(toScene(topology)), options);
}

function fixedPort(p: ScenePort, x: number, y: number, side: 'NORTH' | 'SOUTH' = 'NORTH'): ElkPort {
	return {
		id: p.id,
		x,
		y,
		width: p.w,
		height: p.h,
		layoutOptions: { 'elk.port.side': side, 'elk.port.borderOffset': String(-p.h / 2) },
	};
}

function sidePort(p: ScenePort, side: 'NORTH' | 'SOUTH'): ElkPort {
	return {
		id: p.id,
		width: p.w,
		height: p.h,
		layoutOptions: { 'elk.port.side': side, 'elk.port.borderOffset': String(-p.h / 2) },
	};
}

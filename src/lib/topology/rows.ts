import type { Scene, SceneNode, Side } from './scene.ts';

/**
 * Wrapping wide labs onto several rows. A lab whose hosts, side by side, are wider than {@link MAX_WIDTH} is drawn as a
 * stack of layers: host rows and switch bands. Each host goes in the row under the first switch
 * (in lab order) it is cabled to; a cable to a switch whose band lies below the host leaves from
 * the host's bottom edge. So in the `router` lab, alice, bob and the router hang under switch1,
 * the router's eth1 drops to switch2, and charlie and diana hang under switch2. A group still too
 * wide for one row puts its first hosts above its switch band and the rest below it (two nodes on
 * one switch: node1, the switch, node2).
 */

/** Widest drawing (viewBox px) before hosts wrap onto several rows. */
export const MAX_WIDTH = 880;
/** Horizontal gap between hosts in a row. */
export const HOST_GAP = 48;

/** One layer of a wrapped lab, top to bottom: a band of switches (and the router), or a row of hosts. */
export type RowLayer = { kind: 'band'; infra: string[] } | { kind: 'hosts'; hosts: string[] };

/** How a wide lab wraps: its layers, and which host ports leave from the bottom edge. */
export interface RowPlan {
	layers: RowLayer[];
	/** Host ports (by port id) that leave from the host's bottom edge. */
	side: Map<string, Side>;
	/** Layer index of every host and infrastructure node. */
	layerOf: Map<string, number>;
}

/**
 * Plans rows for a scene given each host's width when drawn alone. Returns undefined when the
 * hosts fit in one row (the one-row drawing is kept as it is). Deterministic: lab order only.
 */
export function planRows(
	scene: Scene,
	hostWidth: (id: string, side: Map<string, Side>) => number,
	max = MAX_WIDTH,
): RowPlan | undefined {
	const hosts = scene.nodes.filter((n) => n.kind === 'host');
	const none = new Map<string, Side>();
	const total = hosts.reduce((s, h) => s + hostWidth(h.id, none), 0) + HOST_GAP * Math.max(0, hosts.length - 1) + 32;
	if (total <= max || hosts.length < 2) return undefined;
	const infra = scene.nodes.filter((n) => n.kind === 'router' || n.kind === 'switch');
	const infraIndex = new Map(infra.map((n, i) => [n.id, i]));
	const portNode = new Map<string, string>();
	for (const n of scene.nodes) for (const p of n.ports) portNode.set(p.id, n.id);
	/** host port id → infrastructure node it is cabled to */
	const cabled = new Map<string, string>();
	for (const e of scene.edges) {
		if (e.kind !== 'cable' && e.kind !== 'uplink') continue;
		for (const [a, b] of [[e.source, e.target], [e.target, e.source]] as const) {
			const an = scene.nodes.find((n) => n.id === portNode.get(a));
			const bn = portNode.get(b);
			if (an?.kind === 'host' && bn !== undefined && infraIndex.has(bn)) cabled.set(a, bn);
		}
	}
	const primary = (h: SceneNode): number =>
		Math.min(Infinity, ...h.ports.map((p) => infraIndex.get(cabled.get(p.id) ?? '') ?? Infinity));
	// widths once cables to later switches leave from the bottom edge (as they will)
	const down = new Map<string, Side>();
	for (const h of hosts)
		for (const p of h.ports) {
			const i = infraIndex.get(cabled.get(p.id) ?? '');
			if (i !== undefined && i > primary(h)) down.set(p.id, 'S');
		}
	const width = new Map(hosts.map((h) => [h.id, hostWidth(h.id, down)]));
	const layers: RowLayer[] = [];
	const chunk = (group: SceneNode[]): string[][] => {
		const rows: string[][] = [];
		let w = Infinity;
		for (const h of group) {
			const hw = width.get(h.id)!;
			if (w + HOST_GAP + hw > max - 32) {
				rows.push([]);
				w = -HOST_GAP;
			}
			rows[rows.length - 1]!.push(h.id);
			w += HOST_GAP + hw;
		}
		return rows;
	};
	const loose = hosts.filter((h) => primary(h) === Infinity);
	for (const r of chunk(loose)) layers.push({ kind: 'hosts', hosts: r });
	for (const [i, n] of infra.entries()) {
		const rows = chunk(hosts.filter((h) => primary(h) === i));
		if (rows.length > 1) layers.push({ kind: 'hosts', hosts: rows.shift()! });
		layers.push({ kind: 'band', infra: [n.id] });
		for (const r of rows) layers.push({ kind: 'hosts', hosts: r });
	}
	const layerOf = new Map<string, number>();
	for (const [i, l] of layers.entries()) for (const id of l.kind === 'band' ? l.infra : l.hosts) layerOf.set(id, i);
	const side = new Map<string, Side>();
	for (const h of hosts)
		for (const p of h.ports) {
			const to = cabled.get(p.id);
			if (to !== undefined) side.set(p.id, layerOf.get(to)! > layerOf.get(h.id)! ? 'S' : 'N');
		}
	return { layers, side, layerOf };
}

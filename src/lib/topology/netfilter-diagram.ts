/**
 * The figure of netfilter's hooks (chapter 7): drawn from src/lib/shared/netfilter.ts, the order
 * in which the simulator runs packets through the hooks, so the picture and the simulator cannot
 * disagree. This file turns that data into what the figure shows (boxes with their stages, in
 * order), a text alternative, and a layout; netfilter-svg.ts prints it.
 *
 * The layout is vertical, so that it reads on a 390 px phone without scaling its text down: the
 * arriving packet at the top, the leaving one at the bottom, the local path in the left column
 * and forwarding in the right one.
 */
import { BR_NETFILTER_HOOKS, hookStages, NF_HOOKS, NF_PATH, type NfHook, type NfStage, type NfTable, type NfWaypoint } from '../shared/netfilter.ts';
import { monoWidth, sansWidth } from './measure.ts';

/** The tables the figure draws; the others are named in its description. */
export const DRAWN_TABLES: readonly NfTable[] = ['raw', 'mangle', 'nat', 'filter'];

/** One stage as drawn: its class (colour) and its label. */
export interface HooksStage {
	/** `raw`, `mangle`, `nat`, `filter` or `conntrack`: the colour, and `data-stage`. */
	kind: NfTable | 'conntrack';
	/** What the row says: `nat: DNAT, REDIRECT`, `conntrack: look up`. */
	label: string;
	/** The same in words, for the text alternative. */
	words: string;
}

/** One hook as drawn. */
export interface HooksBox {
	hook: NfHook;
	stages: HooksStage[];
	/** br_netfilter feeds bridged IPv4 frames through this hook. */
	bridged: boolean;
}

/** The figure's content: the hooks, the way between them, and the tables left out. */
export interface HooksDiagram {
	boxes: HooksBox[];
	path: typeof NF_PATH;
	omitted: NfTable[];
}

/** A stage of the data as the figure shows it, or undefined for a table it does not draw. */
function drawn(stage: NfStage): HooksStage | undefined {
	if (stage.kind === 'conntrack')
		return stage.step === 'track'
			? { kind: 'conntrack', label: 'conntrack: look up', words: 'conntrack looks up the packet’s connection, or starts a new one' }
			: { kind: 'conntrack', label: 'conntrack: confirm', words: 'conntrack confirms a new connection into its table' };
	if (!DRAWN_TABLES.includes(stage.table)) return undefined;
	if (stage.table === 'nat') {
		const targets = (stage.targets ?? []).join(', ');
		return { kind: 'nat', label: `nat: ${targets}`, words: `nat (${targets}; a connection’s first packet only)` };
	}
	return { kind: stage.table, label: stage.table, words: stage.table };
}

/** The figure's content, read from the shared description of the hooks. */
export function hooksDiagram(): HooksDiagram {
	const boxes = NF_HOOKS.map((hook) => ({
		hook,
		stages: hookStages(hook).map(drawn).filter((s): s is HooksStage => s !== undefined),
		bridged: BR_NETFILTER_HOOKS.includes(hook),
	}));
	const all = new Set(NF_HOOKS.flatMap((h) => hookStages(h).flatMap((s) => (s.kind === 'table' ? [s.table] : []))));
	return { boxes, path: NF_PATH, omitted: [...all].filter((t) => !DRAWN_TABLES.includes(t)) };
}

/** Words for the points of the way that are not hooks. */
export const WAYPOINT_TEXT: Record<NfWaypoint, string> = {
	in: 'arrives on an interface',
	'route-in': 'routing decision',
	local: 'local process',
	'route-out': 'routing decision',
	out: 'leaves by an interface',
};

const OMITTED_WHY: Partial<Record<NfTable, string>> = { security: 'the security table (for SELinux), which runs after filter' };

/** The figure as text, one fact per line: the `<desc>` and the text under the figure. */
export function describeHooks(d: HooksDiagram = hooksDiagram()): string {
	const from = (e: (typeof NF_PATH)[number]): string =>
		e.from === 'in' ? 'a packet arrives on an interface' : e.from === 'route-in' ? `after the routing decision, ${e.label ?? ''}`.trim() : e.from === 'route-out' ? 'a local process sends a packet, once routed' : e.from;
	const to = (e: (typeof NF_PATH)[number]): string =>
		e.to === 'route-in'
			? `the routing decision: ${d.path.filter((x) => x.from === 'route-in').map((x) => `${x.to} ${x.label ?? ''}`.trim()).join(', or ')}`
			: e.to === 'local' ? 'the local process receives it' : e.to === 'out' ? 'it leaves by an interface' : e.to;
	const lines = ['Netfilter’s IPv4 hooks, and what runs at each hook, in order.'];
	for (const box of d.boxes) {
		const edges = d.path.filter((e) => e.to === box.hook);
		const ins = edges.every((e) => (NF_HOOKS as readonly string[]).includes(e.from)) ? [`after ${edges.map((e) => e.from).join(' or ')}`] : edges.map(from);
		const outs = d.path.filter((e) => e.from === box.hook).map(to);
		lines.push(`- ${box.hook} (${ins.join(', or ')}): ${box.stages.map((s) => s.words).join('; ')}. Then ${outs.join(', or ')}.`);
	}
	const br = d.boxes.filter((b) => b.bridged).map((b) => b.hook);
	lines.push(`- With br_netfilter loaded and net.bridge.bridge-nf-call-iptables = 1, an IPv4 frame that a bridge forwards between two of its ports passes ${br.slice(0, -1).join(', ')} and ${br.at(-1)} (marked “bridge”), with no routing decision: the bridge decides where it goes.`);
	const omitted = d.omitted.map((t) => OMITTED_WHY[t] ?? `the ${t} table`);
	if (omitted.length) lines.push(`- Not drawn: ${omitted.join('; ')}.`);
	return lines.join('\n');
}

/** A placed box: a hook, a pill (routing decision, local process) or a label (in, out). */
export interface HooksNode {
	id: NfHook | NfWaypoint;
	kind: 'hook' | 'pill' | 'label';
	x: number;
	y: number;
	w: number;
	h: number;
}

/** A placed arrow, with its label if it has one. */
export interface HooksEdge {
	from: NfHook | NfWaypoint;
	to: NfHook | NfWaypoint;
	points: { x: number; y: number }[];
	label?: { text: string; x: number; y: number; anchor: 'start' | 'end' } | undefined;
}

/** The placed figure. */
export interface HooksLayout {
	width: number;
	height: number;
	nodes: HooksNode[];
	edges: HooksEdge[];
}

/** Sizes (px): small enough to fit a 390 px phone's column (332 px) at full size. */
export const HOOKS_GEOMETRY = {
	width: 330,
	margin: 6,
	column: 152,
	centre: 200,
	head: 26,
	row: 18,
	rowGap: 3,
	pad: 7,
	pillH: 24,
	fonts: { hook: 13, stage: 10.5, pill: 11, label: 10.5 },
} as const;

type Column = 'left' | 'centre' | 'right';

/** Where each point of the way goes: a column and a row, top to bottom. */
const PLACE: Record<NfHook | NfWaypoint, { col: Column; row: number }> = {
	in: { col: 'centre', row: 0 },
	PREROUTING: { col: 'centre', row: 1 },
	'route-in': { col: 'centre', row: 2 },
	INPUT: { col: 'left', row: 3 },
	FORWARD: { col: 'right', row: 3 },
	local: { col: 'left', row: 4 },
	'route-out': { col: 'left', row: 5 },
	OUTPUT: { col: 'left', row: 6 },
	POSTROUTING: { col: 'centre', row: 7 },
	out: { col: 'centre', row: 8 },
};

/** Space above a row: more above the routing decision (its labels), where arrows branch (row 3) or merge (row 7). */
const GAP_ABOVE = [8, 14, 14, 24, 12, 12, 12, 28, 14];

/** Places the figure: deterministic, coordinates rounded to 0.1 px by the printer. */
export function layoutHooks(d: HooksDiagram = hooksDiagram()): HooksLayout {
	const g = HOOKS_GEOMETRY;
	const colX = (col: Column, w: number): number =>
		col === 'left' ? g.margin + (g.column - w) / 2 : col === 'right' ? g.width - g.margin - g.column + (g.column - w) / 2 : (g.width - w) / 2;
	const size = (id: NfHook | NfWaypoint): { kind: HooksNode['kind']; w: number; h: number } => {
		const box = d.boxes.find((b) => b.hook === id);
		if (box) return { kind: 'hook', w: PLACE[id].col === 'centre' ? g.centre : g.column, h: g.head + box.stages.length * (g.row + g.rowGap) + g.pad - g.rowGap };
		const text = WAYPOINT_TEXT[id as NfWaypoint];
		if (id === 'in' || id === 'out') return { kind: 'label', w: sansWidth(text, g.fonts.pill), h: 16 };
		return { kind: 'pill', w: sansWidth(text, g.fonts.pill) + 24, h: g.pillH };
	};
	const ids = Object.keys(PLACE) as (NfHook | NfWaypoint)[];
	const rows = Math.max(...ids.map((id) => PLACE[id].row)) + 1;
	const nodes: HooksNode[] = [];
	let y = 0;
	for (let row = 0; row < rows; row++) {
		y += GAP_ABOVE[row] ?? 12;
		const inRow = ids.filter((id) => PLACE[id].row === row).map((id) => ({ id, ...size(id) }));
		for (const n of inRow) nodes.push({ id: n.id, kind: n.kind, x: colX(PLACE[n.id].col, n.w), y, w: n.w, h: n.h });
		y += Math.max(...inRow.map((n) => n.h));
	}
	const at = (id: NfHook | NfWaypoint): HooksNode => nodes.find((n) => n.id === id)!;
	const edges = d.path.map((e): HooksEdge => {
		const s = at(e.from);
		const t = at(e.to);
		const sc = s.x + s.w / 2;
		const tc = t.x + t.w / 2;
		const sCol = PLACE[e.from].col;
		const tCol = PLACE[e.to].col;
		if (sCol === 'centre' && tCol !== 'centre') {
			// A branch: out of the side of the pill, along, then down into the column; its label
			// above the line, beside the pill (the decision's two ways out).
			const sy = s.y + s.h / 2;
			const sx = tCol === 'left' ? s.x : s.x + s.w;
			const label = e.label ? { text: e.label, x: sx + (tCol === 'left' ? -4 : 4), y: sy - 5, anchor: tCol === 'left' ? ('end' as const) : ('start' as const) } : undefined;
			return { from: e.from, to: e.to, points: [{ x: sx, y: sy }, { x: tc, y: sy }, { x: tc, y: t.y }], label };
		}
		if (sCol !== 'centre' && tCol === 'centre') {
			// A merge: down, along to a quarter of the target's width, down into it.
			const my = t.y - 14;
			const tx = tc + (sCol === 'left' ? -t.w / 4 : t.w / 4);
			return { from: e.from, to: e.to, points: [{ x: sc, y: s.y + s.h }, { x: sc, y: my }, { x: tx, y: my }, { x: tx, y: t.y }] };
		}
		return { from: e.from, to: e.to, points: [{ x: sc, y: s.y + s.h }, { x: sc, y: t.y }] };
	});
	return { width: g.width, height: Math.ceil(y + 8), nodes, edges };
}

/** The widest stage label of a box fits it (tested): a label's width in the stage font. */
export const stageLabelWidth = (label: string): number => monoWidth(label, HOOKS_GEOMETRY.fonts.stage);

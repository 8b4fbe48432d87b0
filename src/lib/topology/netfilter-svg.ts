/**
 * Prints the figure of netfilter's hooks (netfilter-diagram.ts) as a standalone, accessible SVG:
 * `<title>` and `<desc>`, the topology diagrams' colours (light and dark, from the same custom
 * properties), deterministic output. Every hook box carries `data-hook`, every stage `data-stage`.
 */
import { describeHooks, HOOKS_GEOMETRY, hooksDiagram, layoutHooks, WAYPOINT_TEXT, type HooksBox, type HooksDiagram, type HooksLayout, type HooksNode } from './netfilter-diagram.ts';
import { roundedPath, esc, hash } from './svg.ts';
import { PALETTE } from './svg-style.ts';
import type { NfWaypoint } from '../shared/netfilter.ts';

/** The figure's CSS, scoped to `.nf-hooks`: the topology palette, its dark variants, its fonts. */
export const HOOKS_CSS = [
	`.nf-hooks{${PALETTE.light}width:100%;height:auto;color:var(--topo-fg);font-family:var(--sl-font,system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif)}`,
	`@media (prefers-color-scheme:dark){:root:not([data-theme]) .nf-hooks,svg.nf-hooks:root{${PALETTE.dark}}}`,
	`:root[data-theme='dark'] .nf-hooks{${PALETTE.dark}}`,
	`.nf-hooks text{fill:var(--topo-fg)}`,
	`.nf-hooks .mono{font-family:var(--sl-font-mono,ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace)}`,
	`.nf-hooks .muted{fill:var(--topo-muted)}`,
	`.nf-hooks .b{font-weight:700}`,
	`.nf-hooks .hook>.box{fill:var(--topo-host-bg);stroke:var(--topo-host-stroke);stroke-width:1.5}`,
	`.nf-hooks .br>rect{fill:var(--topo-ns-chip-bg);stroke:var(--topo-ns-stroke);stroke-width:1}`,
	`.nf-hooks .br>text{fill:var(--topo-ns-chip-fg)}`,
	`.nf-hooks .stage>rect{stroke-width:1.25}`,
	`.nf-hooks .raw>rect,.nf-hooks .mangle>rect{fill:var(--topo-port-bg);stroke:var(--topo-port-stroke);stroke-dasharray:3 2}`,
	`.nf-hooks .raw>text,.nf-hooks .mangle>text{fill:var(--topo-muted)}`,
	`.nf-hooks .nat>rect{fill:var(--topo-cloud-bg);stroke:var(--topo-uplink)}`,
	`.nf-hooks .filter>rect{fill:var(--topo-bridge-bg);stroke:var(--topo-bridge-stroke)}`,
	`.nf-hooks .conntrack>rect{fill:var(--topo-port-bg);stroke:var(--topo-overlay);stroke-width:1.75}`,
	`.nf-hooks .pill>rect{fill:var(--topo-switch-bg)}`,
	`.nf-hooks .pill>text{fill:var(--topo-switch-fg)}`,
	`.nf-hooks .pill.local>rect{fill:var(--topo-ns-bg);stroke:var(--topo-ns-stroke);stroke-width:1.5}`,
	`.nf-hooks .pill.local>text{fill:var(--topo-fg)}`,
	`.nf-hooks .edge{fill:none;stroke:var(--topo-cable);stroke-width:1.75;stroke-linejoin:round}`,
	`.nf-hooks .arrow{fill:var(--topo-cable)}`,
].join('\n');

const n = (v: number): string => String(Math.round(v * 10) / 10);
const G = HOOKS_GEOMETRY;

function text(x: number, y: number, s: string, cls: string, size: number, anchor?: 'middle' | 'end' | 'start'): string {
	return `<text x="${n(x)}" y="${n(y)}"${cls ? ` class="${cls}"` : ''} font-size="${size}"${anchor && anchor !== 'start' ? ` text-anchor="${anchor}"` : ''}>${esc(s)}</text>`;
}

function hookBox(node: HooksNode, box: HooksBox): string {
	const { x, y, w, h } = node;
	const out = [`<g class="hook" data-hook="${box.hook}"><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="8"/>`];
	out.push(text(x + G.pad + 1, y + 18, box.hook, 'b', G.fonts.hook));
	if (box.bridged) {
		const bw = 46;
		out.push(`<g class="br"><rect x="${n(x + w - G.pad - bw)}" y="${n(y + 6)}" width="${bw}" height="15" rx="7.5"/>${text(x + w - G.pad - bw / 2, y + 17, 'bridge', '', 10, 'middle')}</g>`);
	}
	box.stages.forEach((s, i) => {
		const top = y + G.head + i * (G.row + G.rowGap);
		out.push(
			`<g class="stage ${s.kind}" data-stage="${s.kind}"><rect x="${n(x + G.pad)}" y="${n(top)}" width="${n(w - 2 * G.pad)}" height="${G.row}" rx="4"/>` +
				text(x + G.pad + 6, top + G.row / 2 + G.fonts.stage * 0.35, s.label, 'mono', G.fonts.stage) +
				`</g>`,
		);
	});
	out.push('</g>');
	return out.join('');
}

function waypoint(node: HooksNode): string {
	const id = node.id as NfWaypoint;
	const label = WAYPOINT_TEXT[id];
	const cx = node.x + node.w / 2;
	const cy = node.y + node.h / 2 + G.fonts.pill * 0.35;
	if (node.kind === 'label') return `<g class="point" data-point="${id}">${text(cx, cy, label, 'muted', G.fonts.pill, 'middle')}</g>`;
	return `<g class="pill${id === 'local' ? ' local' : ''}" data-point="${id}"><rect x="${n(node.x)}" y="${n(node.y)}" width="${n(node.w)}" height="${n(node.h)}" rx="${n(node.h / 2)}"/>${text(cx, cy, label, '', G.fonts.pill, 'middle')}</g>`;
}

/** Options of {@link printHooksSvg}. */
export interface HooksSvgOptions {
	/** Accessible name. Default: “Netfilter’s hooks, and what runs at each”. */
	title?: string;
	/** Prefix of the ids inside the SVG, unique on the page. Default: a hash of the content. */
	id?: string;
}

/** Prints a laid-out figure. Pure and deterministic. */
export function printHooksSvg(d: HooksDiagram, layout: HooksLayout, options: HooksSvgOptions = {}): string {
	const title = options.title ?? 'Netfilter’s hooks, and what runs at each';
	const description = describeHooks(d);
	const id = options.id ?? `nf-${hash(`${title}\n${description}\n${layout.width}x${layout.height}`)}`;
	const out = [
		`<svg xmlns="http://www.w3.org/2000/svg" class="nf-hooks" viewBox="0 0 ${layout.width} ${layout.height}" style="max-width:${layout.width}px" role="img" aria-labelledby="${id}-title ${id}-desc">`,
		`<title id="${id}-title">${esc(title)}</title>`,
		`<desc id="${id}-desc">${esc(description)}</desc>`,
		`<style>${HOOKS_CSS}</style>`,
		`<defs><marker id="${id}-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L8 4L0 8z"/></marker></defs>`,
		'<g class="edges">',
	];
	for (const e of layout.edges) {
		out.push(`<path class="edge" data-edge="${e.from}>${e.to}" d="${roundedPath(e.points, 8)}" marker-end="url(#${id}-arrow)"/>`);
		if (e.label) out.push(text(e.label.x, e.label.y, e.label.text, 'muted', G.fonts.label, e.label.anchor));
	}
	out.push('</g>', '<g class="nodes">');
	for (const node of layout.nodes) {
		const box = d.boxes.find((b) => b.hook === node.id);
		out.push(box ? hookBox(node, box) : waypoint(node));
	}
	out.push('</g>', '</svg>');
	return out.join('\n') + '\n';
}

/** The figure of netfilter's hooks as an SVG string, from the shared description of the hooks. */
export function renderHooksSvg(options: HooksSvgOptions = {}): string {
	const d = hooksDiagram();
	return printHooksSvg(d, layoutHooks(d), options);
}

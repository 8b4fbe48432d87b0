import type { Layout, PlacedNode, PlacedPort, PlacedWire, Point } from './layout.ts';
import { TEXT } from './measure.ts';
import { GEOMETRY } from './scene.ts';
import { TOPOLOGY_CSS } from './svg-style.ts';

/** Options of {@link printSvg}. */
export interface SvgOptions {
	/** Accessible name: the `<title>`. */
	title: string;
	/** Text alternative: the `<desc>` (see `describeTopology`). */
	description: string;
	/** Prefix for the ids inside the SVG; unique per page. Default: a hash of title, description and size. */
	id?: string;
	/** Leave the `<style>` out (when the page already has `TOPOLOGY_CSS`). Default false. */
	omitStyle?: boolean;
}

/** Escapes text for XML content and attribute values. */
export const esc = (s: string): string =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** FNV-1a, hex: a short deterministic id. */
export function hash(s: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h.toString(16).padStart(8, '0');
}

/** Prints a layout as a standalone, accessible, theme-aware SVG string. Pure and deterministic. */
export function printSvg(layout: Layout, options: SvgOptions): string {
	const id = options.id ?? `topo-${hash(`${options.title}\n${options.description}\n${layout.width}x${layout.height}`)}`;
	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" class="topo" viewBox="0 0 ${layout.width} ${layout.height}" style="max-width:${layout.width}px" role="img" aria-labelledby="${id}-title ${id}-desc">`,
		`<title id="${id}-title">${esc(options.title)}</title>`,
		`<desc id="${id}-desc">${esc(options.description)}</desc>`,
	);
	if (!options.omitStyle) out.push(`<style>${TOPOLOGY_CSS}</style>`);
	const ports = new Map<string, PlacedPort[]>();
	for (const p of layout.ports) ports.set(p.node, [...(ports.get(p.node) ?? []), p]);
	out.push('<g class="nodes">');
	for (const node of layout.nodes) out.push(printNode(node));
	out.push('</g>', '<g class="wires">');
	for (const w of layout.wires) out.push(printWire(w));
	out.push('</g>', '<g class="ports">');
	for (const p of layout.ports) out.push(printPort(p));
	out.push('</g>', '</svg>');
	return out.join('\n') + '\n';
}

interface TextStyle {
	size: number;
	anchor?: 'middle' | 'end';
	italic?: boolean;
}

function text(x: number, y: number, s: string, cls: string, style: TextStyle): string {
	return `<text x="${n(x)}" y="${n(y)}"${cls ? ` class="${cls}"` : ''} font-size="${style.size}"${style.anchor ? ` text-anchor="${style.anchor}"` : ''}${style.italic ? ' font-style="italic"' : ''}>${esc(s)}</text>`;
}

const baseline = (top: number, line: number, size: number): number => top + line - (line - size) / 2 - size * 0.2;

/** Name, address lines and note of an interface tag whose box starts at (x, y). */
function tag(x: number, y: number, name: string, lines: string[], note: string | undefined, state: string): string {
	const p = GEOMETRY.portPadX;
	let top = y + GEOMETRY.portPadY;
	const parts = [
		`<circle class="led ${state}" cx="${n(x + p + 4)}" cy="${n(top + TEXT.name.line / 2)}" r="3.5"/>`,
		text(x + p + GEOMETRY.led, baseline(top, TEXT.name.line, TEXT.name.size), name, 'mono b', { size: TEXT.name.size }),
	];
	top += TEXT.name.line;
	for (const l of lines) {
		parts.push(text(x + p, baseline(top, TEXT.addr.line, TEXT.addr.size), l, 'mono', { size: TEXT.addr.size }));
		top += TEXT.addr.line;
	}
	if (note) parts.push(text(x + p, baseline(top, TEXT.note.line, TEXT.note.size), note, 'muted', { size: TEXT.note.size, italic: true }));
	return parts.join('');
}

function printNode(node: PlacedNode): string {
	const { x, y, w, h } = node;
	const attrs = `class="${node.kind}" data-id="${esc(node.id)}"`;
	const lines = (left: number, top: number) =>
		node.lines.map((l, i) => text(left, baseline(top + i * TEXT.addr.line, TEXT.addr.line, TEXT.addr.size), l, 'mono muted', { size: TEXT.addr.size })).join('');
	switch (node.kind) {
		case 'host': {
			const cw = node.chipW ?? 0;
			return `<g ${attrs}><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="10"/>` +
				`<rect class="chip" x="${n(x + 16)}" y="${n(y - GEOMETRY.chipH / 2)}" width="${n(cw)}" height="${GEOMETRY.chipH}" rx="6"/>` +
				monitor(x + 24, y - 5) +
				text(x + 16 + 28, y + 4.5, node.title, 'chip-text b', { size: TEXT.title.size }) +
				lines(x + 16, y + Math.max(GEOMETRY.chipH / 2, node.band ?? 0) + 8) +
				`</g>`;
		}
		case 'netns':
		case 'ghost': {
			const cw = node.chipW ?? 0;
			const ch = GEOMETRY.chipH - 2;
			const label =
				node.kind === 'netns'
					? `<text x="${n(x + 12 + 8)}" y="${n(y + 4)}" class="chip-text"><tspan font-size="11">netns </tspan><tspan class="mono b" font-size="${TEXT.name.size}">${esc(node.title)}</tspan></text>`
					: text(x + 12 + 8, y + 4, node.title, 'muted', { size: 11, italic: true });
			const full = node.fullTitle ? `<title>netns ${esc(node.fullTitle)}</title>` : '';
			return `<g ${attrs}>${full}<rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="8"/>` +
				`<rect class="chip" x="${n(x + 12)}" y="${n(y - ch / 2)}" width="${n(cw)}" height="${ch}" rx="5"/>` +
				label +
				lines(x + 12, y + Math.max(ch / 2, node.band ?? 0) + 6) +
				`</g>`;
		}
		case 'bridge':
			return `<g ${attrs}><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="6"/>${tag(x + 4, y + 4, node.title, node.lines, node.note, node.state ?? 'unknown')}</g>`;
		case 'iface':
			return `<g ${attrs}><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="5"/>${tag(x, y, node.title, node.lines, node.note, node.state ?? 'unknown')}</g>`;
		case 'switch':
			return `<g ${attrs}><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="6"/>` +
				switchIcon(x + 12, y + h / 2) +
				text(x + 34, y + h / 2 + 4.5, node.title, 'b', { size: TEXT.title.size }) +
				`</g>`;
		case 'router':
			return `<g ${attrs}><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="8"/>` +
				text(x + w / 2, y + 18, node.title, 'b', { size: TEXT.title.size, anchor: 'middle' }) +
				text(x + w / 2, y + 34, node.lines[0] ?? '', 'mono', { size: TEXT.addr.size, anchor: 'middle' }) +
				`</g>`;
		case 'cloud':
			return `<g ${attrs}><path class="box" d="${cloudPath(x, y, w, h)}"/>` +
				text(x + w / 2, y + h / 2 + 1, node.title, 'b', { size: TEXT.title.size, anchor: 'middle' }) +
				text(x + w / 2, y + h / 2 + 16, node.lines[0] ?? '', 'mono', { size: TEXT.addr.size, anchor: 'middle' }) +
				`</g>`;
	}
}

function printPort(p: PlacedPort): string {
	if (!p.label) {
		if (p.w === 0) return '';
		return `<rect class="socket" data-id="${esc(p.id)}" x="${n(p.x - p.w / 2)}" y="${n(p.y - p.h / 2)}" width="${n(p.w)}" height="${n(p.h)}" rx="1.5"/>`;
	}
	const x = p.x - p.w / 2;
	const y = p.y - p.h / 2;
	return `<g class="port" data-id="${esc(p.id)}"><rect class="box" x="${n(x)}" y="${n(y)}" width="${n(p.w)}" height="${n(p.h)}" rx="5"/>${tag(x, y, p.label.name, p.label.lines, p.label.note, p.state)}</g>`;
}

function printWire(w: PlacedWire): string {
	return `<path class="wire ${w.kind}${w.up ? '' : ' down'}" data-id="${esc(w.id)}" d="${roundedPath(w.points, 8)}"/>`;
}

/** An orthogonal polyline with rounded corners. */
export function roundedPath(points: Point[], radius: number): string {
	if (points.length === 0) return '';
	const d = [`M${n(points[0]!.x)} ${n(points[0]!.y)}`];
	for (let i = 1; i < points.length - 1; i++) {
		const a = points[i - 1]!;
		const b = points[i]!;
		const c = points[i + 1]!;
		const r = Math.min(radius, dist(a, b) / 2, dist(b, c) / 2);
		const p1 = toward(b, a, r);
		const p2 = toward(b, c, r);
		d.push(`L${n(p1.x)} ${n(p1.y)}`, `Q${n(b.x)} ${n(b.y)} ${n(p2.x)} ${n(p2.y)}`);
	}
	const last = points[points.length - 1]!;
	d.push(`L${n(last.x)} ${n(last.y)}`);
	return d.join('');
}

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const toward = (from: Point, to: Point, r: number): Point => {
	const d = dist(from, to) || 1;
	return { x: from.x + ((to.x - from.x) * r) / d, y: from.y + ((to.y - from.y) * r) / d };
};

function monitor(x: number, y: number): string {
	return `<rect class="icon-line" x="${n(x)}" y="${n(y - 4)}" width="14" height="9" rx="1.5"/><path class="icon-line" d="M${n(x + 4)} ${n(y + 8)}h6M${n(x + 7)} ${n(y + 5)}v3"/>`;
}

function switchIcon(x: number, cy: number): string {
	const p = (dy: number, dir: 1 | -1) => {
		const y = cy + dy;
		const x1 = dir === 1 ? x : x + 14;
		const x2 = dir === 1 ? x + 14 : x;
		return `M${n(x1)} ${n(y)}H${n(x2)}M${n(x2 - 4 * dir)} ${n(y - 3)}L${n(x2)} ${n(y)}L${n(x2 - 4 * dir)} ${n(y + 3)}`;
	};
	return `<path d="${p(-4, 1)}${p(4, -1)}" fill="none" stroke="var(--topo-switch-fg)" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/>`;
}

/** A cloud outline filling the box. */
function cloudPath(x: number, y: number, w: number, h: number): string {
	const b = y + h;
	return [
		`M${n(x + w * 0.18)} ${n(b)}`,
		`C${n(x - w * 0.02)} ${n(b)} ${n(x - w * 0.02)} ${n(y + h * 0.45)} ${n(x + w * 0.16)} ${n(y + h * 0.42)}`,
		`C${n(x + w * 0.16)} ${n(y + h * 0.05)} ${n(x + w * 0.45)} ${n(y - h * 0.05)} ${n(x + w * 0.52)} ${n(y + h * 0.2)}`,
		`C${n(x + w * 0.62)} ${n(y - h * 0.02)} ${n(x + w * 0.88)} ${n(y + h * 0.08)} ${n(x + w * 0.85)} ${n(y + h * 0.4)}`,
		`C${n(x + w * 1.02)} ${n(y + h * 0.42)} ${n(x + w * 1.02)} ${n(b)} ${n(x + w * 0.82)} ${n(b)}Z`,
	].join('');
}

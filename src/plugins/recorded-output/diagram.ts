import type { LabState } from '../../lib/snapshot/schema.ts';
import { describeTopology, toTopology, type TopologyLab } from '../../lib/topology/index.ts';
import { renderTopologySvgElk } from '../../lib/topology/layout-elk.ts';

/**
 * Draws recorded `ip -j` state as an accessible SVG string (`<title>`, `<desc>`). Build time
 * only: the default, src/lib/topology's elkjs layout, never reaches the reader's browser.
 */
export type TopologyRenderer = (
	state: LabState,
	options: { title: string; id: string; lab: TopologyLab },
) => string | Promise<string>;

/** The build-time renderer: src/lib/topology with the elkjs layout. */
export const renderWithElk: TopologyRenderer = (state, { title, id, lab }) =>
	renderTopologySvgElk({ state, lab }, { title, id });

const escape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The topology's description as HTML: a paragraph per heading line, a list per run of `- ` lines. */
function textHtml(text: string): string {
	let html = '';
	let list = false;
	for (const line of text.split('\n').filter(Boolean)) {
		const item = line.startsWith('- ');
		if (item && !list) html += '<ul>';
		if (!item && list) html += '</ul>';
		list = item;
		html += item ? `<li>${escape(line.slice(2))}</li>` : `<p>${escape(line)}</p>`;
	}
	return html + (list ? '</ul>' : '');
}

/** Options for {@link diagramHtml}. */
export interface DiagramOptions {
	/** Unique on the page: prefixes the SVG's internal ids. */
	id: string;
	/** The chapter's lab, which the drawing needs to tell switches and uplinks apart. */
	lab: TopologyLab;
	/** What the diagram shows (the SVG's accessible name). */
	title: string;
	/** Visible caption under the figure. */
	caption: string;
	/** Default: {@link renderWithElk}. */
	render?: TopologyRenderer;
	/** Extra class, e.g. nb-final for the end-of-chapter diagram. */
	className?: string;
	/** Where the diagram comes from, for errors: `content/chapters/05-veth-pairs.mdx:42`. */
	where: string;
}

/**
 * The figure for a recorded state: the topology SVG, its caption, and the same description as
 * text under an expander (searchable, and readable without the picture). Throws naming the
 * chapter and line if the state cannot be drawn.
 */
/** Diagrams wider than this (viewBox px) scroll on small screens rather than shrink. */
const WIDE_DIAGRAM = 560;

export async function diagramHtml(state: LabState, options: DiagramOptions): Promise<string> {
	let svg: string;
	let text: string;
	try {
		svg = await (options.render ?? renderWithElk)(state, { title: options.title, id: options.id, lab: options.lab });
		text = describeTopology(toTopology(state, options.lab));
	} catch (e) {
		throw new Error(
			`${options.where}: cannot draw the recorded state (${(e as Error).message})\n  hint: check src/lib/topology against this chapter's snapshot, or re-record it with npm run verify -- --update`,
			{ cause: e },
		);
	}
	const classes = ['nb-diagram', ...(options.className ? [options.className] : [])].join(' ');
	const lines = textHtml(text);
	// A wide lab would shrink to unreadable text on a phone: there it keeps a minimum width and
	// scrolls sideways instead (see book.css), focusable so keyboard users can scroll it too.
	const width = Number(/viewBox="[-\d.]+ [-\d.]+ ([\d.]+)/.exec(svg)?.[1] ?? 0);
	const wide = width > WIDE_DIAGRAM ? ` data-wide style="--nb-diagram-width: ${width}px" tabindex="0" role="region" aria-label="${escape(options.title)} (scrolls sideways on small screens)"` : '';
	return (
		`<figure class="${classes}" data-nb-diagram="svg"><div class="nb-diagram-svg"${wide}>${svg}</div>` +
		`<figcaption>${escape(options.caption)}</figcaption>` +
		`<details class="nb-diagram-text"><summary>The diagram as text</summary>${lines}</details></figure>`
	);
}

import type { LabState } from '../../lib/shared/lab-state.ts';
import { describeTopology, renderTopologySvg, toTopology, type TopologyLab } from '../../lib/topology/index.ts';

/** Draws recorded `ip -j` state as an accessible SVG string (`<title>`, `<desc>`). */
export type TopologyRenderer = (
	state: LabState,
	options: { title: string; id: string; lab: TopologyLab },
) => string | Promise<string>;

/**
 * The build's renderer: src/lib/topology's layout, the one the live diagram beside the terminal
 * uses, so a recorded state and the same state in the simulator are drawn alike.
 */
export const renderDiagram: TopologyRenderer = (state, { title, id, lab }) => renderTopologySvg({ state, lab }, { title, id });

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
	/** Default: {@link renderDiagram}. */
	render?: TopologyRenderer;
	/** Extra class, e.g. nb-final for the end-of-chapter diagram. */
	className?: string;
	/** Where the diagram comes from, for errors: `content/chapters/05-veth-pairs.mdx:42`. */
	where: string;
}

/**
 * The figure for a recorded state: the topology SVG, its caption, and the same description as
 * text under an expander (readable without the picture). Throws naming the chapter and line if
 * the state cannot be drawn.
 */
export async function diagramHtml(state: LabState, options: DiagramOptions): Promise<string> {
	let svg: string;
	let text: string;
	try {
		svg = await (options.render ?? renderDiagram)(state, { title: options.title, id: options.id, lab: options.lab });
		text = describeTopology(toTopology(state, options.lab));
	} catch (e) {
		throw new Error(
			`${options.where}: cannot draw the recorded state (${(e as Error).message})\n  hint: check src/lib/topology against this chapter's snapshot, or re-record it with npm run verify -- --update`,
			{ cause: e },
		);
	}
	const classes = ['nb-diagram', ...(options.className ? [options.className] : [])].join(' ');
	const lines = textHtml(text);
	// On a narrow screen a lab keeps its own size (labels at least 10 px) and scrolls sideways
	// rather than shrink (book.css); DIAGRAM_SCROLL_JS makes it focusable while it scrolls.
	const width = Number(/viewBox="[-\d.]+ [-\d.]+ ([\d.]+)/.exec(svg)?.[1] ?? 0);
	const wide = ` style="--nb-diagram-width: ${width}px" data-nb-label="${escape(options.title)} (scrolls sideways)"`;
	return (
		`<figure class="${classes}" data-nb-diagram="svg"><div class="nb-diagram-svg" data-pagefind-ignore${wide}>${svg}</div>` +
		`<figcaption>${escape(options.caption)}</figcaption>` +
		// Generated from recorded state like the outputs: searchable in the page, not in the index.
		`<details class="nb-diagram-text" data-pagefind-ignore><summary>The diagram as text</summary>${lines}</details></figure>`
	);
}

/**
 * Page script (an Expressive Code JS module): a diagram that scrolls sideways (a narrow screen)
 * becomes a focusable, named region so that the keyboard can scroll it, as Expressive Code does
 * for code blocks; one that fits is neither.
 */
export const DIAGRAM_SCROLL_JS = `try{const o=new ResizeObserver(es=>{for(const{target:e}of es){const s=e.scrollWidth>e.clientWidth+1;if(s===e.hasAttribute('tabindex'))continue;if(s){e.setAttribute('tabindex','0');e.setAttribute('role','region');e.setAttribute('aria-label',e.dataset.nbLabel||'Diagram')}else for(const a of['tabindex','role','aria-label'])e.removeAttribute(a)}});document.querySelectorAll('.nb-diagram-svg').forEach(e=>o.observe(e))}catch(e){console.error('[netbook] diagram scroll:',e)}`;

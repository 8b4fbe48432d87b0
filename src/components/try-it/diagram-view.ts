/**
 * The live diagram: the simulator's state drawn with the same topology code as the book's
 * diagrams (the hand layout: synchronous, well under a millisecond per command, see
 * docs/topology.md), redrawn whenever a command changed the state.
 */
import type { Lab } from '../../lib/shared/lab.ts';
import type { LabState } from '../../lib/shared/lab-state.ts';
import { renderTopologySvg, toTopology, type Topology } from '../../lib/topology/index.ts';
import { h } from './dom.ts';
import { scrollBox, type ScrollBox } from './scroll-box.ts';

/**
 * The diagram beside the terminal, drawn at its own size so that its smallest labels stay
 * 10 px tall: a lab larger than the pane scrolls inside it, and the packet walk scrolls the
 * step it highlights into view.
 */
export class DiagramView {
	readonly element: HTMLElement;
	private readonly holder: HTMLElement;
	private readonly box: ScrollBox;
	private highlighted: string[] = [];
	/** The topology last drawn (the packet walk maps its steps onto it). */
	topology: Topology | undefined;
	/** Milliseconds the last redraw took (state → SVG in the page), for the docs' figures. */
	lastRenderMs = 0;
	/** What the state comes from, in words: "the simulator", "the real Linux kernel". */
	private from = 'the simulator';
	private readonly caption: HTMLElement;

	constructor(private readonly lab: Lab) {
		this.holder = h('div', { class: 'nb-td-svg' });
		this.box = scrollBox('nb-td-view', 'The lab diagram (scrolls)', this.holder);
		this.caption = h('figcaption', {});
		this.element = h('figure', { class: 'nb-td' }, this.box.frame, this.caption);
		this.source(this.from);
	}

	/** Says where the state now comes from (`the simulator`, `the real Linux kernel`); the next render's title says it too. */
	source(from: string): void {
		this.from = from;
		this.caption.textContent = `The lab now, as ${from} has it: redrawn after each command.`;
	}

	/** Draws `state`; highlights survive a redraw. */
	render(state: LabState): void {
		const started = performance.now();
		this.topology = toTopology(state, this.lab);
		this.holder.innerHTML = renderTopologySvg(this.topology, { id: 'nb-live', title: `The ${this.lab.name} lab now, in ${this.from}` });
		// Its own size (the viewBox in CSS pixels), never shrunk to fit.
		const svg = this.holder.querySelector('svg');
		if (svg) svg.style.width = `${svg.viewBox.baseVal.width}px`;
		this.lastRenderMs = performance.now() - started;
		this.element.dataset['renders'] = String(Number(this.element.dataset['renders'] ?? 0) + 1);
		this.highlight(this.highlighted);
	}

	/** Highlights the elements with these data-ids (and only them), scrolled into view. */
	highlight(ids: string[]): void {
		this.highlighted = ids;
		for (const el of this.holder.querySelectorAll('.hl')) el.classList.remove('hl');
		const lit: Element[] = [];
		for (const id of ids)
			for (const el of this.holder.querySelectorAll(`[data-id="${CSS.escape(id)}"]`)) {
				el.classList.add('hl');
				lit.push(el);
			}
		const rects = lit.map((el) => el.getBoundingClientRect()).filter((r) => r.width || r.height);
		if (rects.length === 0) return this.box.update();
		this.box.reveal({
			top: Math.min(...rects.map((r) => r.top)),
			bottom: Math.max(...rects.map((r) => r.bottom)),
			left: Math.min(...rects.map((r) => r.left)),
			right: Math.max(...rects.map((r) => r.right)),
		});
	}
}

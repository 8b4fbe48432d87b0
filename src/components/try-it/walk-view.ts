/**
 * The packet walk beside the diagram: every step of a trace listed in words, the current one
 * highlighted on the diagram, with Previous/Next (and the arrow keys) to move along.
 */
import type { PacketTrace } from '../../lib/shared/trace.ts';
import { walkOf, walkTitle, type WalkStep } from '../../lib/terminal/walk.ts';
import type { DiagramView } from './diagram-view.ts';
import { h } from './dom.ts';
import { scrollBox, type ScrollBox } from './scroll-box.ts';

/** The walk panel. */
export class WalkView {
	readonly element: HTMLElement;
	private readonly heading: HTMLElement;
	private readonly summary: HTMLElement;
	private readonly list: HTMLOListElement;
	private readonly now: HTMLElement;
	private readonly position: HTMLElement;
	private readonly box: ScrollBox;
	private readonly prev: HTMLButtonElement;
	private readonly next: HTMLButtonElement;
	private steps: WalkStep[] = [];
	private index = 0;

	constructor(private readonly diagram: DiagramView) {
		this.heading = h('h3', { class: 'nb-tw-title', tabindex: '-1' }, 'Packet walk');
		this.summary = h('p', { class: 'nb-tw-summary' });
		this.list = h('ol', { class: 'nb-tw-steps' });
		// The current step is said here and shown highlighted in the list (kept in view), so the
		// sentence itself is for screen readers; sighted readers get "Step 4 of 12" by the buttons.
		this.now = h('p', { class: 'nb-tw-now nb-sr', 'aria-live': 'polite' });
		this.position = h('span', { class: 'nb-tw-pos', 'aria-hidden': 'true' });
		this.box = scrollBox('nb-tw-view', 'Packet walk steps', this.list);
		this.prev = h('button', { type: 'button' }, 'Previous step');
		this.next = h('button', { type: 'button' }, 'Next step');
		const close = h('button', { type: 'button', class: 'nb-tw-close', 'aria-label': 'Close the walk', title: 'Close the walk' }, '✕');
		this.prev.addEventListener('click', () => this.go(this.index - 1));
		this.next.addEventListener('click', () => this.go(this.index + 1));
		close.addEventListener('click', () => this.close());
		this.element = h(
			'section',
			{ class: 'nb-tw', hidden: true, 'aria-label': 'Packet walk' },
			h('div', { class: 'nb-tw-head' }, this.heading, close),
			this.summary,
			h('div', { class: 'nb-tw-controls' }, this.prev, this.next, this.position),
			this.now,
			this.box.frame,
		);
		this.element.addEventListener('keydown', (e) => {
			if (e.key === 'ArrowRight' || e.key === 'ArrowDown') this.go(this.index + 1);
			else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') this.go(this.index - 1);
			else return;
			e.preventDefault();
		});
	}

	/** Shows a trace from its first step. */
	show(trace: PacketTrace): void {
		if (!this.diagram.topology) return;
		this.steps = walkOf(trace, this.diagram.topology);
		this.heading.textContent = walkTitle(trace);
		this.summary.textContent = trace.summary;
		this.list.replaceChildren(
			...this.steps.map((s, i) => {
				const li = h('li', { 'data-kind': s.kind, 'data-leg': s.leg }, h('span', { class: 'nb-tw-tag' }, s.label), ' ', s.text);
				li.addEventListener('click', () => this.go(i));
				return li;
			}),
		);
		this.element.hidden = false;
		this.box.scroller.scrollTo({ top: 0 });
		this.go(0);
		this.heading.focus({ preventScroll: true });
	}

	/** Moves to step `i` (clamped): highlights it on the diagram and says it. */
	go(i: number): void {
		if (this.steps.length === 0) return;
		this.index = Math.max(0, Math.min(i, this.steps.length - 1));
		const step = this.steps[this.index]!;
		[...this.list.children].forEach((li, j) => (j === this.index ? li.setAttribute('aria-current', 'step') : li.removeAttribute('aria-current')));
		this.diagram.highlight(step.ids);
		this.now.textContent = `Step ${this.index + 1} of ${this.steps.length} (${step.label}): ${step.text}`;
		this.position.textContent = `Step ${this.index + 1} of ${this.steps.length}`;
		const current = this.list.children[this.index];
		if (current) this.box.reveal(current.getBoundingClientRect(), 4);
		this.prev.disabled = this.index === 0;
		this.next.disabled = this.index === this.steps.length - 1;
	}

	/** Hides the walk and clears the highlights. */
	close(): void {
		this.element.hidden = true;
		this.steps = [];
		this.diagram.highlight([]);
	}
}

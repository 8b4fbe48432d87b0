/**
 * A box of the panel that scrolls on its own (the diagram, the packet walk's steps, the side
 * column): a frame holding a scroller. While the content overflows, the scroller is a focusable,
 * named region (so the keyboard can scroll it, as Expressive Code does for code blocks), and the
 * frame's `data-more` names the edges with more to see (`top bottom left right`), which the
 * panel's CSS shades. Nothing is shaded or focusable when everything fits.
 */
import { h } from './dom.ts';

/** A scrolling box: put content in `scroller`, place `frame` in the page. */
export interface ScrollBox {
	readonly frame: HTMLElement;
	readonly scroller: HTMLElement;
	/** Re-reads the sizes (after the content changed). */
	update(): void;
	/** Scrolls as little as possible to show `rect` (client coordinates), with a margin. */
	reveal(rect: { top: number; bottom: number; left: number; right: number }, margin?: number): void;
}

/** Builds a scroll box named `label` (its accessible name while it scrolls). */
export function scrollBox(className: string, label: string, ...content: HTMLElement[]): ScrollBox {
	const scroller = h('div', { class: 'nb-sb-scroller' }, ...content);
	const frame = h('div', { class: `nb-sb ${className}` }, scroller);
	const update = () => {
		const { scrollTop: top, scrollLeft: left, scrollHeight, scrollWidth, clientHeight, clientWidth } = scroller;
		const more = [
			top > 1 && 'top',
			top + clientHeight < scrollHeight - 1 && 'bottom',
			left > 1 && 'left',
			left + clientWidth < scrollWidth - 1 && 'right',
		].filter(Boolean);
		frame.dataset['more'] = more.join(' ');
		const scrolls = scrollHeight > clientHeight + 1 || scrollWidth > clientWidth + 1;
		if (scrolls === scroller.hasAttribute('tabindex')) return;
		if (scrolls) {
			scroller.setAttribute('tabindex', '0');
			scroller.setAttribute('role', 'region');
			scroller.setAttribute('aria-label', label);
		} else for (const name of ['tabindex', 'role', 'aria-label']) scroller.removeAttribute(name);
	};
	scroller.addEventListener('scroll', update, { passive: true });
	const observer = new ResizeObserver(update);
	observer.observe(scroller);
	for (const child of content) observer.observe(child);
	return {
		frame,
		scroller,
		update,
		reveal(rect, margin = 12) {
			const box = scroller.getBoundingClientRect();
			const delta = (start: number, end: number, viewStart: number, viewEnd: number) => {
				if (end - start > viewEnd - viewStart - 2 * margin || start < viewStart + margin) return start - viewStart - margin;
				return end > viewEnd - margin ? end - viewEnd + margin : 0;
			};
			const dy = delta(rect.top, rect.bottom, box.top, box.top + scroller.clientHeight);
			const dx = delta(rect.left, rect.right, box.left, box.left + scroller.clientWidth);
			if (dx || dy) scroller.scrollTo({ top: scroller.scrollTop + dy, left: scroller.scrollLeft + dx });
			update();
		},
	};
}

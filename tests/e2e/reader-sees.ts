/**
 * What a reader sees of an element, measured in the page: inside the window, clear of the
 * "Try it" dock (unless it is part of it), and on top where it shows (elementFromPoint lands on
 * it or inside it). For the browser tests of focus, the packet walk and small screens.
 */
import type { ElementHandle, Page } from 'playwright-core';

/** One element as the reader sees it. */
export interface Seen {
	/** Tag, class and name, to say which element failed. */
	what: string;
	top: number;
	bottom: number;
	/** Empty when the reader sees it; else why not. */
	problem: string;
}

/**
 * Measures `el`. An element that fits in the window beside the dock must be wholly in the
 * window and off the dock, with each edge's middle and its centre on top; one taller than that
 * must show a part, on top at that part's centre (WCAG 2.4.11: not entirely hidden).
 */
export function seen(_page: Page, el: ElementHandle<Element>): Promise<Seen> {
	return el.evaluate(measure);
}

/** {@link seen} for every element matching `selector`, in one round trip. */
export function seenAll(page: Page, selector: string): Promise<Seen[]> {
	return page.evaluate(
		([source, selector]) => {
			const measure = new Function(`return (${source})`)() as (el: Element) => Seen;
			return [...document.querySelectorAll(selector)].map(measure);
		},
		[measure.toString(), selector] as const,
	);
}

/** The measurement, run in the page (self-contained: it is sent there as source). */
function measure(el: Element): Seen {
	const name = el.getAttribute('aria-label') ?? el.textContent ?? '';
	const what = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} “${name.trim().slice(0, 50)}”`;
	// A link that wraps has several boxes: its first line is where the focus shows first.
	const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
	const result = (problem: string) => ({ what, top: Math.round(r.top), bottom: Math.round(r.bottom), problem });
	if (r.width === 0 || r.height === 0) return result('has no size');
	if (r.left < -1 || r.right > innerWidth + 1) return result(`is outside the window sideways (${Math.round(r.left)}–${Math.round(r.right)})`);
	const dockEl = document.querySelector('.nb-tryit');
	const d = dockEl && !dockEl.contains(el) ? dockEl.getBoundingClientRect() : undefined;
	const overlaps = !!d && r.bottom > d.top + 0.5 && r.top < d.bottom - 0.5 && r.right > d.left && r.left < d.right;
	// The window's room for the page: below Starlight's header (and its "On this page" bar on
	// a phone), above the dock where it is docked at the bottom.
	const bars = [...document.querySelectorAll('header.header, mobile-starlight-toc nav')].map((b) => b.getBoundingClientRect());
	const roomTop = Math.max(0, ...bars.filter((b) => b.top < 80).map((b) => b.bottom));
	const roomBottom = d && d.bottom >= innerHeight - 1 && d.top < innerHeight ? d.top : innerHeight;
	const onTop = (x: number, y: number) => {
		const hit = document.elementFromPoint(x, y);
		return !!hit && (hit === el || el.contains(hit));
	};
	const cx = (r.left + r.right) / 2;
	if (r.height <= roomBottom - roomTop - 8) {
		if (overlaps) return result(`is under the dock (its box ${Math.round(r.top)}–${Math.round(r.bottom)}, the dock's ${Math.round(d!.top)}–${Math.round(d!.bottom)})`);
		// Under the header it would not be on top: the points below tell.
		if (r.top < -0.5 || r.bottom > innerHeight + 0.5) return result(`is not wholly in the window (its box ${Math.round(r.top)}–${Math.round(r.bottom)})`);
		const cy = (r.top + r.bottom) / 2;
		const points: [number, number][] = [[cx, cy], [cx, r.top + 2], [cx, r.bottom - 2], [r.left + 2, cy], [r.right - 2, cy]];
		const covered = points.find(([x, y]) => !onTop(x, y));
		if (!covered) return result('');
		const by = document.elementFromPoint(...covered);
		return result(`is covered at (${Math.round(covered[0])}, ${Math.round(covered[1])}) by ${by ? `${by.tagName.toLowerCase()}.${[...by.classList].join('.')}` : 'nothing'}`);
	}
	const top = Math.max(r.top, roomTop);
	const bottom = Math.min(r.bottom, roomBottom);
	if (bottom - top < 8) return result('shows no part of itself between the window’s top and the dock');
	return result(onTop(cx, (top + bottom) / 2) ? '' : 'is covered where it shows');
}

/**
 * Tabs through every focus stop of the page from its top, once around, and measures each as it
 * gets the focus. In the terminal's line, Escape then Tab leaves (as its help says).
 */
export async function focusStops(page: Page, max = 400): Promise<Seen[]> {
	await page.evaluate(() => {
		(document.activeElement as HTMLElement | null)?.blur();
		window.scrollTo(0, 0);
		(window as unknown as { focusSeen: WeakSet<Element> }).focusSeen = new WeakSet();
	});
	const stops: Seen[] = [];
	for (let i = 0; i < max; i++) {
		if (await page.evaluate(() => !!document.activeElement?.matches('.nb-tl-input'))) await page.keyboard.press('Escape');
		await page.keyboard.press('Tab');
		const state = await page.evaluate(async () => {
			await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
			const el = document.activeElement;
			const w = window as unknown as { focusSeen: WeakSet<Element> };
			if (!el || el === document.body) return 'none';
			if (w.focusSeen.has(el)) return 'again';
			w.focusSeen.add(el);
			return 'new';
		});
		if (state === 'again') break;
		if (state === 'none') continue;
		const el = (await page.evaluateHandle(() => document.activeElement)).asElement()!;
		stops.push(await seen(page, el));
	}
	return stops;
}

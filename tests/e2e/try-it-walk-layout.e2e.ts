import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { seenAll } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { axeViolations, openPage, openTerminal, typeLine } from './try-it-page.ts';

// The packet walk as a reader sees it: its buttons and its current step in view at every step,
// the step lit on the diagram in view, labels big enough to read, and nothing axe objects to.
const site = useBuiltSite();
const chapters = bookChapters();
const chapter = (prefix: string) => chapters.find((c) => c.chapter.id.startsWith(prefix))!;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
	await close?.();
	close = undefined;
});

/** The smallest text of the live diagram (or of the page's diagrams), in CSS pixels as drawn. */
function smallestLabel(page: Page, selector: string): Promise<number> {
	return page.evaluate((selector) => {
		const sizes = [...document.querySelectorAll<SVGTextElement>(`${selector} text`)]
			.filter((t) => t.getClientRects().length > 0)
			.map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a);
		return sizes.length ? Math.min(...sizes) : Infinity;
	}, selector);
}

const walks = [
	{ prefix: '07-', upTo: 'What the rules saw', ping: '@pi ip netns exec alice ping --trace -c 1 8.8.8.8' },
	{ prefix: '01-', upTo: 'Alice pings Bob, and watches the wire', ping: '@alice ping --trace -c 1 192.168.1.2' },
];

describe.each([
	[1280, 900],
	[390, 844],
])('the packet walk at %i×%i', (width, height) => {
	// Chapter 7's lab is the tallest with a walk worth taking; chapter 1's the widest for its side.
	it.each(width < 500 ? walks.slice(0, 1) : walks)('chapter $prefix: buttons, current step and lit diagram in view at every step; labels ≥ 10 px; no axe violations', async ({ prefix, upTo, ping }) => {
		const c = chapter(prefix);
		const { page, context } = await openPage(site.browser, site.url + c.path, { width });
		close = () => context.close();
		await page.setViewportSize({ width, height });
		await openTerminal(page);
		const block = page.locator('figure.nb-terminal', { has: page.locator('.header .title', { hasText: new RegExp(`^${upTo}$`) }) });
		await block.locator('.nb-run button', { hasText: 'Run up to here' }).click();
		await page.waitForFunction(() => /Fresh lab; replayed/.test(document.querySelector('.nb-tl-log')?.textContent ?? '') && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false');
		// The terminal open, the walk not yet: the side column's parts scroll only when focusable.
		expect(await axeViolations(page)).toEqual([]);
		await typeLine(page, ping, { skip: true });
		expect(await page.locator('.nb-tw').isVisible()).toBe(true);

		const label = await smallestLabel(page, '.nb-td svg');
		console.log(`[walk] ${width}×${height} ${c.chapter.id}: smallest label of the live diagram ${label.toFixed(1)} px`);
		expect(label).toBeGreaterThanOrEqual(10);
		expect(await axeViolations(page)).toEqual([]);

		const steps = await page.locator('.nb-tw-steps li').count();
		expect(steps).toBeGreaterThan(5);
		const problems: string[] = [];
		for (let i = 0; i < steps; i++) {
			if (i > 0) await page.locator('.nb-tw button', { hasText: 'Next step' }).click();
			for (const s of await seenAll(page, '.nb-tw-steps li[aria-current="step"], .nb-tw-controls button, .nb-tw-close'))
				if (s.problem) problems.push(`step ${i + 1}: ${s.what} ${s.problem}`);
			// The lit parts of the diagram: their centres inside the diagram's visible box.
			const lit = await page.evaluate(() => {
				const view = document.querySelector('.nb-td-view .nb-sb-scroller')!.getBoundingClientRect();
				return [...document.querySelectorAll('.nb-td svg .hl')].map((e) => {
					const r = e.getBoundingClientRect();
					const x = r.left + r.width / 2;
					const y = r.top + r.height / 2;
					return { id: e.getAttribute('data-id'), inView: x >= view.left && x <= view.right && y >= view.top && y <= view.bottom };
				});
			});
			for (const l of lit) if (!l.inView) problems.push(`step ${i + 1}: ${l.id} is lit but scrolled out of the diagram's view`);
		}
		expect(problems).toEqual([]);
	}, 180_000);
});

describe('the page’s diagrams on a phone (390 px)', () => {
	it('keep labels of at least 10 px, and scroll sideways (focusable) where the drawing is wider', async () => {
		const context = await site.browser.newContext({ viewport: { width: 390, height: 844 } });
		close = () => context.close();
		const page = await context.newPage();
		let smallest = Infinity;
		let scrolling = 0;
		for (const c of chapters) {
			await page.goto(site.url + c.path);
			smallest = Math.min(smallest, await smallestLabel(page, '.nb-diagram svg'));
			// Focusable while it scrolls (a script does it once the page has laid out).
			await page.waitForFunction(() => [...document.querySelectorAll('.nb-diagram-svg')].every((d) => d.scrollWidth <= d.clientWidth + 1 || d.getAttribute('tabindex') === '0'));
			scrolling += await page.$$eval('.nb-diagram-svg[role="region"][aria-label]', (ds) => ds.length);
		}
		console.log(`[walk] 390×844: smallest label of the page diagrams ${smallest.toFixed(1)} px; ${scrolling} diagrams scroll sideways`);
		expect(smallest).toBeGreaterThanOrEqual(10);
		expect(scrolling).toBeGreaterThan(0);
	});
});

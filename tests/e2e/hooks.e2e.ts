import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';

// Chapter 7's figure of netfilter's hooks, as a reader sees it: in place before the first
// iptables command, whole and full size on a phone, scrolling with a visible focus on a
// narrower one, legible in both themes, and the target of the other chapters' pointers.
const site = useBuiltSite();
const chapters = bookChapters();
const seven = chapters.find((c) => c.chapter.id.startsWith('07-'))!;
const ANCHOR = 'how-netfilter-sees-a-packet';
const FIGURE = 'figure.nb-hooks';
let context: BrowserContext | undefined;
afterEach(async () => {
	await context?.close();
	context = undefined;
});

async function open(path: string, size: { width: number; height: number }, phone = true): Promise<Page> {
	context = await site.browser.newContext({ viewport: size, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
	const page = await context.newPage();
	await page.goto(site.url + path);
	return page;
}

/** The smallest text of the figure as drawn, in CSS pixels. */
const smallestText = (page: Page): Promise<number> =>
	page.evaluate((sel) => Math.min(...[...document.querySelectorAll<SVGTextElement>(`${sel} svg text`)].map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a)), FIGURE);

describe('the figure of netfilter’s hooks (chapter 7)', () => {
	it('comes once, in its section, before the chapter’s first iptables command', async () => {
		const page = await open(seven.path, { width: 1280, height: 900 }, false);
		const order = await page.evaluate(
			([sel, anchor]) => {
				const figures = document.querySelectorAll(sel);
				const heading = document.getElementById(anchor);
				const firstIptables = [...document.querySelectorAll('.expressive-code pre')].find((p) => /(^|\n)iptables /.test(p.closest('figure')?.querySelector('.copy button')?.getAttribute('data-code') ?? ''));
				const before = (a: Element | null | undefined, b: Element | null | undefined) => !!a && !!b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
				return { count: figures.length, afterHeading: before(heading, figures[0]), beforeIptables: before(figures[0], firstIptables) };
			},
			[FIGURE, ANCHOR] as const,
		);
		expect(order).toEqual({ count: 1, afterHeading: true, beforeIptables: true });
	});

	it('is whole and full size on a 390 px phone, in view when scrolled to, with its caption and text', async () => {
		const page = await open(seven.path, { width: 390, height: 844 });
		const figure = page.locator(FIGURE);
		await figure.scrollIntoViewIfNeeded();
		const svg = await page.$(`${FIGURE} svg`);
		expect((await seen(page, svg!)).problem).toBe('');
		const fit = await page.evaluate((sel) => {
			const box = document.querySelector(`${sel} .nb-diagram-svg`)!;
			const svg = box.querySelector('svg')!;
			const r = svg.getBoundingClientRect();
			return { left: r.left, right: r.right, width: r.width, viewBox: svg.viewBox.baseVal.width, scrolls: box.scrollWidth > box.clientWidth + 1, page: document.documentElement.scrollWidth - innerWidth };
		}, FIGURE);
		expect(fit.left).toBeGreaterThanOrEqual(0);
		expect(fit.right).toBeLessThanOrEqual(390);
		expect(fit.scrolls).toBe(false);
		expect(fit.page).toBeLessThanOrEqual(0);
		expect(fit.width).toBeCloseTo(fit.viewBox, 0);
		expect(await smallestText(page)).toBeGreaterThanOrEqual(10);
		// Every hook is drawn, and named for a screen reader: the SVG's name and description.
		expect(await page.locator(`${FIGURE} svg [data-hook]`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-hook')))).toEqual(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
		const a11y = await page.evaluate((sel) => {
			const svg = document.querySelector(`${sel} svg`)!;
			const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
			return { role: svg.getAttribute('role'), named: ids.map((id) => document.getElementById(id)?.textContent ?? '') };
		}, FIGURE);
		expect(a11y.role).toBe('img');
		expect(a11y.named[0]).toBe('Netfilter’s hooks, and what runs at each');
		expect(a11y.named[1]).toMatch(/^Netfilter’s IPv4 hooks, .*\n- PREROUTING \(/s);
		expect(await figure.locator('figcaption').textContent()).toMatch(/^Netfilter's five hooks/);
		await figure.locator('summary').click();
		const text = await figure.locator('.nb-diagram-text').innerText();
		for (const hook of ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']) expect(text).toContain(`${hook} (`);
	});

	it('scrolls sideways on a narrower phone, as a named region that shows its focus', async () => {
		const page = await open(seven.path, { width: 320, height: 700 });
		const box = page.locator(`${FIGURE} .nb-diagram-svg`);
		await box.scrollIntoViewIfNeeded();
		await page.waitForFunction((sel) => document.querySelector(`${sel} .nb-diagram-svg`)?.getAttribute('tabindex') === '0', FIGURE);
		expect(await box.getAttribute('role')).toBe('region');
		expect(await box.getAttribute('aria-label')).toBe('Netfilter’s hooks, and what runs at each (scrolls sideways)');
		expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
		await box.focus();
		await page.keyboard.press('ArrowRight');
		// The browser may scroll smoothly: wait for the key's scroll to land (or fail after 5 s).
		await page.waitForFunction((sel) => (document.querySelector(`${sel} .nb-diagram-svg`)?.scrollLeft ?? 0) > 0, FIGURE, { timeout: 5000 }).catch(() => undefined);
		const focus = await box.evaluate((el) => ({ focused: document.activeElement === el, outline: getComputedStyle(el).outlineStyle, width: parseFloat(getComputedStyle(el).outlineWidth), scrolled: el.scrollLeft }));
		expect(focus).toMatchObject({ focused: true, outline: 'solid' });
		expect(focus.width).toBeGreaterThanOrEqual(2);
		expect(focus.scrolled).toBeGreaterThan(0);
		expect(await smallestText(page)).toBeGreaterThanOrEqual(10);
	});

	it.each(['light', 'dark'])('passes axe in the %s theme, drawn in that theme’s colours', async (theme) => {
		const page = await open(seven.path, { width: 1280, height: 900 }, false);
		await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
		const colours = await page.evaluate((sel) => {
			const box = document.querySelector(`${sel} .hook > .box`)!;
			const name = document.querySelector(`${sel} .hook > text`)!;
			return { box: getComputedStyle(box).fill, text: getComputedStyle(name).fill, page: getComputedStyle(document.body).backgroundColor };
		}, FIGURE);
		const dark = (rgb: string) => rgb.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) < 3 * 128;
		expect(dark(colours.box), colours.box).toBe(theme === 'dark');
		expect(dark(colours.text), colours.text).toBe(theme !== 'dark');
		const { violations } = await new AxeBuilder({ page }).include(FIGURE).analyze();
		expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
	});

	it.each(['08-', '10-', '12-', '14-'])('chapter %s points back to the section, and the link lands on it', async (prefix) => {
		const c = chapters.find((x) => x.chapter.id.startsWith(prefix))!;
		const page = await open(c.path, { width: 1280, height: 900 }, false);
		const link = page.locator(`main a[href$="/07-reaching-the-internet/#${ANCHOR}"]`);
		expect(await link.count()).toBe(1);
		await link.click();
		await page.waitForURL(`**/07-reaching-the-internet/#${ANCHOR}`);
		// The heading with its anchor link (Starlight's wrapper), in the window and on top.
		const heading = await page.locator(`#${ANCHOR}`).locator('xpath=..').elementHandle();
		expect(await heading!.evaluate((el) => el.textContent?.trim().startsWith('How netfilter sees a packet'))).toBe(true);
		expect((await seen(page, heading!)).problem).toBe('');
	});
});

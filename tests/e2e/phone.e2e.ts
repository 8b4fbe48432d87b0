import type { BrowserContext, ElementHandle, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { openTerminal } from './try-it-page.ts';

// A chapter on a phone (390×844, touch, so copy buttons always show), as the reader sees it.
const site = useBuiltSite();
const chapters = bookChapters();
const one = chapters.find((c) => c.chapter.id.startsWith('01-'))!;
let context: BrowserContext | undefined;
afterEach(async () => {
	await context?.close();
	context = undefined;
});

async function phone(path: string, size = { width: 390, height: 844 }): Promise<Page> {
	context = await site.browser.newContext({ viewport: size, isMobile: true, hasTouch: true });
	const page = await context.newPage();
	await page.goto(site.url + path);
	return page;
}

type Box = { left: number; right: number; top: number; bottom: number };
const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;

describe('the site title on a phone (390×844)', () => {
	it('shows the whole site title, clear of the search and menu buttons', async () => {
		const page = await phone(one.path);
		const title = await page.evaluate(() => {
			const link = document.querySelector('.site-title')!;
			const range = document.createRange();
			range.selectNodeContents(link);
			const text = range.getBoundingClientRect();
			const clip = link.closest('.title-wrapper')!.getBoundingClientRect();
			const buttons = [...document.querySelectorAll('header.header button')].filter((b) => b.getClientRects().length).map((b) => b.getBoundingClientRect());
			return { name: link.textContent!.trim(), text, clip, buttons: buttons.map((b) => ({ left: b.left, right: b.right, top: b.top, bottom: b.bottom })) };
		});
		expect(title.name).toBe('Networking from First Principles');
		expect(title.text.right).toBeLessThanOrEqual(title.clip.right + 0.5);
		expect(title.text.bottom).toBeLessThanOrEqual(title.clip.bottom + 0.5);
		expect(title.text.top).toBeGreaterThanOrEqual(title.clip.top - 0.5);
		for (const b of title.buttons) expect(overlap(title.text, b)).toBe(false);
	});

	it.each(chapters.map((c) => [c.chapter.id, c.path]))('%s: no copy button over code, no title under the window dots or the button', async (_, path) => {
		const page = await phone(path);
		const problems = await page.evaluate(() => {
			const out: string[] = [];
			const box = (r: DOMRect) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
			const meets = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) =>
				Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
			document.querySelectorAll('.expressive-code figure.frame').forEach((frame, i) => {
				const pre = frame.querySelector('pre')!;
				const view = pre.getBoundingClientRect();
				const button = frame.querySelector('.copy button')?.getBoundingClientRect();
				// Code text as drawn: the parts inside the block's visible width (scrolled to its start).
				const text: ReturnType<typeof box>[] = [];
				const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					if (!n.textContent!.trim()) continue;
					const range = document.createRange();
					range.selectNodeContents(n);
					for (const r of range.getClientRects()) if (r.width && r.left < view.left + pre.clientWidth && r.right > view.left) text.push(box(r));
				}
				if (button && text.some((t) => meets(t, box(button)))) out.push(`block ${i + 1}: the copy button covers code`);
				const header = frame.querySelector('.header');
				const title = frame.querySelector('.title');
				if (!header || !title?.textContent) return;
				const h = header.getBoundingClientRect();
				const dots = getComputedStyle(header, '::before');
				const d = { left: h.left + parseFloat(dots.left), right: h.left + parseFloat(dots.left) + parseFloat(dots.width), top: h.top, bottom: h.bottom };
				const range = document.createRange();
				range.selectNodeContents(title);
				for (const r of range.getClientRects()) {
					if (meets(box(r), d)) out.push(`block ${i + 1}: its title “${title.textContent}” runs under the window dots`);
					if (button && meets(box(r), box(button))) out.push(`block ${i + 1}: its title “${title.textContent}” runs under the copy button`);
					if (r.right > h.right || r.left < h.left) out.push(`block ${i + 1}: its title “${title.textContent}” is cut`);
				}
			});
			return out;
		});
		expect(problems).toEqual([]);
	});
});

describe('the Try it bar on a phone (390×844)', () => {
	it('shows the Try it bar whole at the end of the chapter, and docked flush with the bottom while reading', async () => {
		const page = await phone(one.path);
		const look = () =>
			page.evaluate(() => {
				const bar = document.querySelector('.nb-tryit')!;
				const r = bar.getBoundingClientRect();
				const s = getComputedStyle(bar);
				return { top: r.top, bottom: r.bottom, borderBottom: parseFloat(s.borderBottomWidth) > 0 && s.borderBottomColor !== 'rgba(0, 0, 0, 0)', radius: parseFloat(s.borderBottomLeftRadius) };
			});
		const docked = await look();
		expect(docked.bottom).toBeCloseTo(844, 0);
		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
		await page.waitForTimeout(100);
		const end = await look();
		expect(end.bottom).toBeLessThan(844 - 8);
		expect(end.top).toBeGreaterThan(0);
		expect(end.borderBottom).toBe(true);
		expect(end.radius).toBeGreaterThan(0);
		expect((await seen(page, (await page.locator('.nb-tryit-toggle').elementHandle())!)).problem).toBe('');
	});

	it.each([
		['390×844', { width: 390, height: 844 }],
		['844×390, on its side', { width: 844, height: 390 }],
	])('lists the progress checks whole, or says the list scrolls and lets the keyboard scroll it (%s)', async (_, size) => {
		const page = await phone(one.path, size);
		await openTerminal(page);
		await page.locator('.nb-tp-panes button', { hasText: 'Progress' }).click();
		const items = (await page.locator('.nb-tc li').elementHandles()) as ElementHandle<Element>[];
		expect(items.length).toBeGreaterThan(1);
		const hidden: string[] = [];
		for (const li of items) {
			const s = await seen(page, li);
			if (s.problem) hidden.push(`${s.what} ${s.problem}`);
		}
		const frame = await page.evaluate(() => {
			const f = document.querySelector<HTMLElement>('.nb-tp-side')!;
			const scroller = f.querySelector<HTMLElement>(':scope > .nb-sb-scroller') ?? f;
			return { more: f.dataset['more'] ?? '', focusable: scroller.getAttribute('tabindex') === '0', scrolls: scroller.scrollHeight > scroller.clientHeight + 1 };
		});
		console.log(`[phone] progress at ${size.width}×${size.height}: ${items.length - hidden.length} of ${items.length} checks in view; ${frame.scrolls ? `scrolls (shade: ${frame.more})` : 'no scrolling'}`);
		if (hidden.length === 0) return;
		// Cut: then a shade says so and the keyboard can scroll to the rest.
		expect(frame.scrolls).toBe(true);
		expect(frame.more).toContain('bottom');
		expect(frame.focusable).toBe(true);
		await page.locator('.nb-tp-side > .nb-sb-scroller').focus();
		expect(await page.evaluate(() => document.activeElement?.matches('.nb-tp-side > .nb-sb-scroller'))).toBe(true);
		await page.keyboard.press('End');
		// Wait for the scroll to reach the end (it may be smooth, and slow on a busy machine).
		await page.waitForFunction(() => {
			const s = document.querySelector<HTMLElement>('.nb-tp-side > .nb-sb-scroller')!;
			return s.scrollTop + s.clientHeight >= s.scrollHeight - 1;
		});
		expect((await seen(page, items.at(-1)!)).problem).toBe('');
	});
});

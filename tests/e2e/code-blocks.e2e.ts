import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';
import { openPage } from './try-it-page.ts';

// A code block never hides what the prose explains without saying so: commands wrap and are read
// whole; recorded output that is wider than the block scrolls, shows a shade on the edge with more
// to see, and scrolls from the keyboard.
const site = useBuiltSite();
const chapters = bookChapters();
const chapter = (prefix: string) => chapters.find((c) => c.chapter.id.startsWith(prefix))!;

/** How much the pixels a few px inside the left and right edges of `pre` differ from its middle, in its bottom padding. */
async function edgeShade(page: Page, index: number): Promise<{ left: number; right: number }> {
	const pre = page.locator('.expressive-code pre').nth(index);
	const box = (await pre.boundingBox())!;
	// Rows in the block's bottom padding, above its scrollbar (if the browser draws one).
	const bottom = await pre.evaluate((p) => p.clientTop + p.clientHeight);
	const png = await page.screenshot({ clip: { x: box.x, y: box.y + bottom - 7, width: box.width, height: 4 } });
	return page.evaluate(async (base64) => {
		const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const ctx = canvas.getContext('2d')!;
		ctx.drawImage(bitmap, 0, 0);
		const at = (x: number) => [...ctx.getImageData(Math.round(x), 1, 1, 1).data].slice(0, 3);
		const middle = at(bitmap.width / 2);
		const diff = (x: number) => at(x).reduce((n, v, i) => n + Math.abs(v - middle[i]!), 0);
		return { left: diff(4 * devicePixelRatio), right: diff(bitmap.width - 4 * devicePixelRatio) };
	}, png.toString('base64'));
}

/** The pre holding `text`, its index among the page's code blocks. */
function preWith(page: Page, text: string): Promise<number> {
	return page.$$eval('.expressive-code pre', (pres, text) => pres.findIndex((p) => p.textContent!.includes(text)), text);
}

describe.each([
	[1280, 900],
	[390, 844],
])('code blocks at %i×%i', (width, height) => {
	it('show chapter 7’s MASQUERADE command whole, wrapped under its prompt', async () => {
		const { page, context } = await openPage(site.browser, site.url + chapter('07-').path, { width });
		await page.setViewportSize({ width, height });
		const line = page.locator('.expressive-code .ec-line', { hasText: 'iptables -t nat -A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE' }).first();
		await line.scrollIntoViewIfNeeded();
		const fits = await line.evaluate((line) => {
			const pre = line.closest('pre')!;
			const left = pre.getBoundingClientRect().left + pre.clientLeft;
			const rects: DOMRect[] = [];
			const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const range = document.createRange();
				range.selectNodeContents(n);
				rects.push(...[...range.getClientRects()].filter((r) => r.width > 0));
			}
			return { rects: rects.length, inside: rects.every((r) => r.left >= left - 0.5 && r.right <= left + pre.clientWidth + 0.5), lines: new Set(rects.map((r) => Math.round(r.top))).size };
		});
		expect(fits.rects).toBeGreaterThan(0);
		expect(fits.inside).toBe(true);
		if (width < 500) expect(fits.lines).toBeGreaterThan(1);
		await context.close();
	});

	it('say that chapter 1’s ip link output scrolls (a shade at the edge with more), and scroll from the keyboard to qlen 1000', async () => {
		const { page, context } = await openPage(site.browser, site.url + chapter('01-').path, { width });
		await page.setViewportSize({ width, height });
		const index = await preWith(page, 'qlen 1000');
		const pre = page.locator('.expressive-code pre').nth(index);
		await pre.scrollIntoViewIfNeeded();
		expect(await pre.evaluate((p) => p.scrollWidth > p.clientWidth)).toBe(true);
		const start = await edgeShade(page, index);
		console.log(`[code] ${width}×${height}: shade at the start, left ${start.left}, right ${start.right}`);
		expect(start.right).toBeGreaterThan(30);
		expect(start.left).toBeLessThan(10);
		// Focusable (Expressive Code's script, once the page is idle), and the arrow keys scroll it.
		await page.waitForFunction((i) => document.querySelectorAll('.expressive-code pre')[i]!.getAttribute('tabindex') === '0', index);
		await pre.focus();
		for (let i = 0; i < 60 && !(await pre.evaluate((p) => p.scrollLeft + p.clientWidth >= p.scrollWidth - 1)); i++) await page.keyboard.press('ArrowRight');
		const end = await edgeShade(page, index);
		console.log(`[code] ${width}×${height}: shade at the end, left ${end.left}, right ${end.right}`);
		expect(end.left).toBeGreaterThan(30);
		expect(end.right).toBeLessThan(10);
		// The end of the longest line, qlen 1000, is now in view.
		const qlen = await pre.evaluate((pre) => {
			const view = pre.getBoundingClientRect();
			const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
			for (let n = walker.nextNode(); n; n = walker.nextNode())
				for (let at = n.textContent!.indexOf('qlen 1000'); at >= 0; at = n.textContent!.indexOf('qlen 1000', at + 1)) {
					const range = document.createRange();
					range.setStart(n, at);
					range.setEnd(n, at + 'qlen 1000'.length);
					const r = range.getBoundingClientRect();
					if (r.left >= view.left && r.right <= view.left + pre.clientWidth) return true;
				}
			return false;
		});
		expect(qlen).toBe(true);
		await context.close();
	});
});

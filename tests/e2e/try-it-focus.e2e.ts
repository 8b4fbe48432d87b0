import { describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { focusStops, seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { openPage, openTerminal } from './try-it-page.ts';

// WCAG 2.4.11 (focus not obscured): every focus stop of a chapter, reached with Tab, is seen by
// the reader, with the "Try it" bar docked at the bottom and with the terminal open over the page.
const site = useBuiltSite();
const one = bookChapters().find((c) => c.chapter.id.startsWith('01-'))!;
const hidden = (stops: { problem: string }[]) => stops.filter((s) => s.problem !== '');

describe.each([
	[1280, 900],
	[390, 844],
])('focus at %i×%i', (width, height) => {
	it('never goes under the Try it bar or the open terminal', async () => {
		const { page, context } = await openPage(site.browser, site.url + one.path, { width });
		await page.setViewportSize({ width, height });
		const closed = await focusStops(page);
		console.log(`[focus] ${width}×${height} ${one.chapter.id}, terminal closed: ${hidden(closed).length} of ${closed.length} focus stops hidden`);
		expect(hidden(closed)).toEqual([]);
		// Every Run button of the chapter is among them (the report's 45 hidden stops were those).
		expect(closed.filter((s) => s.what.includes('Run block')).length).toBe(one.chapter.blocks.filter((b) => b.runnable).length);

		await openTerminal(page);
		const open = await focusStops(page);
		console.log(`[focus] ${width}×${height} ${one.chapter.id}, terminal open: ${hidden(open).length} of ${open.length} focus stops hidden`);
		expect(hidden(open)).toEqual([]);
		expect(open.length).toBeGreaterThan(closed.length);
		await context.close();
	}, 180_000);
});

describe('closing the terminal with Escape', () => {
	it('puts the focus back on the Run button that opened it, in view', async () => {
		const { page, context } = await openPage(site.browser, site.url + one.path);
		const run = page.locator('.nb-run button', { hasText: /^Run$/ }).nth(4);
		await run.focus();
		await page.keyboard.press('Enter');
		await page.locator('.nb-tryit-body[data-state="ready"]').waitFor();
		await page.waitForFunction(() => document.querySelector<HTMLElement>('.nb-tl')?.dataset['busy'] === 'false');
		await page.locator('.nb-tl-input').focus();
		// In the terminal's line the first Escape only arms "Tab leaves"; the second closes.
		await page.keyboard.press('Escape');
		expect(await page.locator('.nb-tryit').getAttribute('data-open')).toBe('true');
		await page.keyboard.press('Escape');
		expect(await page.locator('.nb-tryit').getAttribute('data-open')).toBe('false');
		expect(await run.evaluate((b) => b === document.activeElement)).toBe(true);
		expect((await seen(page, await run.elementHandle().then((h) => h!))).problem).toBe('');
		await context.close();
	});

	it('from a control of the panel, at once; opened from the bar, the focus goes back to its button', async () => {
		const { page, context } = await openPage(site.browser, site.url + one.path);
		await page.locator('.nb-tryit-toggle').focus();
		await openTerminal(page);
		await page.locator('.nb-tl-log').focus();
		await page.keyboard.press('Escape');
		expect(await page.locator('.nb-tryit').getAttribute('data-open')).toBe('false');
		expect(await page.evaluate(() => document.activeElement?.className)).toBe('nb-tryit-toggle');
		await context.close();
	});
});

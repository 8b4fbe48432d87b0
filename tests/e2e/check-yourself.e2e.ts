import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';

// Chapter 1's "Check yourself" as a reader meets it: the questions' recorded output and the
// answers folded until asked for, the output's summary reached and opened from the keyboard, an
// answer opened with a click and read where it opened, and the break-it exercise after them.
const site = useBuiltSite();
const one = bookChapters().find((c) => c.chapter.id.startsWith('01-'))!;
const firstQuestion = one.chapter.blocks.find((b) => b.attributes.predict)!;
let context: BrowserContext | undefined;
afterEach(async () => {
	await context?.close();
	context = undefined;
});

async function open(size: { width: number; height: number }): Promise<Page> {
	context = await site.browser.newContext({ viewport: size });
	const page = await context.newPage();
	await page.goto(site.url + one.path);
	return page;
}

/** Whether `a` comes before `b` in the document. */
async function before(a: Locator, b: Locator): Promise<boolean> {
	const other = await b.elementHandle();
	return a.evaluate((x, y) => !!(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING), other!);
}

/** Puts `el` a quarter of the way down the window, at once (the page may scroll smoothly). */
const placeNearTop = (el: Locator) =>
	el.evaluate((e) => window.scrollTo({ top: scrollY + e.getBoundingClientRect().top - innerHeight / 4, behavior: 'instant' }));

describe.each([
	[1280, 900],
	[390, 844],
])('chapter 1’s Check yourself at %i×%i', (width, height) => {
	it('has its heading after the recap, and the break-it exercise before the cleanup', async () => {
		const page = await open({ width, height });
		const heading = page.locator('h2#check-yourself');
		expect(await heading.textContent()).toBe('Check yourself');
		const breakIt = page.locator('h3#break-it');
		expect(await breakIt.textContent()).toBe('Break it');
		const recap = page.locator('h2#recap');
		const cleanUp = page.locator('h2#clean-up');
		expect(await before(recap, heading)).toBe(true);
		expect(await before(heading, breakIt)).toBe(true);
		expect(await before(breakIt, cleanUp)).toBe(true);
		// The exercise has a question of its own and its answer, between its heading and the cleanup.
		const inBreakIt = (selector: string) =>
			page.$$eval(
				selector,
				(els, ids) => {
					const [from, to] = ids.map((id) => document.getElementById(id)!);
					return els.filter((e) => from!.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING && e.compareDocumentPosition(to!) & Node.DOCUMENT_POSITION_FOLLOWING).length;
				},
				['break-it', 'clean-up'],
			);
		expect(await inBreakIt('details.nb-reveal')).toBe(1);
		expect(await inBreakIt('details.answer')).toBe(1);
	});

	it('folds the first question’s output, and the keyboard reaches its summary and opens it', async () => {
		const page = await open({ width, height });
		const figure = page.locator(`figure.nb-terminal[data-nb-key="${firstQuestion.key}"]`);
		expect(await before(page.locator('h2#check-yourself'), figure)).toBe(true);
		const reveal = figure.locator('details.nb-reveal');
		const summary = reveal.locator('> summary');
		const output = reveal.locator('.nb-stdout').first();
		// The recorded output is there, and hidden: the question comes first.
		const recorded = one.snapshot!.blocks.find((b) => b.key === firstQuestion.key)!.steps.map((s) => s.stdout).join('');
		const firstLine = recorded.split('\n').find((l) => l.trim() !== '')!.trim();
		expect(await output.textContent()).toContain(firstLine);
		expect(await reveal.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
		expect(await output.isVisible()).toBe(false);
		expect(await output.evaluate((o) => o.checkVisibility())).toBe(false);

		// From the section's heading, Tab reaches the summary; it shows its focus and is in view.
		await page.locator('h2#check-yourself').click();
		let reached = false;
		for (let i = 0; i < 20 && !reached; i++) {
			await page.keyboard.press('Tab');
			reached = await summary.evaluate((s) => s === document.activeElement);
		}
		expect(reached, 'Tab from the heading reaches the output’s summary').toBe(true);
		expect(await summary.evaluate((s) => s.matches(':focus-visible'))).toBe(true);
		expect((await seen(page, (await summary.elementHandle())!)).problem).toBe('');

		await page.keyboard.press('Enter');
		expect(await reveal.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
		expect(await output.isVisible()).toBe(true);
		expect(await output.evaluate((o) => o.checkVisibility())).toBe(true);
	});

	it('folds the answer, and a click on its summary shows it where the reader is', async () => {
		const page = await open({ width, height });
		const answer = page.locator('details.answer').first();
		expect(await before(page.locator(`figure.nb-terminal[data-nb-key="${firstQuestion.key}"]`), answer)).toBe(true);
		const summary = answer.locator('> summary');
		const text = answer.locator('.answer-body p').first();
		expect(await summary.textContent()).toBe('Show the answer');
		expect((await text.textContent())!.length).toBeGreaterThan(100);
		expect(await answer.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
		expect(await text.isVisible()).toBe(false);

		await placeNearTop(summary);
		await summary.click();
		expect(await answer.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
		expect(await text.isVisible()).toBe(true);
		expect((await seen(page, (await text.elementHandle())!)).problem).toBe('');
	});
});

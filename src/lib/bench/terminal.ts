import type { Browser, Page } from 'playwright-core';
import { median, round } from './stats.ts';

/** The Try-it bar's button, found by its accessible name as a reader (or a screen reader) would. */
const openButton = (page: Page) => page.getByRole('button', { name: /open the terminal/i }).first();

/** Opens the chapter's "Try it" terminal by its button and resolves when a root prompt is on screen. */
export async function openTerminal(page: Page): Promise<void> {
	await openButton(page).click();
	await page.getByText(/root@[a-z0-9-]+:~#/).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** Time from click to prompt, ms, each run in a fresh context with an empty cache. */
export async function timeClickToPrompt(browser: Browser, url: string, runs: number): Promise<{ runs: number[]; median: number }> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(url, { waitUntil: 'networkidle' });
		const t0 = Date.now();
		await openTerminal(page);
		times.push(Date.now() - t0);
		await context.close();
	}
	return { runs: times, median: round(median(times), 0) };
}

/** Whether the page offers a terminal at all. */
export async function hasTerminal(browser: Browser, url: string): Promise<boolean> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(url, { waitUntil: 'networkidle' });
	const count = await openButton(page).count();
	await context.close();
	return count > 0;
}

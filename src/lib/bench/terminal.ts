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

/**
 * Runs in the page (kept as source text: tsx would wrap inner functions with a `__name` helper
 * that does not exist there). Types one line and presses Enter; presses Esc whenever the terminal
 * is busy (skipping a ping's virtual seconds); resolves with the ms until the line's echo is in
 * the transcript and the terminal is idle again.
 */
const TYPE_AND_TIME = `(line) => new Promise((resolve) => {
	const input = document.querySelector('.nb-tl-input');
	const term = document.querySelector('.nb-tl');
	const echoes = () => term.querySelectorAll('.nb-tl-echo').length;
	const key = (k) => input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
	const before = echoes();
	const started = performance.now();
	const check = () => {
		if (term.dataset.busy === 'true') return void key('Escape');
		if (echoes() > before) {
			observer.disconnect();
			resolve(performance.now() - started);
		}
	};
	const observer = new MutationObserver(check);
	observer.observe(term, { attributes: true, attributeFilter: ['data-busy'], childList: true, subtree: true });
	input.value = line;
	key('Enter');
	check();
})`;

/** Resolves when the terminal takes input: not busy, its input enabled. */
const IDLE = `(() => { const t = document.querySelector('.nb-tl'); const i = document.querySelector('.nb-tl-input'); return !!t && !!i && t.dataset.busy !== 'true' && !i.disabled; })()`;

/**
 * Types `lines` into an open terminal one at a time, the way a one-line paste arrives, and times
 * each from Enter to the prompt coming back (the command ran, its output is on screen, the diagram
 * and checks are updated). Pings are skipped with Esc, as a reader can, so virtual seconds do not
 * count. Uses the terminal's own markers: its input, and `data-busy` on the transcript.
 */
export async function timeCommands(page: Page, lines: readonly string[]): Promise<number[]> {
	const times: number[] = [];
	for (const line of lines) {
		await page.waitForFunction(IDLE, undefined, { timeout: 30_000 });
		times.push(await page.evaluate(`(${TYPE_AND_TIME})(${JSON.stringify(line)})`));
	}
	return times;
}

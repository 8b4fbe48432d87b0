/**
 * Helpers for the "Try it" browser tests: open a chapter, open its terminal, type into it and
 * read back what it printed, as a reader would.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach } from 'vitest';

/** What the terminal showed for one command. */
export interface Typed {
	stdout: string;
	stderr: string;
	exit: number;
	/** Milliseconds from Enter to the prompt coming back, measured in the page. */
	ms: number;
}

/** How a test's page is set up: the window's width (its height follows) and the theme. */
export interface PageOptions {
	width?: number;
	theme?: 'light' | 'dark';
}

/** A page in a fresh context (its own storage), not navigated yet. */
export async function newPage(browser: Browser, options: PageOptions = {}): Promise<{ page: Page; context: BrowserContext }> {
	const width = options.width ?? 1280;
	const context = await browser.newContext({ viewport: { width, height: width < 500 ? 740 : 900 } });
	if (options.theme) await context.addInitScript((theme) => localStorage.setItem('starlight-theme', theme), options.theme);
	return { page: await context.newPage(), context };
}

/** Opens a page in a fresh context (its own storage). */
export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<{ page: Page; context: BrowserContext }> {
	const opened = await newPage(browser, options);
	await opened.page.goto(url);
	return opened;
}

/** Clicks "Open the terminal" and waits for the prompt; returns the milliseconds it took, in the page. */
export async function openTerminal(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			new Promise<number>((resolve) => {
				const body = document.querySelector<HTMLElement>('.nb-tryit-body')!;
				const started = performance.now();
				const done = () => body.dataset['state'] === 'ready';
				new MutationObserver((_, observer) => {
					if (!done()) return;
					observer.disconnect();
					resolve(performance.now() - started);
				}).observe(body, { attributes: true, attributeFilter: ['data-state'] });
				document.querySelector<HTMLButtonElement>('.nb-tryit-toggle')!.click();
			}),
	);
}

/** Index of the next echo line, i.e. how many commands the transcript shows. */
const echoes = (page: Page) => page.locator('.nb-tl-echo').count();

/** What the transcript shows after echo number `n` (0-based) and before the next one. */
export function outputAfter(page: Page, n: number): Promise<{ stdout: string; stderr: string; exit: number; notes: string[] }> {
	return page.evaluate((n) => {
		const echo = document.querySelectorAll('.nb-tl-echo')[n]!;
		let stdout = '';
		let stderr = '';
		let exit = 0;
		const notes: string[] = [];
		for (let el = echo.nextElementSibling; el && !el.matches('.nb-tl-echo'); el = el.nextElementSibling) {
			for (const s of el.querySelectorAll('.nb-tl-stdout')) stdout += s.textContent;
			for (const s of el.querySelectorAll('.nb-tl-stderr')) stderr += s.textContent;
			const tag = el.querySelector('.nb-tl-exit')?.textContent;
			if (tag) exit = Number(tag.replace('exit ', ''));
			if (el.matches('.nb-tl-note')) notes.push(el.textContent ?? '');
		}
		return { stdout, stderr, exit, notes };
	}, n);
}

/**
 * Types a line (the whole line at once, then Enter, the way a paste of one line arrives) and
 * waits for the prompt to come back. Pings stream at their real pace unless `skip` presses Esc.
 */
export async function typeLine(page: Page, line: string, options: { skip?: boolean } = {}): Promise<Typed> {
	const n = await echoes(page);
	const ms = await page.evaluate(
		({ line, skip }) =>
			new Promise<number>((resolve) => {
				const input = document.querySelector<HTMLInputElement>('.nb-tl-input')!;
				const term = document.querySelector<HTMLElement>('.nb-tl')!;
				const started = performance.now();
				const key = (k: string) => input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
				let sawBusy = false;
				const observer = new MutationObserver(() => {
					if (term.dataset['busy'] === 'true') {
						sawBusy = true;
						if (skip) key('Escape');
					} else if (sawBusy) {
						observer.disconnect();
						resolve(performance.now() - started);
					}
				});
				observer.observe(term, { attributes: true, attributeFilter: ['data-busy'] });
				input.value = line;
				key('Enter');
			}),
		{ line, skip: options.skip ?? false },
	);
	const out = await outputAfter(page, n);
	return { stdout: out.stdout, stderr: out.stderr, exit: out.exit, ms };
}

/** axe violations, one line each (the panel open or not). */
export async function axeViolations(page: Page): Promise<string[]> {
	// Expressive Code makes code blocks that scroll focusable from a script, once the page is idle.
	await page.waitForFunction(() =>
		[...document.querySelectorAll('.expressive-code pre')].every((p) => p.scrollWidth <= p.clientWidth || p.hasAttribute('tabindex')),
	);
	const { violations } = await new AxeBuilder({ page }).analyze();
	return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/**
 * One browser context per test, closed after it: call once at the top of a test file, then hand
 * each test's context to the function it returns.
 */
export function contextPerTest(): (context: BrowserContext) => void {
	let open: BrowserContext | undefined;
	afterEach(async () => {
		await open?.close();
		open = undefined;
	});
	return (context) => {
		open = context;
	};
}

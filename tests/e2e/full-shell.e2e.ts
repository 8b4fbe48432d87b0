// "Open in a full shell" on the built site: the isolation headers on exactly its pages, nothing of
// it loaded before the press, what the press loads (measured), and the fallback to the built-in
// terminal, with its one line, for a page served without isolation, a blocked import and a boot
// that never answers. StackBlitz's servers cannot be reached from here: every request that is not
// to this machine is aborted (and recorded), so the WebContainer never boots in these tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookChapterSources } from '../../src/lib/fullshell/emit.ts';
import { ISOLATION_HEADERS } from '../../src/lib/fullshell/headers.ts';
import { TREE_FILE } from '../../src/lib/fullshell/layout.ts';
import { shellPages } from '../../src/lib/fullshell/pages.ts';
import { BOOK, bookChapters, DIST } from './book.ts';
import { seen } from './reader-sees.ts';
import { serveStatic, type StaticServer } from './server.ts';
import { useBuiltSite } from './site-fixture.ts';
import { contextPerTest, newPage } from './try-it-page.ts';

const site = useBuiltSite();
const track = contextPerTest();
const pages = shellPages(bookChapterSources(BOOK));
const shellPage = pages[0]!;
const otherPage = bookChapters().find((c) => !pages.includes(c.path))!.path;
/** The same site served without any header from _headers: not cross-origin isolated. */
let plain: StaticServer;
beforeAll(async () => void (plain = await serveStatic(DIST, { headers: false })));
afterAll(() => plain.close());

/** Text that only the WebContainer API's code (its frame's path) and xterm.js's code contain. */
const MARKERS = { webcontainer: '/headless', xterm: 'xterm-helper-textarea' };

/** A same-origin request's file in dist/, or undefined for another origin. */
function distFile(base: string, r: Request): string | undefined {
	const url = new URL(r.url());
	return url.origin === new URL(base).origin ? join(DIST, decodeURIComponent(url.pathname), url.pathname.endsWith('/') ? 'index.html' : '') : undefined;
}

/**
 * Opens the page with every request recorded, those leaving this machine aborted, and the Try-it
 * panel's own code already loaded (its warm-up on the first scroll), so that what the press loads
 * stands apart. Returns the requests so far and the aborted ones, both live.
 */
async function openShellPage(base: string, path: string): Promise<{ page: Page; requests: Request[]; outside: string[] }> {
	const { page, context } = await newPage(site.browser);
	track(context);
	const requests: Request[] = [];
	const outside: string[] = [];
	page.on('request', (r) => void requests.push(r));
	await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
		outside.push(route.request().url());
		return route.abort('internetdisconnected');
	});
	await page.goto(base + path, { waitUntil: 'load' });
	await page.locator('.nb-fs-open').scrollIntoViewIfNeeded();
	await page.locator('[data-nb-tryit][data-warm]').waitFor({ state: 'attached' });
	return { page, requests, outside };
}

/** Presses the button (optionally with a shorter boot timeout) and waits for the one line of a fallback. */
async function pressAndFallBack(page: Page, timeoutMs?: number): Promise<{ reason: string; line: string }> {
	if (timeoutMs) await page.locator('[data-nb-fullshell]').evaluate((el, ms) => void ((el as HTMLElement).dataset['bootTimeout'] = String(ms)), timeoutMs);
	await page.locator('.nb-fs-open').click();
	await page.locator('[data-nb-fullshell][data-state="fallback"]').waitFor({ timeout: 30_000 });
	return {
		reason: (await page.locator('[data-nb-fullshell]').getAttribute('data-reason'))!,
		line: (await page.locator('.nb-fs-status').textContent())!,
	};
}

/** The built-in terminal is open, its line has the focus, and the reader sees the line and the reason. */
async function expectBuiltInTerminal(page: Page): Promise<void> {
	await page.locator('.nb-tryit[data-open="true"] .nb-tryit-body[data-state="ready"]').waitFor();
	await page.waitForFunction(() => document.activeElement?.matches('.nb-tl-input') === true);
	// The panel scrolls the reason above itself (smoothly): wait until it has settled.
	await page.waitForFunction(() => {
		const box = document.querySelector('.nb-fs-status')!.getBoundingClientRect();
		return box.bottom <= document.querySelector('.nb-tryit')!.getBoundingClientRect().top && box.top >= 0;
	});
	for (const selector of ['.nb-tl-input', '.nb-fs-status']) expect((await seen(page, (await page.$(selector))!)).problem, selector).toBe('');
}

describe('headers', () => {
	it('isolates exactly the pages that embed the full shell', async () => {
		expect(pages.length).toBeGreaterThan(0);
		const html: string[] = [];
		const walk = (d: string): void => {
			for (const e of readdirSync(d)) {
				const p = join(d, e);
				if (statSync(p).isDirectory()) walk(p);
				else if (e === 'index.html') html.push(`/${relative(DIST, d)}${relative(DIST, d) ? '/' : ''}`);
			}
		};
		walk(DIST);
		expect(html.length).toBeGreaterThan(10);
		for (const path of html.sort()) {
			const r = await fetch(site.url + path);
			const got = { coep: r.headers.get('cross-origin-embedder-policy'), coop: r.headers.get('cross-origin-opener-policy') };
			const want = pages.includes(path) ? { coep: ISOLATION_HEADERS['Cross-Origin-Embedder-Policy'], coop: ISOLATION_HEADERS['Cross-Origin-Opener-Policy'] } : { coep: null, coop: null };
			expect(got, path).toEqual(want);
		}
		const tree = await fetch(`${site.url}/${TREE_FILE}`);
		expect(tree.headers.get('cross-origin-embedder-policy')).toBeNull();
	});

	it('makes the page cross-origin isolated, and it still loads everything and runs the built-in terminal', async () => {
		const { page, requests } = await openShellPage(site.url, shellPage);
		const errors: string[] = [];
		page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
		expect(await page.evaluate(() => [window.crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([true, 'function']);
		const failed = requests.filter((r) => r.failure());
		expect(failed.map((r) => `${r.url()} ${r.failure()?.errorText}`)).toEqual([]);
		expect(await page.$$eval('img', (imgs) => imgs.filter((i) => !(i as HTMLImageElement).naturalWidth).length)).toBe(0);
		await page.locator('.nb-tryit-toggle').click();
		await page.locator('.nb-tryit-body[data-state="ready"]').waitFor();
		await page.locator('.nb-tl-input').fill('ip -br link show lo');
		await page.locator('.nb-tl-input').press('Enter');
		await expect.poll(() => page.locator('.nb-tl-stdout').last().textContent()).toMatch(/^lo\s+UNKNOWN\s+00:00:00:00:00:00/);
		expect(errors).toEqual([]);

		const other = await page.context().newPage();
		await other.goto(site.url + otherPage);
		expect(await other.evaluate(() => window.crossOriginIsolated)).toBe(false);
	});
});

describe('pressing "Open in a full shell"', () => {
	it('loads nothing of it before the press, then its code and the plugin\'s files (measured), then falls back when the boot never answers', async () => {
		const { page, requests, outside } = await openShellPage(site.url, shellPage);
		await page.locator('.nb-fs-open').hover();
		await page.locator('.nb-fs-open').focus();
		await page.waitForTimeout(500);
		const before = requests.slice();
		const text = (r: Request) => readFileSync(distFile(site.url, r)!, 'utf8');
		const ours = (r: Request) => distFile(site.url, r) !== undefined && /\.(js|css|json)$/.test(new URL(r.url()).pathname) && (r.url().endsWith(TREE_FILE) || Object.values(MARKERS).some((m) => text(r).includes(m)));
		expect(before.filter(ours).map((r) => r.url())).toEqual([]);
		expect(before.some((r) => r.url().endsWith(TREE_FILE))).toBe(false);

		const treeLoaded = page.waitForResponse((r) => r.url().endsWith(TREE_FILE)).then((r) => r.finished());
		const fallback = pressAndFallBack(page, 4000);
		await expect.poll(() => outside.find((u) => u.startsWith('https://stackblitz.com/headless')), { timeout: 15_000 }).toBeTruthy();
		await treeLoaded;
		const pressed = requests.slice(before.length).filter((r) => distFile(site.url, r));
		const { reason, line } = await fallback;

		// What the press loaded from this site: the shell's code (WebContainer API, xterm.js and its styles, editor), the tree.
		const files = pressed.map((r) => new URL(r.url()).pathname);
		expect(files.some((f) => f.endsWith(TREE_FILE))).toBe(true);
		for (const marker of Object.values(MARKERS)) expect(pressed.some((r) => /\.js$/.test(r.url()) && text(r).includes(marker)), marker).toBe(true);
		const sizes = pressed.map((r) => {
			const body = readFileSync(distFile(site.url, r)!);
			return { file: new URL(r.url()).pathname, raw: body.length, gzip: gzipSync(body).length };
		});
		const sum = (k: 'raw' | 'gzip', tree: boolean) => sizes.filter((s) => s.file.endsWith(TREE_FILE) === tree).reduce((n, s) => n + s[k], 0);
		console.log(`[full-shell] press loads ${sizes.length} files from the site: code ${sum('gzip', false)} B gzip (${sum('raw', false)} B raw), tree ${sum('gzip', true)} B gzip (${sum('raw', true)} B raw): ${sizes.map((s) => `${s.file} ${s.gzip}`).join(', ')}`);

		// The boot asked StackBlitz for its frame with the headers this page sends.
		const headless = new URL(outside.find((u) => u.startsWith('https://stackblitz.com/headless'))!);
		expect(headless.searchParams.get('coep')).toBe('require-corp');
		expect(reason).toBe('timeout');
		expect(line).toBe('The WebContainer did not start within 4 s (stackblitz.com unreachable, or its frame blocked by the browser?): here is the simulated terminal instead.');
		await expectBuiltInTerminal(page);
	}, 90_000);

	it('on a page served without isolation, says so and opens the built-in terminal, loading nothing of the shell', async () => {
		const { page, requests } = await openShellPage(plain.url, shellPage);
		expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
		const axe = async () => (await new AxeBuilder({ page }).include('[data-nb-fullshell]').analyze()).violations.map((v) => `${v.id}: ${v.help}`);
		expect(await axe()).toEqual([]);
		const count = requests.length;
		const { reason, line } = await pressAndFallBack(page);
		expect(reason).toBe('not-isolated');
		expect(line).toBe('This page was served without the cross-origin isolation headers that the full shell needs: here is the simulated terminal instead.');
		await expectBuiltInTerminal(page);
		const after = requests.slice(count).map((r) => new URL(r.url()).pathname);
		expect(after.filter((p) => p.endsWith(TREE_FILE) || /\/_astro\/shell\./.test(p))).toEqual([]);
		expect(await page.locator('.nb-fs-open').textContent()).toBe('Try the full shell again');
		expect(await axe()).toEqual([]);
	}, 60_000);

	it('when its code cannot be loaded, says so and opens the built-in terminal', async () => {
		const { page } = await openShellPage(site.url, shellPage);
		await page.route(/\/_astro\/.*\.(js|css)$/, (route) => route.abort('blockedbyclient'));
		const { reason, line } = await pressAndFallBack(page);
		expect(reason).toBe('load');
		expect(line).toMatch(/^The full shell’s code did not load \(.+\): here is the simulated terminal instead\.$/);
		await expectBuiltInTerminal(page);
	}, 60_000);
});

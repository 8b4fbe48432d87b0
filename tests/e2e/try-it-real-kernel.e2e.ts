/**
 * The Try-it panel's real-kernel tier as a reader meets it: offered with its costs, loading
 * nothing before the reader chooses it, and falling back to the simulator with one visible line of
 * why when it cannot start. (try-it-real-kernel-run.e2e.ts runs chapter 4 on it.)
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { megabytes, tabMemoryMB } from '../../src/components/try-it/real-kernel-support.ts';
import { snapshotUrl } from '../../src/lib/book/debian-sources.ts';
import { bookChapters } from './book.ts';
import { builtManifest, isTierRequest, optIn, requireManifest } from './real-kernel.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { axeViolations, contextPerTest, openPage, openTerminal, typeLine } from './try-it-page.ts';

const four = bookChapters().find((c) => c.chapter.id.startsWith('04-'))!;
const site = useBuiltSite();
const track = contextPerTest();
const manifest = builtManifest();

async function open(options?: Parameters<typeof openPage>[2], path = four.path): Promise<Page> {
	const { page, context } = await openPage(site.browser, site.url + path, options);
	track(context);
	return page;
}

/** Every request the page makes from now on, as paths. */
function recordRequests(page: Page): string[] {
	const urls: string[] = [];
	page.on('request', (r) => void urls.push(r.url()));
	return urls;
}

/** What the reader sees of the element matching `selector`: '' when it is in view and on top. */
async function problemOf(page: Page, selector: string): Promise<string> {
	return (await seen(page, (await page.$(selector))!)).problem;
}

describe('the real kernel, before the reader chooses it', () => {
	it('loads nothing of it with the page, with the terminal open, or with its offer read', async () => {
		const page = await open();
		const urls = recordRequests(page);
		await page.reload({ waitUntil: 'networkidle' });
		// The first scroll warms the simulator up; the real kernel must not come with it.
		await page.mouse.wheel(0, 600);
		await page.waitForTimeout(1500);
		await openTerminal(page);
		await page.locator('.nb-tk-toggle').click();
		await page.waitForTimeout(1000);
		expect(urls.filter((u) => /panel/.test(u)).length, 'the panel itself did load').toBeGreaterThan(0);
		expect(urls.filter(isTierRequest)).toEqual([]);
		console.log(`[real kernel] ${urls.length} requests before opting in, none of the tier`);
	});

	it('states what it costs before anything loads, or says how to build it when the build has none', async () => {
		const page = await open();
		await openTerminal(page);
		expect(await page.locator('.nb-tk-now').textContent()).toBe('Engine: simulator');
		const toggle = page.locator('.nb-tk-toggle');
		expect(await toggle.getAttribute('aria-expanded')).toBe('false');
		await toggle.click();
		expect(await toggle.getAttribute('aria-expanded')).toBe('true');
		const offer = (await page.locator('.nb-tk-more').innerText()).replace(/\s+/g, ' ');
		if (manifest) {
			expect(await toggle.textContent()).toBe(`Real Linux kernel (${megabytes(manifest.bytes.total)})…`);
			expect(offer).toContain(`A ${megabytes(manifest.bytes.total)} download`);
			expect(offer).toContain(`uses about ${tabMemoryMB(manifest)} MB of memory (its machine has ${manifest.memoryMiB} MB)`);
			expect(offer).toContain(`Debian’s i386 Linux kernel (${manifest.kernel}) inside this page, in the v86 emulator`);
			expect(await page.locator('.nb-tk-start').isVisible()).toBe(true);
		} else {
			expect(offer).toContain('is not in this build of the site');
			expect(offer).toContain('npm run -s v86, then npm run build');
			expect(await page.locator('.nb-tk-start').count()).toBe(0);
		}
		expect(await page.locator('.nb-tk-more a').getAttribute('href')).toBe('/kernel-in-the-page/');
	});

	it('works from the keyboard: Tab reaches the switch, Enter opens it, every control is in view', async () => {
		const page = await open();
		await openTerminal(page);
		// From the terminal's line: Escape, then Shift+Tab walks back up the panel to the switch.
		await page.locator('.nb-tl-input').focus();
		await page.keyboard.press('Escape');
		let found = false;
		for (let i = 0; i < 12 && !found; i++) {
			await page.keyboard.press('Shift+Tab');
			found = await page.evaluate(() => document.activeElement?.classList.contains('nb-tk-toggle') ?? false);
		}
		expect(found, 'Shift+Tab from the terminal reaches "Real Linux kernel…"').toBe(true);
		await page.keyboard.press('Enter');
		expect(await page.locator('.nb-tk-toggle').getAttribute('aria-expanded')).toBe('true');
		expect(await problemOf(page, '.nb-tk-toggle')).toBe('');
		await page.keyboard.press('Tab');
		const next = manifest ? 'nb-tk-start' : undefined;
		if (next) {
			// The link to the licences comes first, then the start button.
			await page.keyboard.press('Tab');
			expect(await page.evaluate(() => document.activeElement?.className)).toBe(next);
			expect(await problemOf(page, `.${next}`)).toBe('');
		} else expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Licences and sources');
	});

	it.each(['light', 'dark'] as const)('fits a 360 px screen and has no axe violations with its offer open (%s)', async (theme) => {
		const page = await open({ width: 360, theme });
		await openTerminal(page);
		await page.locator('.nb-tk-toggle').click();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		for (const selector of ['.nb-tk-toggle', '.nb-tk-more a', ...(manifest ? ['.nb-tk-start'] : [])]) {
			expect(`${selector}: ${await problemOf(page, selector)}`).toBe(`${selector}: `);
			const box = (await page.locator(selector).boundingBox())!;
			expect(box.x + box.width).toBeLessThanOrEqual(360);
		}
		expect(await axeViolations(page)).toEqual([]);
	});
});

describe('the real kernel, when it cannot start', () => {
	/** Opts in and waits for the one line of why; returns it. */
	async function whyNot(page: Page): Promise<string> {
		await optIn(page);
		const why = page.locator('.nb-tk-why');
		await why.waitFor({ state: 'visible', timeout: 60_000 });
		return (await why.textContent())!;
	}

	/** After a failed start: the line in view, the switch back on the simulator, and the simulator answering. */
	async function stillOnSimulator(page: Page): Promise<void> {
		expect(await problemOf(page, '.nb-tk-why')).toBe('');
		expect(await page.locator('.nb-tk').getAttribute('data-state')).toBe('off');
		expect(await page.locator('.nb-tk-now').textContent()).toBe('Engine: simulator');
		expect(await page.evaluate(() => document.activeElement?.className)).toBe('nb-tk-toggle');
		const typed = await typeLine(page, 'ip -br addr show lo');
		expect(typed).toMatchObject({ stdout: 'lo               UNKNOWN        127.0.0.1/8 ::1/128 \n', stderr: '', exit: 0 });
		// The terminal said it too.
		expect(await page.locator('.nb-tl-error').allTextContents()).toContain(await page.locator('.nb-tk-why').textContent());
	}

	it('falls back to the simulator with one line of why when the saved state is not found (HTTP 404)', async () => {
		const m = requireManifest();
		const page = await open();
		await page.route(`**/v86/${m.files.state}`, (route) => route.fulfill({ status: 404, body: 'not here' }));
		await openTerminal(page);
		expect(await whyNot(page)).toBe(`The real Linux kernel did not start: could not download ${m.files.state} (HTTP 404). You are still on the simulator.`);
		await stillOnSimulator(page);
	});

	it('falls back when the download breaks off', async () => {
		const m = requireManifest();
		const page = await open();
		await page.route(`**/v86/${m.files.state}`, (route) => route.abort('connectionreset'));
		await openTerminal(page);
		expect(await whyNot(page)).toBe('The real Linux kernel did not start: a download failed (offline, or the server did not answer). You are still on the simulator.');
		await stillOnSimulator(page);
	});

	it('refuses, downloading nothing, on a device that reports too little memory or has no WebAssembly', async () => {
		const m = requireManifest();
		for (const [setup, reason] of [
			[`Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 1 })`, `this device reports 1 GB of memory, and the machine alone takes ${m.memoryMiB} MB: it needs a device with at least ${Math.ceil((4 * m.memoryMiB) / 1024)} GB`],
			['delete globalThis.WebAssembly', 'this browser has no WebAssembly, which v86 needs'],
		] as const) {
			const page = await open();
			await page.addInitScript(setup);
			await page.reload();
			const urls = recordRequests(page);
			await openTerminal(page);
			expect(await whyNot(page)).toBe(`The real Linux kernel did not start: ${reason}. You are still on the simulator.`);
			expect(urls.filter(isTierRequest)).toEqual([]);
			await stillOnSimulator(page);
		}
	});
});

describe('the licences page', () => {
	it('lists every Debian source package of the image with a link to its exact version, and makes the offer of source', async () => {
		const page = await open({}, '/kernel-in-the-page/');
		const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
		expect(text).toContain('BSD 2-Clause');
		expect(text).toContain('Copyright (c) 2012, The v86 contributors');
		expect(text).toContain('SeaBIOS: GNU LGPL, version 3');
		expect(text).toMatch(/for three years after the last day this site served this image/);
		if (!manifest) {
			expect(text).toContain('This build of the site has no kernel image');
			expect(await page.locator('table.nb-sources').count()).toBe(0);
			return;
		}
		const rows = await page.locator('table.nb-sources tbody tr').evaluateAll((trs) =>
			trs.map((tr) => ({ name: tr.querySelector('a')!.textContent, href: tr.querySelector('a')!.getAttribute('href'), version: tr.querySelector('code')!.textContent })),
		);
		const expected = [...manifest.sources].sort((a, b) => a.package.localeCompare(b.package));
		expect(rows).toEqual(expected.map((s) => ({ name: s.package, href: snapshotUrl(s.package, s.version), version: s.version })));
		expect(rows.length).toBeGreaterThan(20);
		expect(text).toContain(`Linux ${manifest.kernel} (${manifest.release}) on v86 ${manifest.v86}`);
	});

	it.each(['light', 'dark'] as const)('reads well on a phone and has no axe violations (%s)', async (theme) => {
		const page = await open({ width: 360, theme }, '/kernel-in-the-page/');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await axeViolations(page)).toEqual([]);
	});
});

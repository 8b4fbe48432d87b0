import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/lib/runbook/commands.ts';
import { bookChapters, DIST } from './book.ts';
import { pageWeight } from './budget.ts';
import { useBuiltSite } from './site-fixture.ts';
import { openPage, openTerminal, typeLine } from './try-it-page.ts';

// The figures docs/terminal.md reports, measured on the built site in headless Chromium.
const chapters = bookChapters();
const site = useBuiltSite();


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

describe('Try it: figures', () => {
	it('JavaScript the page loads before and when the terminal opens (gzip)', async () => {
		const path = chapters[0]!.path;
		const { page, context } = await openPage(site.browser, site.url + path);
		await page.waitForLoadState('networkidle');
		const before = new Set<string>();
		const after: string[] = [];
		page.on('request', (r) => void (r.resourceType() === 'script' && after.push(new URL(r.url()).pathname)));
		for (const r of await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))) if (/\.js$/.test(r)) before.add(new URL(r).pathname);
		await openTerminal(page);
		await typeLine(page, 'ip -br link');
		const loaded = after.filter((p) => !before.has(p));
		const sizes = loaded.map((p) => ({ file: p, raw: readFileSync(join(DIST, p)).length, gzip: gz(join(DIST, p)) }));
		const total = sizes.reduce((n, s) => n + s.gzip, 0);
		const loader = [...before].find((p) => /TryIt\.astro/.test(p));
		console.log(`[try-it] on open: ${sizes.map((s) => `${s.file} ${s.raw} B raw, ${s.gzip} B gzip`).join('; ')}; total ${total} B gzip`);
		if (loader) console.log(`[try-it] with the page: ${loader} ${readFileSync(join(DIST, loader)).length} B raw, ${gz(join(DIST, loader))} B gzip`);
		const weight = pageWeight(DIST, join(DIST, path, 'index.html'));
		console.log(`[try-it] the budget test's count for ${path} (its GATED list decides what is "before interaction"): ${weight.js.gzip} B gzip`);
		expect(loaded.some((p) => /panel/.test(p))).toBe(true);
		await context.close();
	});

	it('time from click to prompt, median of 5 fresh pages', async () => {
		for (const c of [chapters[0]!, chapters.find((x) => x.lab.name === 'router')!]) {
			const times: number[] = [];
			for (let i = 0; i < 5; i++) {
				const { page, context } = await openPage(site.browser, site.url + c.path);
				await page.waitForLoadState('networkidle');
				times.push(await openTerminal(page));
				await context.close();
			}
			console.log(`[try-it] click to prompt, ${c.chapter.id}: median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
			expect(median(times)).toBeLessThan(3000);
		}
	});

	it('time per command in the page (each chapter typed in, pings skipped)', async () => {
		const all: number[] = [];
		for (const c of chapters.filter((x) => x.snapshot)) {
			const { page, context } = await openPage(site.browser, site.url + c.path);
			await openTerminal(page);
			const times: number[] = [];
			for (const block of c.chapter.blocks.filter((b) => b.runnable))
				for (const command of block.commands) times.push((await typeLine(page, `@${block.host} ${oneLine(command.text)}`, { skip: true })).ms);
			all.push(...times);
			console.log(`[try-it] ${c.chapter.id}: ${times.length} commands, median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
			await context.close();
		}
		console.log(`[try-it] all chapters: ${all.length} commands, median ${median(all).toFixed(1)} ms, 90th percentile ${[...all].sort((a, b) => a - b)[Math.floor(all.length * 0.9)]!.toFixed(1)} ms`);
		expect(median(all)).toBeLessThan(100);
	});
});

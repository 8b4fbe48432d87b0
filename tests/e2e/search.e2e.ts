import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRIMARY_TARGET, targetLabel } from '../../src/lib/book/targets.ts';
import { BOOK, bookChapters } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';

// Search finds the chapter that teaches a thing, from what the chapters say, not from what a
// kernel printed in them: prompts, recorded outputs, badges and diagrams stay out of the index.
const site = useBuiltSite();
const chapters = bookChapters();
const real = BOOK.endsWith('/content');

/** What Pagefind indexed for each chapter (its `content`), read through its browser API. */
async function indexedContent(): Promise<Map<string, string>> {
	const context = await site.browser.newContext();
	const page = await context.newPage();
	await page.goto(site.url + '/');
	const pages = await page.evaluate(async (titles) => {
		// (A plain import() here would be rewritten by the test runner's transform.)
		type Pagefind = { init(): Promise<void>; search(q: string): Promise<{ results: { data(): Promise<{ url: string; content: string }> }[] }> };
		const pagefind = await (new Function('url', 'return import(url)') as (url: string) => Promise<Pagefind>)('/pagefind/pagefind.js');
		await pagefind.init();
		const out: [string, string][] = [];
		for (const title of titles) {
			const { results } = await pagefind.search(title);
			for (const r of results.slice(0, 5)) {
				const data = await r.data();
				out.push([data.url, data.content]);
			}
		}
		return out;
	}, chapters.map((c) => c.chapter.title));
	await context.close();
	return new Map(pages);
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('search', () => {
	it.skipIf(!real)('ranks chapter 7, which teaches MASQUERADE, first for “masquerade” (as the reader searches)', async () => {
		const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await page.goto(site.url + '/');
		await page.locator('button[data-open-modal]').first().click();
		await page.locator('.pagefind-ui__search-input').fill('masquerade');
		await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 15_000 });
		const hrefs = await page.$$eval('.pagefind-ui__result-link', (as) =>
			[...new Set(as.map((a) => new URL(a.getAttribute('href') ?? '', location.href).pathname))],
		);
		console.log(`[search] masquerade: ${hrefs.slice(0, 4).join(', ')}`);
		expect(hrefs[0]).toBe('/07-reaching-the-internet/');
		await context.close();
	});

	it('indexes no prompt, badge or recorded output', async () => {
		const content = await indexedContent();
		let compared = 0;
		for (const c of chapters) {
			const text = content.get(c.path);
			expect(text, `${c.path} is in the index`).toBeDefined();
			const indexed = squash(text!);
			expect(indexed).not.toMatch(/root@[a-z0-9-]+:~#/);
			expect(indexed).not.toContain(squash(`verified on ${targetLabel(PRIMARY_TARGET)}`));
			expect(indexed).not.toContain('printed something different');
			// Every recorded output line the chapter's prose does not quote, other targets' too.
			const source = squash(readFileSync(join(BOOK, 'chapters', c.chapter.file.split('/').pop()!), 'utf8'));
			for (const block of [c.snapshot, ...c.others.map((o) => o.snapshot)].flatMap((s) => s?.blocks ?? []))
				for (const step of block.steps)
					for (const line of `${step.stdout}\n${step.stderr}`.split('\n').map(squash))
						if (line.length >= 30 && !source.includes(line)) {
							compared++;
							expect(indexed.includes(line), `${c.path} indexes the output line “${line}”`).toBe(false);
						}
		}
		console.log(`[search] ${compared} recorded output lines checked absent from the index`);
		expect(compared).toBeGreaterThan(50);
	});
});

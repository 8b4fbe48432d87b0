import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';

/** Bytes of one kind of resource: as sent, and gzipped at level 9 the way a server would. */
export interface Bytes {
	raw: number;
	gzip: number;
}

/** What a page made the browser download, by kind. */
export interface PageWeight {
	url: string;
	html: Bytes;
	css: Bytes;
	js: Bytes;
	other: Bytes;
	requests: number;
}

type Kind = 'html' | 'css' | 'js' | 'other';

function kindOf(url: string, contentType: string): Kind {
	if (contentType.includes('text/html')) return 'html';
	if (contentType.includes('css') || url.endsWith('.css')) return 'css';
	if (contentType.includes('javascript') || /\.m?js(\?|$)/.test(url)) return 'js';
	return 'other';
}

/**
 * Opens `url` in a fresh context, waits for the network to go idle, optionally runs an
 * interaction, and sums every response body by kind. Counting real responses (instead of
 * parsing HTML) includes lazily imported chunks and what the interaction pulls in.
 */
export async function measurePage(
	browser: Browser,
	url: string,
	interact?: (page: Page) => Promise<void>,
): Promise<{ before: PageWeight; after?: PageWeight }> {
	const context = await browser.newContext();
	const page = await context.newPage();
	const totals: PageWeight = empty(url);
	const pending: Promise<void>[] = [];
	page.on('response', (response) => {
		pending.push(
			(async () => {
				const body = await response.body().catch(() => undefined);
				if (!body || response.status() >= 300) return;
				const kind = kindOf(response.url(), response.headers()['content-type'] ?? '');
				totals[kind].raw += body.length;
				totals[kind].gzip += gzipSync(body, { level: 9 }).length;
				totals.requests += 1;
			})(),
		);
	});
	await page.goto(url, { waitUntil: 'networkidle' });
	await Promise.all(pending);
	const before = structuredClone(totals);
	let after: PageWeight | undefined;
	if (interact) {
		await interact(page);
		await page.waitForLoadState('networkidle');
		await Promise.all(pending);
		after = structuredClone(totals);
	}
	await context.close();
	return after ? { before, after } : { before };
}

function empty(url: string): PageWeight {
	const zero = (): Bytes => ({ raw: 0, gzip: 0 });
	return { url, html: zero(), css: zero(), js: zero(), other: zero(), requests: 0 };
}

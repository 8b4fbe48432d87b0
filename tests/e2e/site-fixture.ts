import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../src/lib/bench/browser.ts';
import { DIST } from './book.ts';
import { serveStatic, type StaticServer } from './server.ts';

/** The built site served on localhost and a headless Chromium, shared by one test file. */
export interface BuiltSite {
	/** Base URL of the served dist/, ending without a slash. */
	readonly url: string;
	readonly browser: Browser;
	/** The server itself, to slow a page down (`trickle`). */
	readonly server: StaticServer;
}

/**
 * Serves dist/ and launches Chromium before the file's tests, closes both after them. Call it at
 * the top of a test file; its fields are ready inside tests and later `beforeAll` hooks.
 */
export function useBuiltSite(): BuiltSite {
	const site = {} as { url: string; browser: Browser; server: StaticServer };
	let stop: (() => Promise<void>) | undefined;
	beforeAll(async () => {
		const server = await serveStatic(DIST);
		const browser = await launchChromium();
		Object.assign(site, { url: server.url, browser, server });
		stop = async () => {
			await browser.close();
			await server.close();
		};
	});
	afterAll(async () => {
		await stop?.();
	});
	return site;
}

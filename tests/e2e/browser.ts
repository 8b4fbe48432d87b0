import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; override with CHROMIUM=/path/to/chrome. */
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

/**
 * A headless Chromium. Playwright gives every `launch()` a fresh temporary profile (its own
 * user-data-dir, removed on close), and `browser.newContext()` isolated storage on top.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
	return { browser, close: () => browser.close() };
}

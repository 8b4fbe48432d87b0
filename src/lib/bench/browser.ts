import { chromium, type Browser } from 'playwright-core';

/** Flags that keep Debian's Chromium quiet and offline-safe on a closed network. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

/** Path of Debian's Chromium; override with CHROMIUM_PATH. Used by the benchmark and the browser tests. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Launches headless Debian Chromium through playwright-core. Playwright gives every launch a fresh
 * temporary profile (its own user-data-dir, removed on close).
 */
export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

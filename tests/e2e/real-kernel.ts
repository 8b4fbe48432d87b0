/**
 * Helpers for the browser tests of the real-kernel tier of the Try-it panel: what the build put in
 * dist/v86/, and opting in as a reader does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { V86Manifest } from '../../src/lib/shared/v86-manifest.ts';
import { DIST } from './book.ts';
import { typeLine, type Typed } from './try-it-page.ts';

/** The manifest of the build under test, or undefined when it was built without the kernel. */
export function builtManifest(): V86Manifest | undefined {
	const file = join(DIST, 'v86/manifest.json');
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as V86Manifest) : undefined;
}

/** The manifest, or a failure that says how to build what the test needs. */
export function requireManifest(): V86Manifest {
	const manifest = builtManifest();
	if (!manifest)
		throw new Error(
			`${DIST} has no real kernel (no v86/manifest.json): build its saved state and the site first, \`npm run -s v86\` then \`npm run build\` (or point NETBOOK_DIST at a build that has it)`,
		);
	return manifest;
}

/** True for a request of the real-kernel tier: v86's files, the engine's chunk, the check's chunk and recordings. */
export function isTierRequest(url: string): boolean {
	const path = new URL(url).pathname;
	return /^\/v86\//.test(path) || /\/_astro\/(v86-engine|chapter-check-view)[.-]/.test(path) || /^\/recordings\//.test(path);
}

/** Opens the engine switch's details and presses "Start the real kernel". */
export async function optIn(page: Page): Promise<void> {
	await page.locator('.nb-tk-toggle').click();
	await page.locator('.nb-tk-start').click();
}

/**
 * Opts in and waits until the terminal runs on the real kernel and its prompt is back (the lab
 * built). Returns the milliseconds from the click to then, measured in the test.
 */
export async function startRealKernel(page: Page, timeout = 600_000): Promise<number> {
	const started = Date.now();
	await optIn(page);
	await page.waitForFunction(
		() => {
			const state = document.querySelector('.nb-tk')?.getAttribute('data-state');
			if (state === 'off' && !document.querySelector<HTMLElement>('.nb-tk-why')?.hidden) throw new Error(document.querySelector('.nb-tk-why')!.textContent!);
			return state === 'on' && document.querySelector('.nb-tl')?.getAttribute('data-busy') === 'false';
		},
		null,
		{ timeout, polling: 250 },
	);
	return Date.now() - started;
}

/** The terminal's last lines, for a failure message. */
export async function terminalTail(page: Page, lines = 30): Promise<string> {
	const text = await page.locator('.nb-tl-log').innerText();
	return text.split('\n').slice(-lines).join('\n');
}

/**
 * {@link typeLine} with a deadline: a command the kernel never finishes fails the test with what
 * the terminal showed, instead of hanging it.
 */
export async function typeWithin(page: Page, line: string, ms = 120_000): Promise<Typed> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => void terminalTail(page).then((tail) => reject(new Error(`"${line}" did not finish within ${ms / 1000} s; the terminal:\n${tail}`))), ms);
	});
	try {
		return await Promise.race([typeLine(page, line), late]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Layout shifts as a reader on a slow connection would see them: the page's HTML arrives piece by
 * piece and the browser paints after every piece, so an element placed by content that comes later
 * in the HTML is caught moving, every time rather than when a busy machine happens to paint early.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { BuiltSite } from './site-fixture.ts';
import { newPage, type PageOptions } from './try-it-page.ts';

/** One layout-shift entry: its score, when (ms after navigation) and what moved, from where to where. */
export interface LayoutShift {
	value: number;
	at: number;
	sources: string[];
}

/** How the page arrived: pieces sent after the head, and how many of them the page painted. */
export interface Pieces {
	sent: number;
	painted: number;
}

type ShiftWindow = Window & { nbShifts: LayoutShift[] };

/** Runs in the page before its first byte is parsed: records every layout shift from the start. */
function observeShifts(): void {
	const shifts: LayoutShift[] = ((window as unknown as ShiftWindow).nbShifts = []);
	// A null node is a pseudo-element or a node removed since, e.g. Starlight's `.sidebar-content::after`.
	const name = (node: Node | null): string => {
		if (!node) return '(pseudo-element or removed node)';
		if (!(node instanceof Element)) return `${node.nodeName} in ${name(node.parentElement)}`;
		const classes = typeof node.className === 'string' ? node.className.trim().split(/\s+/).filter(Boolean) : [];
		return node.localName + (node.id ? `#${node.id}` : '') + classes.map((c) => `.${c}`).join('');
	};
	const rect = (r: DOMRectReadOnly) => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}×${Math.round(r.height)}`;
	type Entry = PerformanceEntry & { value: number; sources: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] };
	new PerformanceObserver((list) => {
		for (const e of list.getEntries() as Entry[])
			shifts.push({
				value: e.value,
				at: Math.round(e.startTime),
				sources: e.sources.map((s) => `${name(s.node)} ${rect(s.previousRect)} → ${rect(s.currentRect)}`),
			});
	}).observe({ type: 'layout-shift', buffered: true });
}

/** Resolves with the page's path once it has rendered two more frames ('' if it did not in time). */
function twoFrames(page: Page, ms: number): Promise<string> {
	const frames = page.evaluate(() => new Promise<string>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(location.pathname)))));
	const late = new Promise<string>((resolve) => setTimeout(() => resolve(''), ms));
	return Promise.race([frames.catch(() => ''), late]);
}

/**
 * Opens `path` (e.g. `/01-x/`) in a fresh context with its HTML trickled in `bytes`-sized pieces,
 * each sent once the page has painted what came before (see `StaticServer.trickle`). Layout shifts
 * are recorded from the document's creation on; read them with `layoutShifts`.
 */
export async function openPageFrameByFrame(
	site: BuiltSite,
	path: string,
	options: PageOptions & { bytes?: number } = {},
): Promise<{ page: Page; context: BrowserContext; pieces: Pieces }> {
	const { page, context } = await newPage(site.browser, options);
	await context.addInitScript(observeShifts);
	const pieces: Pieces = { sent: 0, painted: 0 };
	site.server.trickle(
		path,
		async () => {
			if (page.isClosed()) throw new Error(`page closed while ${path} was arriving`);
			pieces.sent++;
			// Before the navigation commits, the page still shows about:blank: ask again.
			for (const deadline = Date.now() + 6000; Date.now() < deadline; )
				if ((await twoFrames(page, 2000)) === path) return void pieces.painted++;
		},
		options.bytes,
	);
	await page.goto(site.url + path);
	return { page, context, pieces };
}

/** The layout shifts recorded so far on a page opened by `openPageFrameByFrame`. */
export function layoutShifts(page: Page): Promise<LayoutShift[]> {
	return page.evaluate(() => (window as unknown as ShiftWindow).nbShifts);
}

/** All the shifts' scores summed: stricter than CLS, which counts the worst burst (session window). */
export const shiftScore = (shifts: LayoutShift[]): number => shifts.reduce((sum, s) => sum + s.value, 0);

/** The shifts, one line each: score, time and what moved (for an assertion's message). */
export function describeShifts(shifts: LayoutShift[]): string {
	return shifts.map((s) => `${s.value.toFixed(4)} at ${s.at} ms: ${s.sources.join('; ')}`).join('\n') || '(none)';
}

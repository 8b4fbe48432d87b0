// Chapter 15 in the page's terminal: the book's own CNI plugin (examples/cni-plugin) runs in the
// browser, its real code against the simulated pi, and must print what it printed on the kernel.
// Its code loads only when a line names it; chapters that never call it never load it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePlugin } from '../../examples/cni-plugin/build.ts';
import { downloadHref, TSBRIDGE } from '../../src/lib/book/book-programs.ts';
import { oneLine } from '../../src/lib/runbook/commands.ts';
import { foldNeighbourTiming } from '../../src/lib/snapshot/blocks.ts';
import { createNormaliseContext, normaliseOutput } from '../../src/lib/snapshot/normalise.ts';
import { bookChapters } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';
import { openPage, openTerminal, typeLine } from './try-it-page.ts';

const chapters = bookChapters();
const cni = chapters.find((c) => c.chapter.blocks.some((b) => b.runnable && b.commands.some((cmd) => cmd.text.includes(TSBRIDGE.path))))!;
const site = useBuiltSite();

/** Scripts the page fetched, by path, from the moment this is called. */
function scriptsOf(page: Page): string[] {
	const seen: string[] = [];
	page.on('request', (r) => void (r.resourceType() === 'script' && seen.push(new URL(r.url()).pathname)));
	return seen;
}

describe(`Try it on ${cni.chapter.id}: the book's CNI plugin in the page`, () => {
	let page: Page;
	let scripts: string[] = [];
	beforeAll(async () => {
		({ page } = await openPage(site.browser, site.url + cni.path));
		scripts = scriptsOf(page);
		await openTerminal(page);
	});
	afterAll(() => page?.context().close());

	it('has the plugin\'s file, and loads its code only for a line that runs it', async () => {
		expect(await typeLine(page, `ls ${TSBRIDGE.path.replace(/\/[^/]+$/, '')}`)).toMatchObject({ stdout: 'tsbridge\n', exit: 0 });
		const before = [...scripts];
		expect(before.some((s) => /plugin/.test(s)), before.join('\n')).toBe(false);
		const version = await typeLine(page, `echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION ${TSBRIDGE.path}`);
		expect(version).toMatchObject({ stdout: '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}\n', stderr: '', exit: 0 });
		expect(scripts.filter((s) => !before.includes(s)).some((s) => /plugin/.test(s)), scripts.join('\n')).toBe(true);
	});

	it('prints what the kernel printed for every command of the chapter (normalised)', async () => {
		// The lab as the chapter starts it: the two lines above changed nothing in it.
		const kernel = createNormaliseContext();
		const browserSide = createNormaliseContext();
		const diffs: string[] = [];
		let compared = 0;
		for (const block of cni.chapter.blocks.filter((b) => b.runnable)) {
			expect(block.host).toBe('pi');
			const recorded = cni.snapshot!.blocks.find((b) => b.key === block.key)!;
			for (const [i, command] of block.commands.entries()) {
				const shown = await typeLine(page, oneLine(command.text));
				const step = recorded.steps[i]!;
				const want = `${foldNeighbourTiming(normaliseOutput(step.stdout, kernel))}|${step.stderr}|${step.exit}`;
				const got = `${foldNeighbourTiming(normaliseOutput(shown.stdout, browserSide))}|${shown.stderr}|${shown.exit}`;
				if (want !== got) diffs.push(`${command.text}\n--- kernel\n${want}\n--- terminal\n${got}`);
				compared++;
			}
		}
		expect(diffs).toEqual([]);
		expect(compared).toBeGreaterThan(40);
	});

	it('ticked every progress check of the chapter, its break-it exercise included', async () => {
		const n = cni.chapter.checks.length;
		expect(n).toBeGreaterThanOrEqual(4);
		expect(await page.locator('.nb-tc li[data-pass="true"]').count()).toBe(n);
	});
});

describe('the plugin for a reader\'s own machine', () => {
	it('is served at the address the chapter and its script name, byte for byte the lab\'s bundle', async () => {
		const served = await fetch(site.url + downloadHref(TSBRIDGE));
		expect(served.status).toBe(200);
		expect(await served.text()).toBe(await bundlePlugin());
	});
});

describe('the plugin\'s code on other chapters', () => {
	it('is never loaded, even when a reader types its path', async () => {
		const other = chapters.find((c) => c.chapter.id.startsWith('09-'))!;
		const { page, context } = await openPage(site.browser, site.url + other.path);
		const scripts = scriptsOf(page);
		await openTerminal(page);
		const ran = await typeLine(page, `CNI_COMMAND=VERSION ${TSBRIDGE.path}`);
		expect(ran.exit).toBe(127);
		expect(ran.stderr).toBe(`bash: ${TSBRIDGE.path}: No such file or directory\n`);
		expect(scripts.filter((s) => /plugin|simprograms|\/program\./.test(s))).toEqual([]);
		await context.close();
	});
});

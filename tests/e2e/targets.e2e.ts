import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PRIMARY_TARGET, targetLabel } from '../../src/lib/book/targets.ts';
import { matchedTargets, targetsText, verifiedOnText } from '../../src/lib/snapshot/badge.ts';
import { compareTargets } from '../../src/lib/snapshot/compare-targets.ts';
import type { Step } from '../../src/lib/snapshot/schema.ts';
import { BOOK, bookChapters } from './book.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { newPage } from './try-it-page.ts';

// What a reader sees of the other targets on a chapter recorded on several: the badge that names
// the targets that printed the same, the note where one printed something different, and the
// switch to its output (by keyboard; without JavaScript, an expander). The real book must have a
// chapter recorded on another target; the fixture book (NETBOOK_BOOK) has none, so there they skip.
const real = BOOK.endsWith('/content');
const site = useBuiltSite();
const c = bookChapters().find((x) => x.snapshot && x.others.length > 0)!;
const compared = c ? compareTargets(c.snapshot!, c.others) : [];
const blocks = (c?.chapter.blocks ?? [])
	.filter((b) => b.runnable)
	.map((block) => {
		const i = c!.snapshot!.blocks.findIndex((b) => b.key === block.key);
		return { block, recorded: c!.snapshot!.blocks[i]!, others: compared[i] ?? [] };
	});
const same = blocks.find((b) => b.others.length > 0 && b.others.every((o) => o.differing.length === 0));
const different = blocks.find((b) => b.others.some((o) => o.differing.length > 0));
const differ = different?.others.filter((o) => o.differing.length > 0) ?? [];

const figure = (page: Page, line: number) => page.locator(`figure.nb-terminal[data-nb-line="${line}"]`);
const toCentre = (l: Locator) => l.evaluate((e) => e.scrollIntoView({ block: 'center' }));
/** Problems with how the reader sees `l` (in the window, on top, clear of the Try-it dock); '' when none. */
const problem = async (page: Page, l: Locator) => (await seen(page, (await l.elementHandle())!)).problem;
/** Non-blank lines of what a step printed. */
const linesOf = (step: Step) => `${step.stdout}${step.stderr}`.split('\n').filter((l) => l.trim() !== '');

describe.skipIf(!real).each([1280, 390])('other targets at %i px', (width) => {
	it('has a chapter recorded on other targets, with a block they printed alike and one they did not', () => {
		expect(c, 'no chapter has snapshots of a target other than the primary').toBeDefined();
		expect(same).toBeDefined();
		expect(different).toBeDefined();
	});

	it('names in the badge every target that printed the same, the primary first', async () => {
		const { page, context } = await newPage(site.browser, { width });
		await page.goto(site.url + c.path);
		const badge = figure(page, same!.block.line).locator('.nb-badge-text');
		await toCentre(badge);
		const expected = verifiedOnText(matchedTargets(PRIMARY_TARGET, c.snapshot!.recorded, same!.others));
		expect(await badge.innerText()).toBe(expected);
		for (const label of [PRIMARY_TARGET, ...same!.others.map((o) => o.target)].map(targetLabel)) expect(expected).toContain(label);
		expect(await problem(page, badge)).toBe('');
		await context.close();
	});

	it('says where a target printed something different, and switches to its output and back by keyboard', async () => {
		const { page, context } = await newPage(site.browser, { width });
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
		await page.goto(site.url + c.path);
		const fig = figure(page, different!.block.line);
		await fig.locator('.nb-alts[data-nb-switch]').waitFor();
		const badge = await fig.locator('.nb-badge-text').innerText();
		for (const o of differ) expect(badge).not.toContain(targetLabel(o.target));

		const note = fig.locator('.nb-alts-note');
		await toCentre(fig.locator('.nb-alts'));
		expect(await problem(page, note)).toBe('');
		expect(await note.innerText()).toBe(`≠ ${targetsText(differ.map((o) => ({ label: targetLabel(o.target), recorded: o.recorded })))} printed something different.`);

		const buttons = fig.locator('.nb-switch button');
		expect(await buttons.allInnerTexts()).toEqual([PRIMARY_TARGET, ...differ.map((o) => o.target)].map(targetLabel));
		const pressed = () => buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-pressed')));
		expect(await pressed()).toEqual(['true', ...differ.map(() => 'false')]);
		for (let i = 0; i < differ.length + 1; i++) expect(await problem(page, buttons.nth(i))).toBe('');
		const pres = fig.locator('pre');
		const mine = pres.first();
		expect(await mine.isVisible()).toBe(true);

		// Tab from the first button to the second: focus shows, Enter switches.
		await buttons.first().focus();
		await page.keyboard.press('Tab');
		expect(await buttons.nth(1).evaluate((b) => b === document.activeElement)).toBe(true);
		const outline = await buttons.nth(1).evaluate((b) => getComputedStyle(b));
		expect(outline.outlineStyle).not.toBe('none');
		expect(parseFloat(outline.outlineWidth)).toBeGreaterThanOrEqual(2);
		await page.keyboard.press('Enter');
		expect(await pressed()).toEqual(['false', 'true', ...differ.slice(1).map(() => 'false')]);
		expect(await mine.isVisible()).toBe(false);
		const theirs = pres.filter({ visible: true });
		expect(await theirs.count()).toBe(1);
		expect(await theirs.getAttribute('aria-label')).toContain(`output on ${targetLabel(differ[0]!.target)}`);
		const shown = await theirs.innerText();
		for (const k of differ[0]!.differing) for (const line of linesOf(differ[0]!.block.steps[k]!)) expect(shown).toContain(line.trim());
		await toCentre(theirs);
		expect(await problem(page, theirs)).toBe('');

		// The copy button still copies only the commands.
		const commands = different!.block.commands.map((x) => x.text).join('\n');
		await fig.hover();
		await fig.locator('.copy button').click();
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(commands);

		// Back with Shift+Tab and Space.
		await buttons.nth(1).focus();
		await page.keyboard.press('Shift+Tab');
		await page.keyboard.press('Space');
		expect(await pressed()).toEqual(['true', ...differ.map(() => 'false')]);
		expect(await mine.isVisible()).toBe(true);
		expect(await pres.filter({ visible: true }).count()).toBe(1);
		const back = await mine.innerText();
		for (const step of different!.recorded.steps) for (const line of linesOf(step)) expect(back).toContain(line.trim());
		await fig.hover();
		await fig.locator('.copy button').click();
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(commands);

		expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
		await context.close();
	});

	it('without JavaScript, keeps each other output one expander away', async () => {
		const context = await site.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(site.url + c.path);
		const fig = figure(page, different!.block.line);
		const summary = fig.locator('details.nb-alt > summary').first();
		await toCentre(summary);
		expect(await fig.locator('.nb-alts-note').isVisible()).toBe(true);
		expect(await summary.innerText()).toBe(`Output on ${targetLabel(differ[0]!.target)}`);
		const alt = fig.locator('details.nb-alt pre').first();
		expect(await alt.isVisible()).toBe(false);
		await summary.focus();
		await page.keyboard.press('Enter');
		expect(await alt.isVisible()).toBe(true);
		const shown = await alt.innerText();
		for (const k of differ[0]!.differing) for (const line of linesOf(differ[0]!.block.steps[k]!)) expect(shown).toContain(line.trim());
		await context.close();
	});
});

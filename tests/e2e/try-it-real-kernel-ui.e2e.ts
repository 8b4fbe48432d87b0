/**
 * The real-kernel tier's UI, over a stand-in kernel (real-kernel-harness.ts: the simulator dressed
 * as the v86 engine), so that it runs in seconds with or without a built state: the progress bar,
 * cancelling, the chapter check as a reader follows it, a kernel that stops answering, the way back,
 * keyboard, phones and dark mode. try-it-real-kernel-run.e2e.ts does the same on the real kernel.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/lib/runbook/commands.ts';
import { checkRecording, summaryText } from '../../src/lib/snapshot/run-check.ts';
import { bookChapters } from './book.ts';
import { FAKE_MANIFEST, useFakeKernelPanel } from './real-kernel-harness.ts';
import { optIn } from './real-kernel.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { axeViolations, contextPerTest, newPage, openTerminal, typeLine, type PageOptions } from './try-it-page.ts';

const one = bookChapters().find((c) => c.chapter.id.startsWith('01-'))!;
const runnable = one.chapter.blocks.filter((b) => b.runnable);
const site = useBuiltSite();
const track = contextPerTest();

/**
 * Chapter 1 with its terminal open over the stand-in. The check compares with the primary
 * target's recording served as if v86 had made it (the stand-in is the simulator, which imitates
 * the primary), so some blocks match and some differ, always the same ones.
 */
async function open(options: PageOptions = {}): Promise<Page> {
	const { page, context } = await newPage(site.browser, options);
	track(context);
	await useFakeKernelPanel(page);
	await page.route(`**/recordings/v86/${one.chapter.id}.json`, (route) =>
		route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(checkRecording('v86', one.chapter.blocks, one.snapshot)) }),
	);
	await page.goto(site.url + one.path);
	await openTerminal(page);
	return page;
}

/** Opts in and waits for the terminal to be on the stand-in kernel. */
async function onKernel(page: Page): Promise<void> {
	await optIn(page);
	await page.waitForSelector('.nb-tk[data-state="on"]');
	await page.waitForSelector('.nb-tl[data-busy="false"]');
}

const problemOf = async (page: Page, selector: string) => (await seen(page, (await page.$(selector))!)).problem;
const focused = (page: Page) => page.evaluate(() => document.activeElement?.className ?? '');

/** Runs the check from the keyboard and waits for its end; returns the aria-current blocks' view problems seen meanwhile. */
async function runCheck(page: Page): Promise<string[]> {
	await page.locator('.nb-tk-check').focus();
	await page.keyboard.press('Enter');
	const problems: string[] = [];
	while ((await page.locator('.nb-tk-check').textContent()) === 'Stop the check') {
		const current = await page.$('.nb-tx-list li[aria-current="step"]');
		if (current) problems.push((await seen(page, current)).problem);
		await page.waitForTimeout(50);
	}
	return problems;
}

describe('starting the real kernel', () => {
	it('shows a progress bar with its value and words while it downloads, restores and builds the lab', async () => {
		const page = await open();
		await page.evaluate(() => {
			const values: string[] = [];
			(window as unknown as { __values: string[] }).__values = values;
			new MutationObserver(() => {
				const bar = document.querySelector('.nb-tk-bar')!;
				values.push(`${bar.getAttribute('aria-valuenow')} ${document.querySelector('.nb-tk-status')!.textContent}`);
			}).observe(document.querySelector('.nb-tk')!, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
		});
		await optIn(page);
		const bar = page.locator('[role="progressbar"]');
		await page.waitForFunction(() => document.querySelector('.nb-tk-bar')?.getAttribute('aria-valuenow') === '40');
		expect(await bar.getAttribute('aria-valuemin')).toBe('0');
		expect(await bar.getAttribute('aria-valuemax')).toBe('100');
		expect(await bar.getAttribute('aria-valuetext')).toBe('40%: Downloading the saved machine: 20 MB of 40 MB');
		expect(await problemOf(page, '.nb-tk-bar')).toBe('');
		expect(await problemOf(page, '.nb-tk-status')).toBe('');
		// The focus waits on Cancel, the one control left while it loads.
		expect(await focused(page)).toBe('nb-tk-cancel');
		await page.waitForSelector('.nb-tk[data-state="on"]');
		const values = (await page.evaluate(() => (window as unknown as { __values: string[] }).__values)).filter((v, i, all) => v !== all[i - 1]);
		expect(values).toEqual([
			'0 Downloading the saved machine: 0 MB of 40 MB (0%)',
			'20 Downloading the saved machine: 10 MB of 40 MB (20%)',
			'40 Downloading the saved machine: 20 MB of 40 MB (40%)',
			'60 Downloading the saved machine: 30 MB of 40 MB (60%)',
			'80 Downloading the saved machine: 40 MB of 40 MB (80%)',
			'80 Restoring the machine from its saved state… (80%)',
			'90 Building the chapter’s lab in the kernel with sandbox.sh… (90%)',
			'100 Building the chapter’s lab in the kernel with sandbox.sh… (100%)',
		]);
		expect(await page.locator('.nb-tk-load').isHidden()).toBe(true);
		expect(await page.locator('.nb-tk-now').textContent()).toBe(`Engine: real Linux kernel (${FAKE_MANIFEST.kernel}, v86)`);
		expect(await focused(page)).toBe('nb-tl-input');
		expect(await page.locator('.nb-tl-note').last().textContent()).toBe(
			`Now on a real Linux kernel: ${FAKE_MANIFEST.kernel} (${FAKE_MANIFEST.release}) in v86, running in this page, with the two-hosts lab built afresh by sandbox.sh.`,
		);
	});

	it('stops when the reader cancels, and stays on the simulator without a word of failure', async () => {
		const page = await open();
		await optIn(page);
		await page.waitForSelector('.nb-tk[data-state="loading"]');
		await page.keyboard.press('Enter'); // the focus is on Cancel
		expect(await page.locator('.nb-tk').getAttribute('data-state')).toBe('off');
		expect(await page.locator('.nb-tk-why').isHidden()).toBe(true);
		expect(await focused(page)).toBe('nb-tk-toggle');
		expect(await page.locator('.nb-tl-note').last().textContent()).toBe('Cancelled: the real kernel was not started.');
		await page.waitForTimeout(2500);
		expect(await page.locator('.nb-tk').getAttribute('data-state')).toBe('off');
		expect(await typeLine(page, 'hostname')).toMatchObject({ stdout: 'alice\n', exit: 0 });
	});
});

describe('checking the chapter on the real kernel', () => {
	it('runs every runnable block in the terminal, marks each as it ends, keeps the current one in view and sums up', async () => {
		const page = await open();
		await onKernel(page);
		const views = await runCheck(page);
		expect(views.length).toBeGreaterThan(0);
		expect(views.filter((p) => p !== '')).toEqual([]);
		const marks = await page.locator('.nb-tx-list li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset['mark']));
		expect(marks).toHaveLength(runnable.length);
		expect(marks.every((m) => m === 'match' || m === 'differ')).toBe(true);
		const match = marks.filter((m) => m === 'match').length;
		expect(match).toBeGreaterThan(runnable.length / 2);
		const timing = await page.locator('.nb-tx-list li[data-mark="differ"] summary', { hasText: 'A neighbour state that time decides' }).count();
		const summary = summaryText({ match, differ: runnable.length - match, timing, unrecorded: 0 }, 'v86');
		expect(await page.locator('.nb-tx-status').textContent()).toBe(summary);
		expect(await page.locator('.nb-tl-note').last().textContent()).toBe(`Check done: ${summary}`);
		// Each block's commands ran in the terminal, on its host, as if typed.
		// (A command with no output carries its exit badge on its own line: left out here.)
		const echoes = await page.locator('.nb-tl-echo').evaluateAll((els) =>
			els.map((e) => [...e.childNodes].filter((n) => !(n instanceof Element && n.matches('.nb-tl-exit'))).map((n) => n.textContent).join('')),
		);
		const commands = runnable.flatMap((b) => b.commands.map((c) => `root@${b.host}:~# ${oneLine(c.text)}`));
		expect(echoes.slice(-commands.length)).toEqual(commands);
		// A block that differs shows what differs, recorded against this page, normalised.
		const differ = page.locator('.nb-tx-list li[data-mark="differ"]').first();
		if (match < runnable.length) {
			await differ.locator('summary').click();
			const diff = (await differ.locator('pre').textContent())!.split('\n');
			expect(diff.some((l) => l.startsWith('- ')) || diff.some((l) => l.startsWith('+ '))).toBe(true);
			expect(diff.some((l) => l.startsWith('  $ ') || l.startsWith('- $ ') || l.startsWith('+ $ '))).toBe(true);
		}
		// Nothing of it counts as the reader's progress.
		expect(await page.locator('.nb-tc li[data-pass="true"]').count()).toBe(0);
	});

	it('stops after the running command when asked, and says how far it got', async () => {
		const page = await open();
		await onKernel(page);
		await page.locator('.nb-tk-check').click();
		await page.waitForSelector('.nb-tx-list li[data-mark="match"], .nb-tx-list li[data-mark="differ"]');
		await page.locator('.nb-tk-check', { hasText: 'Stop the check' }).click();
		await page.waitForSelector('.nb-tk-check:text("Check this chapter on the real kernel")');
		expect(await page.locator('.nb-tx-status').textContent()).toMatch(/^Stopped\. So far: \d+ of \d+ blocks? match/);
		expect(await page.locator('.nb-tx-list li[data-mark="pending"]').count()).toBeGreaterThan(0);
		expect(await page.locator('.nb-tx-list li[aria-current]').count()).toBe(0);
	});
});

describe('leaving the real kernel', () => {
	it('goes back to the simulator on request, closing the machine', async () => {
		const page = await open();
		await onKernel(page);
		await page.locator('.nb-tk-back').focus();
		await page.keyboard.press('Enter');
		await page.waitForSelector('.nb-tk[data-state="off"]');
		await page.waitForSelector('.nb-tl[data-busy="false"]');
		expect(await page.evaluate(() => (window as unknown as { __fakeKernel: { closed: number } }).__fakeKernel.closed)).toBe(1);
		expect(await page.locator('.nb-tl-note').last().textContent()).toBe('Back on the simulator, with the lab as the chapter starts it.');
		expect(await focused(page)).toBe('nb-tk-toggle');
		expect(await page.locator('.nb-tk-why').isHidden()).toBe(true);
	});

	it('falls back to the simulator with one line of why when the machine stops answering', async () => {
		const page = await open();
		await onKernel(page);
		await page.locator('.nb-tl-input').fill('crash-the-machine');
		await page.locator('.nb-tl-input').press('Enter');
		await page.waitForSelector('.nb-tk[data-state="off"]');
		await page.waitForSelector('.nb-tl[data-busy="false"]');
		expect(await page.locator('.nb-tk-why').textContent()).toBe('The real Linux kernel stopped answering: the guest did not answer within 60 s. You are back on the simulator.');
		expect(await problemOf(page, '.nb-tk-why')).toBe('');
		expect(await page.evaluate(() => (window as unknown as { __fakeKernel: { closed: number } }).__fakeKernel.closed)).toBe(1);
		expect(await typeLine(page, 'hostname')).toMatchObject({ stdout: 'alice\n', exit: 0 });
		expect(await page.locator('.nb-tk-now').textContent()).toBe('Engine: simulator');
	});
});

describe('a machine that hangs', () => {
	it('is given up when a command does not stop within 30 s of Ctrl-C, and the reader is back on the simulator', async () => {
		const page = await open();
		await onKernel(page);
		await page.locator('.nb-tl-input').fill('hang-the-machine');
		await page.locator('.nb-tl-input').press('Enter');
		await page.waitForSelector('.nb-tl[data-busy="true"]');
		await page.locator('.nb-tl-input').press('Control+c');
		await page.waitForSelector('.nb-tk[data-state="off"]', { timeout: 45_000 });
		await page.waitForSelector('.nb-tl[data-busy="false"]');
		expect(await page.locator('.nb-tk-why').textContent()).toBe(
			'The real Linux kernel stopped answering: the command did not stop after Ctrl-C within 30 s. You are back on the simulator.',
		);
		expect(await typeLine(page, 'hostname')).toMatchObject({ stdout: 'alice\n', exit: 0 });
	}, 60_000);
});

describe('on a phone, and in both themes', () => {
	it.each(['light', 'dark'] as const)('fits 360 px while it runs, its controls in view, with no axe violations after a check (%s)', async (theme) => {
		const page = await open({ width: 360, theme });
		await onKernel(page);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		for (const selector of ['.nb-tk-now', '.nb-tk-check', '.nb-tk-back']) expect(`${selector}: ${await problemOf(page, selector)}`).toBe(`${selector}: `);
		await runCheck(page);
		// On a phone the check's list is in the Progress pane.
		await page.locator('.nb-tp-panes button', { hasText: 'Progress' }).click();
		expect(await page.locator('.nb-tx').isVisible()).toBe(true);
		expect(await problemOf(page, '.nb-tx-status')).toBe('');
		const differ = page.locator('.nb-tx-list li[data-mark="differ"] summary').first();
		if (await differ.count()) await differ.click();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await axeViolations(page)).toEqual([]);
	});
});

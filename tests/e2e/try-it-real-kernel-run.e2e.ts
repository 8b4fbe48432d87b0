/**
 * The real Linux kernel in the page, running: chapter 4 checked on it block by block against what
 * the v86 target recorded (normalised as verify normalises), the live diagram drawn from its state,
 * Ctrl-C, and host switching on chapter 1's two hosts. Needs a build with the kernel's saved state
 * and the v86 recordings: without them these tests fail and say what to build or record.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAPTERS_DIR, ROOT } from '../../src/lib/book/paths.ts';
import { PAGE_KERNEL_TARGET } from '../../src/lib/book/targets.ts';
import { oneLine } from '../../src/lib/runbook/commands.ts';
import { createNormaliseContext, normaliseOutput } from '../../src/lib/snapshot/normalise.ts';
import { loadTargetSnapshot } from '../../src/lib/snapshot/recordings.ts';
import type { Snapshot } from '../../src/lib/snapshot/schema.ts';
import { bookChapters } from './book.ts';
import { requireManifest, startRealKernel, terminalTail, typeWithin } from './real-kernel.ts';
import { seen } from './reader-sees.ts';
import { useBuiltSite } from './site-fixture.ts';
import { openPage, openTerminal, outputAfter } from './try-it-page.ts';

const chapters = bookChapters();
const four = chapters.find((c) => c.chapter.id.startsWith('04-'))!;
const one = chapters.find((c) => c.chapter.id.startsWith('01-'))!;
const site = useBuiltSite();
/** Starting the kernel and building a lab in it takes long on a busy machine: minutes, not seconds. */
const START_MS = 600_000;

/** The v86 target's recording of a chapter, or a failure that says how to record it. */
function v86Recording(id: string): Snapshot {
	const file = join(ROOT, CHAPTERS_DIR, `${id}.mdx`);
	const snapshot = existsSync(file) ? loadTargetSnapshot(file, PAGE_KERNEL_TARGET) : undefined;
	if (!snapshot) throw new Error(`no recording of ${id} on the v86 target (content/snapshots/v86/${id}.json): record it with \`npm run verify -- --update --target v86 --chapter ${id.slice(0, 2)}\``);
	return snapshot;
}

/** Opens a chapter, its terminal, and switches it to the real kernel; logs how long that took. */
async function onRealKernel(path: string): Promise<Page> {
	const { page } = await openPage(site.browser, site.url + path);
	await openTerminal(page);
	const ms = await startRealKernel(page, START_MS);
	console.log(`[real kernel] ${path}: click to prompt on the real kernel ${(ms / 1000).toFixed(1)} s`);
	return page;
}

describe('chapter 4 on the real kernel in the page', () => {
	let page: Page;
	let recording: Snapshot;
	beforeAll(async () => {
		requireManifest();
		recording = v86Recording(four.chapter.id);
		page = await onRealKernel(four.path);
	}, START_MS + 60_000);
	afterAll(() => page?.context().close());

	it('says it runs the real kernel, and draws the live diagram from the kernel’s own state', async () => {
		const manifest = requireManifest();
		expect(await page.locator('.nb-tk-now').textContent()).toBe(`Engine: real Linux kernel (${manifest.kernel}, v86)`);
		expect(await page.locator('.nb-td figcaption').textContent()).toBe('The lab now, as the real Linux kernel has it: redrawn after each command.');
		expect(await page.locator('.nb-tl-prompt').textContent()).toBe('root@pi:~# ');
		expect(await page.locator('.nb-td [data-id="pi/probe"]').count()).toBe(0);
		const added = await typeWithin(page, 'ip netns add probe');
		expect(added).toMatchObject({ stdout: '', stderr: '', exit: 0 });
		expect(await page.locator('.nb-td [data-id="pi/probe"]').count()).toBeGreaterThan(0);
		expect(await page.locator('.nb-td svg title').first().textContent()).toBe('The machine lab now, in the real Linux kernel');
		expect(await typeWithin(page, 'ip netns del probe')).toMatchObject({ exit: 0 });
		expect(await page.locator('.nb-td [data-id="pi/probe"]').count()).toBe(0);
	}, 120_000);

	it('runs what the simulator does not model, and interrupts a running command with Ctrl-C', async () => {
		const version = await typeWithin(page, 'nft --version');
		expect(version.stdout).toMatch(/^nftables v\d/);
		const n = await page.locator('.nb-tl-echo').count();
		await page.locator('.nb-tl-input').fill('ping -i 0.5 127.0.0.1');
		await page.locator('.nb-tl-input').press('Enter');
		// Output streams while the command runs: wait for a second reply, then press Ctrl-C.
		await page.waitForFunction((n) => (document.querySelectorAll('.nb-tl-echo')[n]?.nextElementSibling?.textContent?.match(/icmp_seq=/g)?.length ?? 0) >= 2, n, { timeout: 60_000 });
		expect(await page.locator('.nb-tl').getAttribute('data-busy')).toBe('true');
		const pressed = Date.now();
		await page.locator('.nb-tl-input').press('Control+c');
		await page.waitForSelector('.nb-tl[data-busy="false"]', { timeout: 60_000 });
		console.log(`[real kernel] Ctrl-C to prompt: ${Date.now() - pressed} ms`);
		const out = await outputAfter(page, n);
		expect(out.stdout).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from 127\.0\.0\.1: icmp_seq=1 /);
		expect(out.stdout).toMatch(/\n--- 127\.0\.0\.1 ping statistics ---\n\d+ packets transmitted, \d+ received, 0% packet loss, time \d+ms\n/);
	}, 180_000);

	it('checks the chapter: every runnable block run afresh, as the v86 target recorded it (normalised)', async () => {
		const blocks = four.chapter.blocks.filter((b) => b.runnable);
		const commands = blocks.flatMap((b) => b.commands.map((c, k) => ({ block: b, k, cmd: oneLine(c.text) })));
		const before = await page.locator('.nb-tl-echo').count();
		const started = Date.now();
		await page.locator('.nb-tk-check').click();
		expect(await page.locator('.nb-tk-check').textContent()).toBe('Stop the check');
		// While it runs, the block being checked is marked and kept in view in its list.
		const views: string[] = [];
		let status = '';
		let changed = Date.now();
		while ((await page.locator('.nb-tk-check').textContent()) === 'Stop the check') {
			const current = await page.$('.nb-tx-list li[aria-current="step"]');
			if (current) views.push((await seen(page, current)).problem);
			const now = `${await page.locator('.nb-tx-status').textContent()} ${await page.locator('.nb-tl-echo').count()}`;
			if (now !== status) [status, changed] = [now, Date.now()];
			// A command that never ends would hang the test: fail it with what the terminal showed.
			if (Date.now() - changed > 5 * 60_000) throw new Error(`the check made no progress for 5 minutes; the terminal:\n${await terminalTail(page)}`);
			await page.waitForTimeout(1000);
		}
		console.log(`[real kernel] chapter 4 checked in the page in ${((Date.now() - started) / 1000).toFixed(1)} s (${commands.length} commands)`);
		expect(views.length).toBeGreaterThan(0);
		expect(views.filter((p) => p !== '')).toEqual([]);

		// What the terminal showed, compared here with the recording: one normalisation context per side for the chapter.
		const shown = createNormaliseContext();
		const recorded = createNormaliseContext();
		const differences: string[] = [];
		let compared = 0;
		const partner = new Map(recording.blocks.map((b) => [b.key, b]));
		for (const [i, { block, k, cmd }] of commands.entries()) {
			// A command with no output gets its exit badge on its own line (terminal-view.ts).
			const line = await page.locator('.nb-tl-echo').nth(before + i).evaluate((e) => ({
				text: [...e.childNodes].filter((n) => !(n instanceof Element && n.matches('.nb-tl-exit'))).map((n) => n.textContent).join(''),
				exit: e.querySelector('.nb-tl-exit')?.textContent ?? '',
			}));
			expect(line.text).toBe(`root@${block.host}:~# ${cmd}`);
			const steps = partner.get(block.key)?.steps;
			expect(steps, `block at line ${block.line} recorded on v86`).toBeDefined();
			const want = steps![k]!;
			const got = await outputAfter(page, before + i);
			if (line.exit) got.exit = Number(line.exit.replace('exit ', ''));
			const a = `${normaliseOutput(want.stdout, recorded)}|${normaliseOutput(want.stderr, recorded)}|${want.exit}`;
			const b = `${normaliseOutput(got.stdout, shown)}|${normaliseOutput(got.stderr, shown)}|${got.exit}`;
			compared++;
			if (a !== b) differences.push(`line ${block.line}: ${cmd}\n--- recorded on v86\n${a}\n--- this page\n${b}`);
		}
		expect(compared).toBe(commands.length);
		expect(differences).toEqual([]);
		// The page says the same, block by block and in sum.
		expect(await page.locator('.nb-tx-list li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset['mark']))).toEqual(blocks.map(() => 'match'));
		expect(await page.locator('.nb-tx-status').textContent()).toBe(`${blocks.length} of ${blocks.length} blocks match the recording made on v86.`);
		expect(await page.locator('.nb-tl-note').last().textContent()).toBe(`Check done: ${blocks.length} of ${blocks.length} blocks match the recording made on v86.`);
	}, 45 * 60_000);
});

describe('host switching on the real kernel (chapter 1, two hosts)', () => {
	let page: Page;
	beforeAll(async () => {
		requireManifest();
		page = await onRealKernel(one.path);
	}, START_MS + 60_000);
	afterAll(() => page?.context().close());

	it('moves between the lab’s machines with ssh, exit and @host, and goes back to the simulator when asked', async () => {
		expect(await typeWithin(page, 'hostname')).toMatchObject({ stdout: 'alice\n', exit: 0 });
		await typeWithin(page, 'ssh bob');
		expect(await page.locator('.nb-tl-prompt').textContent()).toBe('root@bob:~# ');
		expect(await typeWithin(page, 'hostname')).toMatchObject({ stdout: 'bob\n', exit: 0 });
		expect(await typeWithin(page, '@alice hostname')).toMatchObject({ stdout: 'alice\n', exit: 0 });
		await typeWithin(page, 'exit');
		expect(await page.locator('.nb-tl-prompt').textContent()).toBe('root@alice:~# ');
		// The way back: the simulator again, with a fresh lab, and the switch offered again.
		await page.locator('.nb-tk-back').click();
		await page.waitForSelector('.nb-tk[data-state="off"]');
		await page.waitForSelector('.nb-tl[data-busy="false"]');
		expect(await page.locator('.nb-tk-now').textContent()).toBe('Engine: simulator');
		expect(await page.evaluate(() => document.activeElement?.className)).toBe('nb-tk-toggle');
		expect(await page.locator('.nb-td figcaption').textContent()).toBe('The lab now, as the simulator has it: redrawn after each command.');
		expect(await typeWithin(page, 'hostname')).toMatchObject({ stdout: 'alice\n', exit: 0 });
	}, 180_000);
});

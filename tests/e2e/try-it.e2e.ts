import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLine } from '../../src/lib/runbook/commands.ts';
import { foldNeighbourTiming } from '../../src/lib/snapshot/blocks.ts';
import { createNormaliseContext, normaliseOutput } from '../../src/lib/snapshot/normalise.ts';
import { bookChapters, ROOT } from './book.ts';
import { describeShifts, layoutShifts, openPageFrameByFrame, shiftScore } from './layout-shift.ts';
import { useBuiltSite } from './site-fixture.ts';
import { axeViolations, openPage, openTerminal, outputAfter, typeLine } from './try-it-page.ts';

const chapters = bookChapters();
const one = chapters.find((c) => c.chapter.id.startsWith('01-'))!;
const haveNetsim = existsSync(join(ROOT, 'src/lib/netsim/index.ts'));
const site = useBuiltSite();


const open = (path: string, options?: Parameters<typeof openPage>[2]) => openPage(site.browser, site.url + path, options);

describe('Try it, before the reader asks for it', () => {
	it('loads nothing of the terminal or the simulator, and adds Run buttons to every runnable block', async () => {
		const { page, context } = await open(one.path);
		const scripts: string[] = [];
		page.on('request', (r) => void (r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname)));
		await page.reload({ waitUntil: 'networkidle' });
		await page.waitForTimeout(500);
		expect(scripts.filter((s) => /panel|netsim/.test(s))).toEqual([]);
		const runnable = one.chapter.blocks.filter((b) => b.runnable).length;
		expect(await page.locator('figure.nb-runnable .nb-run').count()).toBe(runnable);
		expect(await page.locator('.nb-run button', { hasText: /^Run$/ }).first().getAttribute('aria-label')).toBe(`Run block 1 in the terminal, on ${one.chapter.blocks[0]!.host}`);
		await context.close();
	});

	it('moves nothing on the page while it loads, painted piece by piece, and opens', async () => {
		// Painted after every 2 KB of HTML, as on a slow connection or a busy CPU: an element that
		// content later in the HTML puts in its place moves on every run, not once in a while.
		const { page, context, pieces } = await openPageFrameByFrame(site, one.path);
		expect(pieces.sent).toBeGreaterThan(10);
		expect(pieces.painted, 'pieces of the page painted before the next one arrived').toBe(pieces.sent);
		const heading = async () => (await page.locator('h2').nth(1).boundingBox())!.y;
		const before = await heading();
		await openTerminal(page);
		await page.waitForTimeout(300);
		expect(await heading()).toBe(before);
		const shifts = await layoutShifts(page);
		expect(shiftScore(shifts), `layout shifts:\n${describeShifts(shifts)}`).toBeLessThan(0.01);
		await context.close();
	});
});

describe.skipIf(!haveNetsim)('Try it on the simulator: chapter 1 typed in', () => {
	let page: Page;
	beforeAll(async () => {
		({ page } = await open(one.path));
		await openTerminal(page);
	});
	afterAll(() => page?.context().close());

	it('shows a root prompt on the chapter’s first host and draws the lab', async () => {
		expect(await page.locator('.nb-tl-prompt').textContent()).toBe('root@alice:~# ');
		const svg = page.locator('.nb-td svg');
		expect(await svg.getAttribute('role')).toBe('img');
		expect(await svg.locator('[data-id="switch:switch1"]').count()).toBe(1);
	});

	it('prints what the kernel printed for every command of the chapter (normalised, neighbour states that time decides folded)', async () => {
		const kernel = createNormaliseContext();
		const browserSide = createNormaliseContext();
		const diffs: string[] = [];
		let host = 'alice';
		let renders = Number(await page.locator('.nb-td').getAttribute('data-renders'));
		for (const block of one.chapter.blocks.filter((b) => b.runnable)) {
			if (block.host !== host) {
				await typeLine(page, host === 'alice' ? `ssh ${block.host}` : 'exit');
				host = block.host;
				expect(await page.locator('.nb-tl-prompt').textContent()).toBe(`root@${host}:~# `);
			}
			const recorded = one.snapshot!.blocks.find((b) => b.key === block.key)!;
			for (const [i, command] of block.commands.entries()) {
				const shown = await typeLine(page, oneLine(command.text));
				const step = recorded.steps[i]!;
				// The simulator keeps its own clock: a neighbour state that only time decides is folded,
				// as verify --engine sim judges it (src/lib/verify/judge.ts).
				const want = `${foldNeighbourTiming(normaliseOutput(step.stdout, kernel))}|${step.stderr}|${step.exit}`;
				const got = `${foldNeighbourTiming(normaliseOutput(shown.stdout, browserSide))}|${shown.stderr}|${shown.exit}`;
				if (want !== got) diffs.push(`${command.text}\n--- kernel\n${want}\n--- terminal\n${got}`);
			}
			if (block.attributes.diagram || block.commands.some((c) => / (add|del) /.test(c.text))) {
				const now = Number(await page.locator('.nb-td').getAttribute('data-renders'));
				expect(now, `diagram redrawn after block at line ${block.line}`).toBeGreaterThan(renders);
				renders = now;
			}
		}
		expect(diffs).toEqual([]);
	});

	it('updated the diagram as the chapter went (addresses appeared, then went)', async () => {
		await typeLine(page, 'exit');
		await typeLine(page, 'ip addr add 192.168.1.1/24 dev eth0');
		expect(await page.locator('.nb-td svg').textContent()).toContain('192.168.1.1/24');
		await typeLine(page, 'ip addr del 192.168.1.1/24 dev eth0');
		expect(await page.locator('.nb-td svg').textContent()).not.toContain('192.168.1.1/24');
	});

	it('kept the reader’s progress, also after a reload, and shows it in the sidebar', async () => {
		// Every check of the chapter, its break-it exercise included: the test typed the whole chapter.
		const n = one.chapter.checks.length;
		expect(n).toBeGreaterThanOrEqual(5);
		expect(await page.locator('.nb-tc li[data-pass="true"]').count()).toBe(n);
		expect(await page.locator('.nb-tc-count').textContent()).toBe(`${n} of ${n} done: well done!`);
		await page.reload();
		const mark = page.locator(`nav.sidebar a[href="${one.path}"] .nb-progress`);
		expect(await mark.getAttribute('data-complete')).toBe('true');
		expect(await mark.textContent()).toBe(`✓, ${n} of ${n} checks done`);
	});
});

describe.skipIf(!haveNetsim)('Try it on the simulator: the shell', () => {
	let page: Page;
	beforeAll(async () => {
		({ page } = await open(one.path));
		await openTerminal(page);
	});
	afterAll(() => page?.context().close());

	const input = () => page.locator('.nb-tl-input');

	it('edits the line with readline keys, completes with Tab and recalls history', async () => {
		await input().focus();
		await page.keyboard.type('ip li');
		await page.keyboard.press('Tab');
		expect(await input().inputValue()).toBe('ip link ');
		await page.keyboard.type('show e');
		await page.keyboard.press('Tab');
		expect(await input().inputValue()).toBe('ip link show eth0 ');
		await page.keyboard.press('Control+A');
		await page.keyboard.type('sudo ');
		await page.keyboard.press('Enter');
		await page.waitForSelector('.nb-tl[data-busy="false"] .nb-tl-stdout');
		expect(await page.locator('.nb-tl-stdout').last().textContent()).toMatch(/^2: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP>/);
		await page.keyboard.press('ArrowUp');
		expect(await input().inputValue()).toBe('sudo ip link show eth0');
		await page.keyboard.press('Control+U');
		expect(await input().inputValue()).toBe('');
		await page.keyboard.type('ip addr');
		await page.keyboard.press('Control+C');
		expect(await page.locator('.nb-tl-echo').last().textContent()).toBe('root@alice:~# ip addr^C');
		await page.keyboard.press('Control+L');
		expect(await page.locator('.nb-tl-log').textContent()).toBe('');
	});

	it('streams ping one reply per interval, and skips ahead on Esc', async () => {
		await typeLine(page, 'ip addr add 192.168.1.1/24 dev eth0');
		await typeLine(page, '@bob ip addr add 192.168.1.2/24 dev eth0');
		const n = await page.locator('.nb-tl-echo').count();
		await input().fill('ping -c 4 -i 1 192.168.1.2');
		await input().press('Enter');
		await page.waitForFunction(() => (document.querySelector('.nb-tl-log .nb-tl-out:last-child')?.textContent ?? '').includes('icmp_seq=1'));
		const partial = (await outputAfter(page, n)).stdout;
		expect(partial).not.toContain('icmp_seq=3');
		await input().press('Escape');
		await page.waitForSelector('.nb-tl[data-busy="false"]');
		expect((await outputAfter(page, n)).stdout).toContain('4 packets transmitted, 4 received');
	});

	it('pastes several lines as several commands', async () => {
		const n = await page.locator('.nb-tl-echo').count();
		await input().focus();
		await page.evaluate(() => {
			const data = new DataTransfer();
			data.setData('text/plain', 'hostname\nip -br addr show dev eth0\n');
			document.querySelector('.nb-tl-input')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
		});
		await page.waitForFunction((n) => document.querySelectorAll('.nb-tl-echo').length === n + 2 && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false', n);
		expect((await outputAfter(page, n)).stdout).toBe('alice\n');
		expect((await outputAfter(page, n + 1)).stdout).toMatch(/^eth0@if\d+\s+UP\s+192\.168\.1\.1\/24/);
	});

	it('runs a block from its Run button, on the block’s host', async () => {
		const block = one.chapter.blocks.find((b) => b.host === 'bob' && b.runnable)!;
		const figure = page.locator(`figure[data-nb-line="${block.line}"]`);
		await figure.locator('.nb-run button', { hasText: /^Run$/ }).click();
		await page.waitForFunction((cmd) => [...document.querySelectorAll('.nb-tl-echo')].some((e) => e.textContent === `root@bob:~# ${cmd}`) && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false', oneLine(block.commands.at(-1)!.text));
		expect(await page.locator('.nb-tl-prompt').textContent()).toBe('root@bob:~# ');
	});

	it('runs up to a block: a fresh lab with every block before it', async () => {
		const block = one.chapter.blocks.find((b) => b.attributes.diagram)!;
		await page.locator(`figure[data-nb-line="${block.line}"] .nb-run button`, { hasText: 'Run up to here' }).click();
		await page.waitForFunction(() => /Fresh lab; replayed/.test(document.querySelector('.nb-tl-log')?.textContent ?? '') && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false');
		const log = await page.locator('.nb-tl-log').textContent();
		const before = one.chapter.blocks.filter((b) => b.runnable && b.index < block.index);
		expect(log).toContain(`Fresh lab; replayed ${before.reduce((n, b) => n + b.commands.length, 0)} commands of ${before.length} blocks. Ready for block ${block.index + 1}.`);
		expect(log).not.toContain('did not do what the chapter expects');
		expect((await typeLine(page, 'ip -br addr show dev eth0')).stdout).toMatch(/192\.168\.1\.1\/24/);
	});

	it('keeps working offline once loaded', async () => {
		await page.context().setOffline(true);
		await typeLine(page, 'reset');
		expect((await typeLine(page, 'ip route')).stdout).toBe('');
		await page.context().setOffline(false);
	});
});

describe('Try it: offline after reading starts', () => {
	it('opens and runs with the network gone, once the reader has scrolled', async () => {
		const { page, context } = await open(one.path);
		await page.mouse.wheel(0, 600);
		await page.locator('[data-nb-tryit][data-warm]').waitFor({ state: 'attached', timeout: 15_000 });
		await context.setOffline(true);
		await openTerminal(page);
		expect((await typeLine(page, '@alice ip -br link show dev eth0')).stdout).toMatch(/^eth0@if2\s+UP\s/);
		await context.close();
	});
});

describe('Try it: accessibility and small screens', () => {
	it.each(['light', 'dark'] as const)('has no axe violations with the terminal open (%s)', async (theme) => {
		const { page, context } = await open(one.path, { theme });
		await openTerminal(page);
		await typeLine(page, 'ip -br link');
		expect(await axeViolations(page)).toEqual([]);
		await context.close();
	});

	it('fits a 360 px screen, one pane at a time', async () => {
		const { page, context } = await open(one.path, { width: 360 });
		await openTerminal(page);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const box = (await page.locator('.nb-tryit').boundingBox())!;
		expect(box.width).toBeLessThanOrEqual(360);
		expect(await page.locator('.nb-tl-input').isVisible()).toBe(true);
		expect(await page.locator('.nb-td').isVisible()).toBe(false);
		await page.locator('.nb-tp-panes button', { hasText: 'Diagram' }).click();
		expect(await page.locator('.nb-td').isVisible()).toBe(true);
		expect(await page.locator('.nb-tl-input').isVisible()).toBe(false);
		expect(await page.locator('.nb-tl-keys button').count()).toBe(4);
		await context.close();
	});
});

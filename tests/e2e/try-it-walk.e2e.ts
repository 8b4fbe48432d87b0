import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';
import { useFakePanel } from './try-it-harness.ts';
import { axeViolations, openTerminal, typeLine } from './try-it-page.ts';
import { PING_TRACE } from './try-it-trace.ts';

// The packet walk is tested over a scripted engine that records the trace docs/terminal.md
// specifies (tests/e2e/try-it-trace.ts), whatever the simulator records today.
const one = bookChapters().find((c) => c.chapter.id.startsWith('01-'))!;
const site = useBuiltSite();
let page: Page;

beforeAll(async () => {
	const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
	page = await context.newPage();
	await useFakePanel(page);
	await page.goto(site.url + one.path);
	await openTerminal(page);
});

const highlighted = () => page.$$eval('.nb-td svg .hl', (els) => els.map((e) => e.getAttribute('data-id')).sort());

describe('the packet walk', () => {
	it('opens on ping --trace, step by step on the diagram and in words', async () => {
		await typeLine(page, 'ping --trace -c 1 192.168.1.2');
		const walk = page.locator('.nb-tw');
		expect(await walk.isVisible()).toBe(true);
		expect(await walk.locator('h3').textContent()).toBe('Packet walk: ping -c 1 192.168.1.2 on alice');
		expect(await walk.locator('.nb-tw-steps li').count()).toBe(PING_TRACE.steps.length);
		expect(await walk.locator('.nb-tw-now').textContent()).toBe(
			'Step 1 of 12 (send): ping hands an ICMP echo request for 192.168.1.2 to alice’s kernel. Packet: icmp echo-request from 192.168.1.1 to 192.168.1.2, ttl 64.',
		);
		expect(await highlighted()).toEqual(['host:alice']);
		await walk.locator('button', { hasText: 'Next step' }).click();
		expect(await walk.locator('.nb-tw-now').textContent()).toContain('Matched in table main: 192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1.');
		await walk.locator('button', { hasText: 'Next step' }).click();
		await walk.locator('button', { hasText: 'Next step' }).click();
		expect(await highlighted()).toEqual(['alice//eth0', 'cable:alice//eth0', 'switch:switch1']);
		// The frame's ARP message and MACs are spelled out.
		expect(await walk.locator('.nb-tw-now').textContent()).toBe(
			'Step 4 of 12 (wire): The broadcast goes down alice’s cable into switch1. Packet: arp request, sender 192.168.1.1, target 192.168.1.2. Ethernet: from 02:00:00:00:00:01 to ff:ff:ff:ff:ff:ff.',
		);
		await page.keyboard.press('ArrowRight');
		expect(await highlighted()).toEqual(['bob//eth0', 'cable:bob//eth0', 'switch:switch1']);
		expect(await walk.locator('li[aria-current="step"]').count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);
	});

	it('is offered after any ping, and closes cleanly', async () => {
		await page.locator('.nb-tw-close').click();
		expect(await highlighted()).toEqual([]);
		await typeLine(page, 'ping -c 1 192.168.1.2');
		expect(await page.locator('.nb-tw').isVisible()).toBe(false);
		await page.locator('.nb-tl-walk').last().click();
		expect(await page.locator('.nb-tw').isVisible()).toBe(true);
		await page.locator('.nb-tw li').last().click();
		expect(await page.locator('.nb-tw-now').textContent()).toMatch(/^Step 12 of 12 \(deliver\)/);
		expect(await page.locator('.nb-tw button', { hasText: 'Next step' }).isDisabled()).toBe(true);
	});
});

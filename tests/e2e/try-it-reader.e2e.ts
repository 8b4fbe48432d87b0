import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';
import { contextPerTest, openPage, openTerminal, typeLine } from './try-it-page.ts';

// What a reader sees of the terminal, from a reader-testing report: the log follows its output,
// lists are laid out in columns that fit, the packet walk is offered for packets that left and
// names where they left from, and progress counts only what the reader did.
const site = useBuiltSite();
const chapter = (prefix: string) => bookChapters().find((c) => c.chapter.id.startsWith(prefix))!;
const closeAfterTest = contextPerTest();

async function terminalOn(prefix: string, width?: number): Promise<Page> {
	const { page, context } = await openPage(site.browser, site.url + chapter(prefix).path, width ? { width } : {});
	closeAfterTest(context);
	await openTerminal(page);
	return page;
}

/** "Run up to here" on a chapter's block, found by its title, waiting for the replay to finish. */
async function runUpTo(page: Page, prefix: string, title: string): Promise<void> {
	const line = chapter(prefix).chapter.blocks.find((b) => b.attributes.title === title)!.line;
	await page.locator(`figure[data-nb-line="${line}"] .nb-run button`, { hasText: 'Run up to here' }).click();
	await page.waitForFunction(() => /Fresh lab; replayed/.test(document.querySelector('.nb-tl-log')?.textContent ?? '') && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false');
}

/** Where the log's last line is, against the log's own box and the window. */
async function lastLine(page: Page): Promise<{ inLog: boolean; inWindow: boolean; text: string }> {
	return page.evaluate(() => {
		const log = document.querySelector<HTMLElement>('.nb-tl-log')!;
		const range = document.createRange();
		range.selectNodeContents(log.lastElementChild!);
		const rects = [...range.getClientRects()].filter((r) => r.height > 0);
		const line = rects.at(-1)!;
		const box = log.getBoundingClientRect();
		return {
			inLog: line.top >= box.top - 1 && line.bottom <= box.bottom + 1,
			inWindow: line.top >= 0 && line.bottom <= window.innerHeight,
			text: log.lastElementChild!.textContent ?? '',
		};
	});
}

/** Text rows of an element against the lines it takes on screen, and whether it overflows its log. */
async function layout(page: Page, selector: string): Promise<{ rows: string[]; lines: number; fits: boolean }> {
	return page.evaluate((selector) => {
		const el = [...document.querySelectorAll<HTMLElement>(selector)].at(-1)!;
		const range = document.createRange();
		range.selectNodeContents(el);
		const tops = new Set([...range.getClientRects()].filter((r) => r.height > 0).map((r) => Math.round(r.top)));
		const right = Math.max(...[...range.getClientRects()].map((r) => r.right));
		const log = document.querySelector<HTMLElement>('.nb-tl-log')!;
		return { rows: (el.textContent ?? '').split('\n'), lines: tops.size, fits: right <= log.getBoundingClientRect().right && log.scrollWidth <= log.clientWidth };
	}, selector);
}

describe('Try it: the log follows its output', () => {
	it('keeps the last line in view after a tall output and the commands after it', async () => {
		const page = await terminalOn('06-');
		await typeLine(page, 'help');
		await typeLine(page, 'ip addr');
		for (const line of ['ip -br link', 'hostname', 'ip route', 'ip netns list', 'hostname']) await typeLine(page, line);
		const last = await lastLine(page);
		expect(last).toEqual({ inLog: true, inWindow: true, text: expect.stringContaining('pi') });
	});

	it('keeps the last line in view as Run buttons run one block after another', async () => {
		const page = await terminalOn('01-');
		const blocks = chapter('01-').chapter.blocks.filter((b) => b.runnable).slice(0, 9);
		for (const block of blocks) {
			await page.locator(`figure[data-nb-line="${block.line}"] .nb-run button`, { hasText: /^Run$/ }).click();
			await page.waitForFunction((cmd) => [...document.querySelectorAll('.nb-tl-echo')].some((e) => e.textContent?.endsWith(cmd)) && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false', block.commands.at(-1)!.text);
		}
		expect(await lastLine(page)).toMatchObject({ inLog: true, inWindow: true });
	});

	it('stays where the reader scrolled up to while output streams, and follows again on the next command', async () => {
		const page = await terminalOn('01-');
		await typeLine(page, 'help');
		await typeLine(page, 'ip addr add 192.168.1.1/24 dev eth0');
		await typeLine(page, '@bob ip addr add 192.168.1.2/24 dev eth0');
		await page.locator('.nb-tl-input').fill('ping -c 5 -i 1 192.168.1.2');
		await page.locator('.nb-tl-input').press('Enter');
		await page.waitForFunction(() => (document.querySelector('.nb-tl-log')?.textContent ?? '').includes('icmp_seq=1'));
		const box = (await page.locator('.nb-tl-log').boundingBox())!;
		await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
		await page.mouse.wheel(0, -400);
		await page.waitForFunction(() => document.querySelector('.nb-tl-log')!.scrollTop < document.querySelector('.nb-tl-log')!.scrollHeight - document.querySelector('.nb-tl-log')!.clientHeight - 100);
		const top = await page.locator('.nb-tl-log').evaluate((l) => l.scrollTop);
		await page.waitForFunction(() => (document.querySelector('.nb-tl-log')?.textContent ?? '').includes('icmp_seq=3'));
		expect(await page.locator('.nb-tl-log').evaluate((l) => l.scrollTop)).toBe(top);
		await page.locator('.nb-tl-input').press('Escape');
		await page.waitForSelector('.nb-tl[data-busy="false"]');
		await typeLine(page, 'hostname');
		expect(await lastLine(page)).toMatchObject({ inLog: true, inWindow: true });
	});
});

describe('Try it: lists in columns, Tab as in bash', () => {
	it.each([1280, 360])('rings on the first Tab, lists on the second, in columns that fit (%i px)', async (width) => {
		const page = await terminalOn('01-', width);
		const input = page.locator('.nb-tl-input');
		await input.focus();
		await page.keyboard.type('ip -');
		const entries = await page.locator('.nb-tl-log > *').count();
		await page.keyboard.press('Tab');
		expect(await input.inputValue()).toBe('ip -');
		expect(await page.locator('.nb-tl-log > *').count()).toBe(entries);
		await page.keyboard.press('Tab');
		expect(await page.locator('.nb-tl-list').count()).toBe(1);
		const list = await layout(page, '.nb-tl-list');
		expect(list.rows.join(' ').split(/\s+/)).toContain('-color');
		expect(list.lines).toBe(list.rows.length);
		expect(list.fits).toBe(true);
	});

	it('lists the simulated commands in help, one row per line', async () => {
		const page = await terminalOn('01-', 360);
		await typeLine(page, 'help');
		const text = (await page.locator('.nb-tl-note').last().textContent()) ?? '';
		for (const name of ['ip', 'ping', 'bridge', 'iptables', 'conntrack', 'sysctl', 'curl', 'jq']) expect(text.split(/\s+/)).toContain(name);
		expect(await page.locator('.nb-tl-log').evaluate((l) => l.scrollWidth <= l.clientWidth)).toBe(true);
	});
});

describe('Try it: answers a real shell would give, or says why not', () => {
	it('stops an endless ping as Ctrl-C would, and says so; names tools it does not model', async () => {
		const page = await terminalOn('01-');
		const ping = await typeLine(page, 'ping 127.0.0.1', { skip: true });
		expect(ping.stdout).toMatch(/icmp_seq=4 ttl=64 time=\S+ ms\n\^C\n--- 127\.0\.0\.1 ping statistics ---\n4 packets transmitted, 4 received/);
		// The note follows the output (the walk's button comes after it).
		const note = page.locator('.nb-tl-note', { hasText: 'Without -c' });
		expect(await note.textContent()).toBe('Without -c, ping runs until Ctrl-C: the simulator stopped it after 4 packets, as Ctrl-C would. Add -c N to send N.');
		expect(await note.isVisible()).toBe(true);
		expect(await typeLine(page, 'tshark -i eth0')).toMatchObject({ stderr: 'tshark: not available in this simulator (use tcpdump (tcpdump -n -e -c 2 arp & ping -c 1 ADDR; wait), or ping --trace ADDR to walk a packet on the diagram)\n', exit: 127 });
		expect(await typeLine(page, 'nosuch')).toMatchObject({ stderr: 'bash: nosuch: command not found\n', exit: 127 });
		await typeLine(page, 'sudo -i');
		expect(await page.locator('.nb-tl-note').last().textContent()).toBe('You are root already: this terminal’s shell is root’s, so sudo has no other shell to start.');
		expect(await lastLine(page)).toMatchObject({ inLog: true, inWindow: true });
	});
});

describe('Try it: packets on the wire', () => {
	it('captures in the background while the reader sends, and says why a capture in the foreground stopped', async () => {
		const page = await terminalOn('01-');
		await typeLine(page, 'ip addr add 192.168.1.1/24 dev eth0');
		expect(await typeLine(page, 'tcpdump -n -t -c 1 arp &')).toMatchObject({ stderr: 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n', exit: 0 });
		const ping = await typeLine(page, 'ping -c 1 -W 1 192.168.1.9');
		expect(ping.stdout).toContain('ARP, Request who-has 192.168.1.9 tell 192.168.1.1, length 28\n');
		expect(ping.stderr).toBe('1 packet captured\n1 packet received by filter\n0 packets dropped by kernel\n');
		await typeLine(page, 'tcpdump -n arp');
		const note = page.locator('.nb-tl-note').last();
		expect(await note.textContent()).toMatch(/^tcpdump waits for packets until Ctrl-C/);
		expect(await note.isVisible()).toBe(true);
		expect(await lastLine(page)).toMatchObject({ inLog: true, inWindow: true });
	});
});

describe('Try it: the packet walk', () => {
	it('is not offered for a ping that sent nothing', async () => {
		const page = await terminalOn('01-');
		const shown = await typeLine(page, 'ping -c 1 192.168.1.2');
		expect(shown.stderr).toBe('ping: connect: Network is unreachable\n');
		expect(await page.locator('.nb-tl-walk').count()).toBe(0);
		await typeLine(page, 'ping -c 1 127.0.0.1');
		expect(await page.locator('.nb-tl-walk').count()).toBe(1);
	});

	it('names the namespace a ping ran in', async () => {
		const page = await terminalOn('05-');
		await runUpTo(page, '05-', 'Alice pings Bob');
		await typeLine(page, 'ip netns exec alice ping -c 1 192.168.25.2');
		await page.locator('.nb-tl-walk').last().click();
		expect(await page.locator('.nb-tw-title').textContent()).toBe('Packet walk: ping -c 1 192.168.25.2 in the namespace alice on pi');
	});
});

describe('Try it: progress counts what the reader ran', () => {
	it('gives nothing for "Run up to here", and counts the commands typed after it', async () => {
		const page = await terminalOn('01-');
		await runUpTo(page, '01-', "Bob learned Alice's MAC from her question");
		const n = chapter('01-').chapter.checks.length;
		expect(await page.locator('.nb-tc-count').textContent()).toBe(`0 of ${n} done`);
		// The replay leaves the prompt on bob, the host of that block.
		expect((await typeLine(page, '@alice ping -c 1 192.168.1.2')).exit).toBe(0);
		const passed = await page.locator('.nb-tc li[data-pass="true"]').allTextContents();
		expect(passed.map((t) => t.replace(/^✓Done: /, ''))).toEqual(['Alice can ping Bob']);
		const mark = page.locator(`nav.sidebar a[href="${chapter('01-').path}"] .nb-progress`);
		expect(await mark.textContent()).toBe(`1/${n}, 1 of ${n} checks done`);
	});
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bookChapters } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';
import { axeViolations, contextPerTest, openPage, openTerminal, typeLine } from './try-it-page.ts';

// The packet walk on the simulator's real traces: a ping typed in the chapter's terminal, its
// recorded trace shown step by step in words and on the live diagram (data-ids of src/lib/topology).
const site = useBuiltSite();
const chapter = (prefix: string) => bookChapters().find((c) => c.chapter.id.startsWith(prefix))!;
const closeAfterTest = contextPerTest();

/** The fence line of a chapter's block, by its title. */
const lineOf = (prefix: string, title: string) => chapter(prefix).chapter.blocks.find((b) => b.attributes.title === title)!.line;

/** Opens a chapter's terminal; with `upTo`, "Run up to here" on the block with that title. */
async function terminalOn(prefix: string, upTo?: string): Promise<Page> {
	const { page, context } = await openPage(site.browser, site.url + chapter(prefix).path);
	closeAfterTest(context);
	await openTerminal(page);
	if (upTo !== undefined) {
		await page.locator(`figure[data-nb-line="${lineOf(prefix, upTo)}"] .nb-run button`, { hasText: 'Run up to here' }).click();
		await page.waitForFunction(() => /Fresh lab; replayed/.test(document.querySelector('.nb-tl-log')?.textContent ?? '') && document.querySelector<HTMLElement>('.nb-tl')!.dataset['busy'] === 'false');
	}
	return page;
}

interface Shown {
	kind: string;
	leg: string;
	text: string;
	/** Diagram elements highlighted while the step is the current one. */
	ids: string[];
}

/** Every step of the open walk, visited one by one with the Next button. */
async function walkSteps(page: Page): Promise<Shown[]> {
	const walk = page.locator('.nb-tw');
	expect(await walk.isVisible()).toBe(true);
	const count = await walk.locator('.nb-tw-steps li').count();
	const steps: Shown[] = [];
	for (let i = 0; i < count; i++) {
		if (i > 0) await walk.locator('button', { hasText: 'Next step' }).click();
		steps.push(
			await page.evaluate((i) => {
				const li = document.querySelectorAll<HTMLElement>('.nb-tw-steps li')[i]!;
				if (li.getAttribute('aria-current') !== 'step') throw new Error(`step ${i + 1} is not the current one`);
				const ids = [...document.querySelectorAll('.nb-td svg .hl')].map((e) => e.getAttribute('data-id')!);
				return { kind: li.dataset['kind']!, leg: li.dataset['leg']!, text: li.textContent!, ids: [...new Set(ids)].sort() };
			}, i),
		);
	}
	return steps;
}

/** The first step of `kind` (on `leg`) whose words match. */
function find(steps: Shown[], kind: string, text: RegExp, leg?: string): Shown {
	const step = steps.find((s) => s.kind === kind && text.test(s.text) && (!leg || s.leg === leg));
	if (!step) throw new Error(`no ${kind} step matching ${text}:\n${steps.map((s) => `${s.leg} ${s.kind}: ${s.text}`).join('\n')}`);
	return step;
}

describe('the packet walk on real simulator traces', () => {
	it('chapter 1: alice pings bob through switch1 (route, ARP flood, FDB, reply)', async () => {
		const page = await terminalOn('01-', 'Alice pings Bob, and watches the wire');
		const typed = await typeLine(page, '@alice ping --trace -c 1 192.168.1.2', { skip: true });
		expect(typed.exit).toBe(0);
		expect(await page.locator('.nb-tw-title').textContent()).toBe('Packet walk: ping -c 1 192.168.1.2 on alice');
		expect(await page.locator('.nb-tw-summary').textContent()).toBe('The echo request reached 192.168.1.2 and the reply came back to alice.');
		const steps = await walkSteps(page);
		expect(steps[0]).toMatchObject({ kind: 'send', leg: 'request', ids: ['host:alice'] });
		expect(find(steps, 'route', /Matched in table main: 192\.168\.1\.0\/24 dev eth0/, 'request').ids).toEqual(['alice//eth0']);
		expect(find(steps, 'arp', /broadcasts an ARP request “who has 192\.168\.1\.2\?”/).ids).toEqual(['alice//eth0']);
		expect(find(steps, 'wire', /ARP request leaves eth0 into switch1/).ids).toEqual(['alice//eth0', 'cable:alice//eth0', 'switch:switch1']);
		expect(find(steps, 'bridge', /floods the broadcast/).ids).toEqual(['bob//eth0', 'cable:bob//eth0', 'switch:switch1']);
		expect(find(steps, 'arp', /Bob owns 192\.168\.1\.2/).ids).toEqual(['bob//eth0']);
		expect(find(steps, 'bridge', /knows 02:00:00:00:00:02 from its forwarding table/, 'request').ids).toEqual(['bob//eth0', 'cable:bob//eth0', 'switch:switch1']);
		expect(find(steps, 'deliver', /for bob/, 'request').ids).toEqual(['bob//eth0']);
		expect(steps.at(-1)).toMatchObject({ kind: 'deliver', leg: 'reply', ids: ['alice//eth0'] });
		expect(steps.filter((s) => s.leg === 'reply').map((s) => s.kind)).toEqual(['route', 'arp', 'wire', 'bridge', 'deliver']);
		expect(await axeViolations(page)).toEqual([]);

		// After a plain ping, the button opens the walk of that ping: now alice knows bob.
		await page.locator('.nb-tw-close').click();
		await typeLine(page, 'ping -c 1 192.168.1.2', { skip: true });
		expect(await page.locator('.nb-tw').isVisible()).toBe(false);
		await page.locator('.nb-tl-walk').last().click();
		expect(await page.locator('.nb-tw-now').textContent()).toMatch(/^Step 1 of \d+ \(send\)/);
		expect(find(await walkSteps(page), 'arp', /Alice already knows 192\.168\.1\.2: 02:00:00:00:00:02/, 'request').ids).toEqual(['alice//eth0']);
	});

	it('chapter 7: alice reaches 8.8.8.8 through the bridge, forwarding and MASQUERADE', async () => {
		const page = await terminalOn('07-', 'What the rules saw');
		const typed = await typeLine(page, '@pi ip netns exec alice ping --trace -c 1 8.8.8.8', { skip: true });
		expect(typed.stdout).toContain('1 received');
		// The reply comes back to the namespace ping ran in, not to pi.
		expect(await page.locator('.nb-tw-summary').textContent()).toBe('The echo request reached 8.8.8.8 and the reply came back to the namespace alice on pi.');
		const steps = await walkSteps(page);
		expect(steps[0]).toMatchObject({ kind: 'send', ids: ['pi/alice'] });
		expect(find(steps, 'route', /Matched in table main: default via 192\.168\.25\.5 dev veth-alice/).ids).toEqual(['pi/alice/veth-alice']);
		const veth = 'veth:pi//veth-alice-br|pi/alice/veth-alice';
		expect(find(steps, 'wire', /across the veth pair to veth-alice-br in pi/, 'request').ids).toEqual(['pi//veth-alice-br', 'pi/alice/veth-alice', veth]);
		// The frame for the gateway is addressed to v-br-0 itself: up to pi's own IP stack, not out of a port.
		const up = find(steps, 'bridge', /v-br-0’s own address .* delivered up to the bridge’s own IP stack in pi.*Ethernet: from [0-9a-f:]{17} to [0-9a-f:]{17}\./, 'request');
		expect(up.ids).toEqual(['pi//v-br-0']);
		expect(steps.indexOf(up)).toBe(steps.indexOf(find(steps, 'wire', /across the veth pair to veth-alice-br in pi/, 'request')) + 1);
		expect(find(steps, 'forward', /ip_forward = 1.*TTL 64 → 63/, 'request').ids).toEqual(['pi//eth0']);
		// The rewrite with the rule that did it, as iptables -t nat -S prints it.
		expect(
			find(steps, 'nat', /MASQUERADE: source 192\.168\.25\.1 → 192\.168\.0\.10 \(the address of eth0\), remembered by conntrack\. Rule \(iptables -t nat -S\): -A POSTROUTING -s 192\.168\.25\.0\/24 -o eth0 -j MASQUERADE\. Packet: icmp echo-request from 192\.168\.0\.10 to 8\.8\.8\.8, ttl 63\.$/, 'request').ids,
		).toEqual(['host:pi']);
		expect(find(steps, 'wire', /up the uplink to the home router.*from 192\.168\.0\.10 to 8\.8\.8\.8/, 'request').ids).toEqual(['pi//eth0', 'uplink:pi//eth0', 'upstream']);
		expect(find(steps, 'deliver', /8\.8\.8\.8/, 'request').ids).toEqual(['internet']);
		expect(find(steps, 'nat', /undoes the NAT: destination 192\.168\.0\.10 → 192\.168\.25\.1/, 'reply').ids).toEqual(['host:pi']);
		// Longest-prefix match: the /24 of the bridge wins over the default route, which is shown too.
		expect(find(steps, 'route', /Matched in table main: 192\.168\.25\.0\/24 dev v-br-0.*shorter prefix: default via 192\.168\.0\.1 dev eth0/, 'reply').ids).toEqual(['pi//v-br-0']);
		expect(find(steps, 'bridge', /The bridge v-br-0 knows .* from its forwarding table/, 'reply').ids).toEqual(['pi//v-br-0', 'pi//veth-alice-br']);
		expect(find(steps, 'wire', /across the veth pair to veth-alice in alice/, 'reply').ids).toEqual(['pi//veth-alice-br', 'pi/alice/veth-alice', veth]);
		expect(steps.at(-1)).toMatchObject({ kind: 'deliver', leg: 'reply', ids: ['pi/alice/veth-alice'] });
	});

	it('chapter 3: with forwarding off, the walk says where and why the packet was dropped', async () => {
		const page = await terminalOn('03-');
		const typed = await typeLine(page, '@alice ping --trace -c 1 -W 1 192.168.2.2', { skip: true });
		expect(typed.exit).toBe(1);
		expect(await page.locator('.nb-tw-summary').textContent()).toBe('The echo request for 192.168.2.2 was dropped on the way.');
		const steps = await walkSteps(page);
		expect(find(steps, 'route', /Matched in table main: default via 192\.168\.1\.3 dev eth0/).ids).toEqual(['alice//eth0']);
		expect(find(steps, 'bridge', /floods the broadcast/).ids).toContain('eve//eth0');
		const drop = steps.at(-1)!;
		expect(drop.kind).toBe('drop');
		// The echo request is what eve drops (the ARP exchange before it went fine).
		expect(drop.leg).toBe('request');
		expect(steps.slice(-3).map((s) => `${s.kind}/${s.leg}`)).toEqual(['wire/request', 'bridge/request', 'drop/request']);
		expect(drop.text).toMatch(/Eve is not the destination and does not forward \(net\.ipv4\.ip_forward = 0\)/);
		expect(drop.ids).toEqual(['eve//eth0']);
		expect(await page.locator('.nb-tw-now').textContent()).toMatch(/^Step \d+ of \d+ \(drop\): Eve is not the destination/);
	});
});

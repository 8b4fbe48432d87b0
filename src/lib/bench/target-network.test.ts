// The SSH target's before/after check of the machine's network: this machine's real `ip -j`
// listings (read, never changed), compared with themselves and with a change made to a copy.
import { describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../book/paths.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { captureNetwork, networkChanges, type MachineNetwork } from './target-network.ts';

const copy = (n: MachineNetwork): MachineNetwork => JSON.parse(JSON.stringify(n)) as MachineNetwork;

describe('the machine network before and after', () => {
	const before = captureNetwork();

	it('reads interfaces, addresses and routes of the real namespace', () => {
		expect(before.link.length).toBeGreaterThanOrEqual(1);
		expect(before.link).toContainEqual(expect.objectContaining({ ifname: 'lo' }));
		expect(before.addr).toContainEqual(expect.objectContaining({ ifname: 'lo', addr_info: expect.arrayContaining([expect.objectContaining({ local: '127.0.0.1' })]) }));
		expect(Array.isArray(before.route)).toBe(true);
	});

	it('is unchanged when nothing changed, address lifetimes aside', () => {
		expect(networkChanges(before, captureNetwork())).toEqual([]);
		const aged = copy(before);
		for (const a of aged.addr as { addr_info: { valid_life_time?: number }[] }[]) for (const i of a.addr_info) if (i.valid_life_time !== undefined) i.valid_life_time -= 60;
		expect(networkChanges(before, aged)).toEqual([]);
	});

	it('names each entry that appeared or went, one line each', () => {
		// A lab interface as the kernel printed it (the real snapshot of chapter 1), as if it had leaked.
		const leaked = loadSnapshot(snapshotPath(ROOT, '01-two-machines-and-a-switch'))!.blocks.at(-1)!.state!['alice']!['']!.link[1];
		const after = copy(before);
		after.link.push(leaked);
		after.route.pop();
		const gone = before.route.at(-1);
		// In ip's order: links, then addresses, then routes.
		expect(networkChanges(before, after)).toEqual([`+ link ${JSON.stringify(leaked)}`, ...(gone ? [`- route ${JSON.stringify(gone)}`] : [])]);
	});
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotSchema, type Snapshot } from './schema.ts';
import { snapshotPath } from '../book/paths.ts';
import { formatSnapshot, readSnapshot, writeSnapshot } from './store.ts';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempRoot = (): string => {
	const d = mkdtempSync(join(tmpdir(), 'snapshot-store-'));
	dirs.push(d);
	return d;
};

/** A small snapshot: alice shows her link, bob's state holds a neighbour. */
const sample = (): Snapshot => ({
	chapter: '01-test',
	recorded: { kernel: '6.18', iproute2: '6.1.0', iptables: '1.8.9', arch: 'x86_64', os: 'Debian', date: '2026-01-01' },
	blocks: [
		{ key: '0000000000000001', line: 8, host: 'alice', steps: [{ cmd: 'ip link show eth0', stdout: '2: eth0: <UP>\n', stderr: '', exit: 0 }] },
		{
			key: '0000000000000002',
			line: 14,
			host: 'bob',
			steps: [{ cmd: 'ping -c 1 10.0.0.1', stdout: '64 bytes: time=0.087 ms\n', stderr: '', exit: 0 }],
			state: { bob: { '': { link: [{ ifname: 'eth0' }], addr: [], route: [], neigh: [{ dst: '10.0.0.1', dev: 'eth0', state: ['DELAY'] }] } } },
		},
	],
});

describe('snapshot files', () => {
	it('round-trips through the schema, with state entries one per line', () => {
		const root = tempRoot();
		const snap = sample();
		expect(writeSnapshot(root, snap)).toBe(true);
		const read = readSnapshot(snapshotPath(root, '01-test'));
		expect(read.status).toBe('ok');
		if (read.status === 'ok') expect(read.snapshot).toEqual(snapshotSchema.parse(snap));
		expect(formatSnapshot(snap)).toContain('\t\t\t\t\t\t\t{"dst":"10.0.0.1","dev":"eth0","state":["DELAY"]}');
	});

	it('does not touch a file whose text would not change', () => {
		const root = tempRoot();
		writeSnapshot(root, sample());
		const path = join(root, 'content/snapshots/01-test.json');
		const before = statSync(path).mtimeMs;
		expect(writeSnapshot(root, sample())).toBe(false);
		expect(statSync(path).mtimeMs).toBe(before);
	});

	it('reports an unreadable snapshot', () => {
		const root = tempRoot();
		writeSnapshot(root, sample());
		const path = join(root, 'content/snapshots/01-test.json');
		writeFileSync(path, readFileSync(path, 'utf8').replace('"exit": 0', '"exit": "zero"'));
		expect(readSnapshot(snapshotPath(root, '01-test')).status).toBe('invalid');
	});
});

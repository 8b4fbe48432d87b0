import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRun } from '../verify/test-fixtures.ts';
import { snapshotSchema } from './schema.ts';
import { snapshotPath } from '../book/paths.ts';
import { snapshotFromRun } from '../verify/update.ts';
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

describe('snapshot files', () => {
	it('round-trips through the schema, with state entries one per line', () => {
		const root = tempRoot();
		const snap = snapshotFromRun(sampleRun());
		expect(writeSnapshot(root, snap)).toBe(true);
		const read = readSnapshot(snapshotPath(root, '01-test'));
		expect(read.status).toBe('ok');
		if (read.status === 'ok') expect(read.snapshot).toEqual(snapshotSchema.parse(snap));
		expect(formatSnapshot(snap)).toContain('\t\t\t\t\t\t\t{"dst":"10.0.0.1","dev":"eth0","state":["DELAY"]}');
	});

	it('does not touch a file whose text would not change', () => {
		const root = tempRoot();
		writeSnapshot(root, snapshotFromRun(sampleRun()));
		const path = join(root, 'content/snapshots/01-test.json');
		const before = statSync(path).mtimeMs;
		expect(writeSnapshot(root, snapshotFromRun(sampleRun()))).toBe(false);
		expect(statSync(path).mtimeMs).toBe(before);
	});

	it('reports an unreadable snapshot', () => {
		const root = tempRoot();
		writeSnapshot(root, snapshotFromRun(sampleRun()));
		const path = join(root, 'content/snapshots/01-test.json');
		writeFileSync(path, readFileSync(path, 'utf8').replace('"exit": 0', '"exit": "zero"'));
		expect(readSnapshot(snapshotPath(root, '01-test')).status).toBe('invalid');
	});
});

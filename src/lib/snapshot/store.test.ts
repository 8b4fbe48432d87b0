import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRun } from './test-fixtures.ts';
import { snapshotSchema } from './schema.ts';
import { formatSnapshot, mergeForUpdate, readSnapshot, snapshotFromRun, writeSnapshot } from './store.ts';

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
		const read = readSnapshot(root, '01-test');
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
		expect(readSnapshot(root, '01-test').status).toBe('invalid');
	});
});

describe('mergeForUpdate', () => {
	it('keeps the old snapshot byte for byte when only MACs and times changed', () => {
		const old = snapshotFromRun(sampleRun());
		const merged = mergeForUpdate(sampleRun('b2:17:c0:99:00:ad', '5.5'), old);
		expect(formatSnapshot(merged)).toBe(formatSnapshot(old));
	});

	it('follows moved fence lines without taking new outputs', () => {
		const old = snapshotFromRun(sampleRun());
		const run = sampleRun('b2:17:c0:99:00:ad');
		(run.blocks[1] as { line: number }).line = 40;
		const merged = mergeForUpdate(run, old);
		expect(merged.blocks[1]?.line).toBe(40);
		expect(merged.blocks[0]?.steps[1]?.stdout).toContain('4e:8a:02:3b:12:34');
	});

	it('takes the new run when something changed, keeping blocks that differ only in times', () => {
		const old = snapshotFromRun(sampleRun());
		const run = sampleRun('b2:17:c0:99:00:ad', '7.7');
		(run.blocks[0]?.steps[1] as { stdout: string }).stdout += '    inet 10.0.0.1/24\n';
		const merged = mergeForUpdate(run, old);
		expect(merged.blocks[0]?.steps[1]?.stdout).toContain('b2:17:c0:99:00:ad');
		// Block 2 holds a MAC in its state, so it follows the new run too (MACs never mix).
		expect(merged.blocks[1]?.steps[0]?.stdout).toContain('7.7');
		const noMac = sampleRun('b2:17:c0:99:00:ad', '7.7');
		delete noMac.blocks[1]?.state;
		const oldNoMac = snapshotFromRun(sampleRun());
		delete oldNoMac.blocks[1]?.state;
		(noMac.blocks[0]?.steps[1] as { stdout: string }).stdout += 'changed\n';
		expect(mergeForUpdate(noMac, oldNoMac).blocks[1]?.steps[0]?.stdout).toContain('0.087');
	});
});

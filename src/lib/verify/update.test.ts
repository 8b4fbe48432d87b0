import { describe, expect, it } from 'vitest';
import { formatSnapshot } from '../snapshot/store.ts';
import { sampleRun } from './test-fixtures.ts';
import { mergeForUpdate, snapshotFromRun } from './update.ts';

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

import { describe, expect, it } from 'vitest';
import { relineSnapshot } from './reline.ts';
import type { Snapshot, SnapshotBlock } from './schema.ts';

const block = (key: string, line: number, stdout = `${key} output\n`): SnapshotBlock => ({ key, line, host: 'pi', steps: [{ cmd: 'true', stdout, stderr: '', exit: 0 }] });
const snapshot = (...blocks: SnapshotBlock[]): Snapshot => ({
	chapter: '07-x',
	recorded: { kernel: '6.12', iproute2: '6.15.0', iptables: '1.8.11 (nf_tables)', arch: 'aarch64', os: 'Debian', date: '2026-01-01' },
	blocks,
});

describe('relineSnapshot', () => {
	it('moves each block to the line of the chapter block with its key, and changes nothing else', () => {
		const old = snapshot(block('a', 10), block('b', 20), block('c', 30));
		const { snapshot: relined, moved, orphans } = relineSnapshot(old, [{ key: 'a', line: 10 }, { key: 'b', line: 52 }, { key: 'c', line: 61 }]);
		expect(relined.blocks.map((b) => b.line)).toEqual([10, 52, 61]);
		expect(moved).toEqual([{ key: 'b', from: 20, to: 52 }, { key: 'c', from: 30, to: 61 }]);
		expect(orphans).toEqual([]);
		expect(relined.blocks.map(({ line: _, ...rest }) => rest)).toEqual(old.blocks.map(({ line: _, ...rest }) => rest));
		expect(old.blocks.map((b) => b.line)).toEqual([10, 20, 30]);
	});

	it('pairs repeated blocks in order, as verify does', () => {
		const old = snapshot(block('a', 5), block('r', 99, 'first\n'), block('b', 120), block('r', 99, 'second\n'));
		const { snapshot: relined } = relineSnapshot(old, [{ key: 'a', line: 5 }, { key: 'r', line: 40 }, { key: 'b', line: 60 }, { key: 'r', line: 99 }]);
		expect(relined.blocks.map((b) => [b.key, b.line, b.steps[0]!.stdout])).toEqual([['a', 5, 'a output\n'], ['r', 40, 'first\n'], ['b', 60, 'b output\n'], ['r', 99, 'second\n']]);
	});

	it('leaves a block the chapter no longer has where it was, and says so; returns the same snapshot when nothing moved', () => {
		const old = snapshot(block('a', 5), block('gone', 9));
		const r = relineSnapshot(old, [{ key: 'a', line: 5 }]);
		expect(r.snapshot).toBe(old);
		expect(r.moved).toEqual([]);
		expect(r.orphans.map((o) => [o.key, o.line])).toEqual([['gone', 9]]);
	});
});

import { describe, expect, it } from 'vitest';
import { ddmin, type BatchTest } from './ddmin.ts';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A failure that needs 3, 7 and 12 together, in that order, and counts the candidates it saw. */
function needs(required: number[]): { test: BatchTest<number>; seen: number[][] } {
	const seen: number[][] = [];
	const passes = (c: number[]): boolean => {
		const at = required.map((r) => c.indexOf(r));
		return at.every((x) => x >= 0) && at.every((x, i) => i === 0 || x > (at[i - 1] ?? -1));
	};
	return {
		seen,
		test: async (candidates) => {
			seen.push(...candidates);
			return candidates.map(passes);
		},
	};
}

describe('ddmin', () => {
	it('finds the 1-minimal sub-list, keeping the order', async () => {
		const { test, seen } = needs([3, 7, 12]);
		const r = await ddmin(range(20), test, { budget: 200 });
		expect(r.items).toEqual([3, 7, 12]);
		expect(r.minimal).toBe(true);
		expect(r.tested).toBe(seen.length);
		// No candidate is tested twice.
		expect(new Set(seen.map((c) => c.join())).size).toBe(seen.length);
		// 1-minimal: removing any one item loses the failure.
		for (let i = 0; i < r.items.length; i++) expect((await test([r.items.filter((_, k) => k !== i)]))[0]).toBe(false);
	});

	it('finds the same in batches, with fewer calls', async () => {
		const one = await ddmin(range(30), needs([2, 17, 18, 29]).test, { budget: 500 });
		const four = await ddmin(range(30), needs([2, 17, 18, 29]).test, { budget: 500, batch: 4 });
		expect(four.items).toEqual([2, 17, 18, 29]);
		expect(four.items).toEqual(one.items);
		expect(four.calls).toBeLessThan(one.calls);
	});

	it('tries the empty list first', async () => {
		const { test, seen } = needs([]);
		const r = await ddmin(range(10), test, { budget: 5 });
		expect(r).toEqual({ items: [], calls: 1, tested: 1, minimal: true });
		expect(seen).toEqual([[]]);
	});

	it('stops at its budget and says the result is not proven minimal', async () => {
		const r = await ddmin(range(64), needs([5, 40, 63]).test, { budget: 10 });
		expect(r.calls).toBe(10);
		expect(r.minimal).toBe(false);
		expect(r.items).toEqual(expect.arrayContaining([5, 40, 63]));
		expect(r.items.length).toBeLessThan(64);
	});
});

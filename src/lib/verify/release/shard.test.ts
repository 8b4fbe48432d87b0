import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../../book/paths.ts';
import { loadBook } from '../../runbook/load.ts';
import { chapterWeights, copyShardOutputs, parseShard, planShards, shardChapters } from './shard.ts';

const book = loadBook();
const weights = chapterWeights();

describe('chapterWeights', () => {
	it("counts each chapter's runnable commands, in book order", () => {
		expect(weights.map((w) => w.id)).toEqual(book.map((c) => c.id));
		const commands = book.map((c) => c.blocks.filter((b) => b.runnable).flatMap((b) => b.commands).length);
		expect(weights.map((w) => w.commands)).toEqual(commands);
		expect(commands.every((n) => n > 0)).toBe(true);
	});
});

describe('planShards', () => {
	const total = weights.reduce((n, w) => n + w.commands, 0);
	const heaviest = Math.max(...weights.map((w) => w.commands));

	it.each([1, 2, 3, 4, 6, 13, 16])('puts every chapter of the book in exactly one of %i shards, balanced by commands', (count) => {
		const plan = planShards(weights, count);
		expect(plan).toHaveLength(count);
		expect(plan.flat().sort()).toEqual(weights.map((w) => w.id).sort());
		const loads = plan.map((ids) => ids.reduce((n, id) => n + (weights.find((w) => w.id === id)?.commands ?? 0), 0));
		expect(loads.reduce((a, b) => a + b, 0)).toBe(total);
		// Greedy to the lightest shard: no two shards differ by more than the longest chapter.
		expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(heaviest);
		if (count <= weights.length) expect(loads.every((n) => n > 0)).toBe(true);
		// Each shard in book order, so a shard's log reads like the book.
		for (const ids of plan) expect(ids).toEqual([...ids].sort());
	});

	it('is deterministic and does not depend on the order it is given', () => {
		expect(planShards(weights, 4)).toEqual(planShards(weights, 4));
		expect(planShards([...weights].reverse(), 4)).toEqual(planShards(weights, 4));
		// Ties: equal chapters go in book order to the lighter shards, whatever order they came in.
		const even = weights.map((w) => ({ id: w.id, commands: 10 }));
		expect(planShards([...even].reverse(), 2)).toEqual(planShards(even, 2));
	});

	it('refuses a count that is no whole number', () => {
		expect(() => planShards(weights, 0)).toThrow(/whole number of shards/);
		expect(() => planShards(weights, 1.5)).toThrow(/whole number of shards/);
	});
});

describe('parseShard and shardChapters', () => {
	it('reads K/N and names the mistake otherwise', () => {
		expect(parseShard('2/4')).toEqual({ ok: true, shard: { index: 2, count: 4 } });
		for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/2'])
			expect(parseShard(bad)).toEqual({ ok: false, error: `--shard needs K/N with 1 ≤ K ≤ N (such as 2/4), not "${bad}"` });
	});

	it('gives shard K the K-th part of the plan', () => {
		const plan = planShards(weights, 3);
		expect([1, 2, 3].map((index) => shardChapters(weights, { index, count: 3 }))).toEqual(plan);
	});
});

describe('copyShardOutputs', () => {
	const out = mkdtempSync(join(tmpdir(), 'netbook-shard-out-'));
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it("copies the shard's chapters of a set to OUT/<set>/ byte for byte, and names the ones missing", () => {
		const ids = shardChapters(weights, { index: 1, count: 4 });
		const { copied, missing } = copyShardOutputs(ROOT, 'local', [...ids, '99-not-recorded'], out);
		expect(copied).toEqual(ids);
		expect(missing).toEqual(['99-not-recorded']);
		for (const id of ids) expect(readFileSync(join(out, 'local', `${id}.json`), 'utf8')).toBe(readFileSync(snapshotPath(ROOT, id), 'utf8'));
		expect(copyShardOutputs(ROOT, 'vm:arm64', [], out)).toEqual({ copied: [], missing: [] });
		expect(existsSync(join(out, 'vm-arm64'))).toBe(true);
	});
});

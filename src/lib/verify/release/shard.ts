/**
 * Splitting the book across the release workflow's jobs: which chapters shard K of N runs, and
 * the folder of snapshots a shard hands on to the gather job.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotPath, snapshotSetName } from '../../book/paths.ts';
import { runnableBlocks } from '../../engines/engine.ts';
import { loadBook } from '../../runbook/load.ts';

/** A chapter and what it costs to run: its runnable commands. */
export interface ChapterWeight {
	id: string;
	commands: number;
}

/** Shard K of N, 1-based, as `--shard K/N` spells it. */
export interface ShardSpec {
	index: number;
	count: number;
}

/** The book's chapters in order, each with the number of commands verify runs for it. */
export function chapterWeights(root?: string): ChapterWeight[] {
	return loadBook(root).map((c) => ({ id: c.id, commands: runnableBlocks(c).reduce((n, b) => n + b.commands.length, 0) }));
}

/**
 * Reads `K/N` (1 ≤ K ≤ N). Returns the shard, or an error naming what is wrong: a value, never a
 * throw, so the CLI prints it as its one line.
 */
export function parseShard(text: string): { ok: true; shard: ShardSpec } | { ok: false; error: string } {
	const m = /^(\d+)\/(\d+)$/.exec(text);
	const index = Number(m?.[1]);
	const count = Number(m?.[2]);
	if (!m || !(count >= 1) || !(index >= 1) || index > count)
		return { ok: false, error: `--shard needs K/N with 1 ≤ K ≤ N (such as 2/4), not "${text}"` };
	return { ok: true, shard: { index, count } };
}

/**
 * Splits chapters into `count` shards balanced by command count: the longest chapter first, each
 * to the shard with the fewest commands so far (ties: the lower shard; chapters of equal length
 * in book order, so the plan does not depend on the order the chapters come in). That keeps any
 * two shards within one chapter's commands of each other. Deterministic, every chapter in exactly
 * one shard, each shard's chapters in book order; a shard is empty only when there are more
 * shards than chapters.
 */
export function planShards(chapters: readonly ChapterWeight[], count: number): string[][] {
	if (!Number.isInteger(count) || count < 1) throw new RangeError(`a plan needs a whole number of shards ≥ 1, not ${count}`);
	// Chapter ids start with their number, so sorting by id is book order whatever order they came in.
	const byId = (a: ChapterWeight, b: ChapterWeight): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	const load = new Array<number>(count).fill(0);
	const shards: ChapterWeight[][] = Array.from({ length: count }, () => []);
	for (const chapter of [...chapters].sort((a, b) => b.commands - a.commands || byId(a, b))) {
		const lightest = load.indexOf(Math.min(...load));
		load[lightest] = (load[lightest] ?? 0) + chapter.commands;
		shards[lightest]?.push(chapter);
	}
	return shards.map((s) => s.sort(byId).map((c) => c.id));
}

/** The chapters of one shard of the book. */
export function shardChapters(chapters: readonly ChapterWeight[], shard: ShardSpec): string[] {
	return planShards(chapters, shard.count)[shard.index - 1] ?? [];
}

/**
 * Copies what a shard recorded into `out/<set>/<chapter>.json`, the layout `gather` reads: `set`
 * is the snapshot set the run wrote (`--save-as`, or the target's own: `local`, `vm-arm64`…).
 * Returns the chapters whose snapshot was missing (the run failed before writing it).
 */
export function copyShardOutputs(root: string, set: string, chapters: readonly string[], out: string): { copied: string[]; missing: string[] } {
	const name = snapshotSetName(set);
	const dir = join(out, name);
	mkdirSync(dir, { recursive: true });
	const copied: string[] = [];
	const missing: string[] = [];
	for (const id of chapters) {
		const from = snapshotPath(root, id, name);
		if (!existsSync(from)) {
			missing.push(id);
			continue;
		}
		copyFileSync(from, join(dir, `${id}.json`));
		copied.push(id);
	}
	return { copied, missing };
}

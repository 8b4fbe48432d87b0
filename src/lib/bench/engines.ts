import type { Engine } from '../engines/engine.ts';
import type { Lab } from '../shared/lab.ts';
import type { Chapter } from '../runbook/types.ts';
import { median, round } from './stats.ts';

/** One chapter timed on one engine. */
export interface ChapterTiming {
	chapter: string;
	commands: number;
	/** Median wall time in ms over the runs. */
	ms: number;
}

/** The whole book timed on one engine. */
export interface BookTiming {
	engine: string;
	runs: number;
	/** Median over the runs of the sum of chapter wall times (chapters one after another), ms. */
	totalMs: number;
	commands: number;
	commandsPerSecond: number;
	chapters: ChapterTiming[];
}

/**
 * Runs every chapter on `engine` `runs` times, one chapter at a time so figures are not mixed
 * with parallelism, and reports medians. A chapter that fails to run throws: a benchmark of a
 * broken book is meaningless.
 */
export async function timeBook(engine: Engine, book: readonly { chapter: Chapter; lab: Lab }[], runs: number): Promise<BookTiming> {
	const perChapter = new Map<string, number[]>();
	const totals: number[] = [];
	for (let r = 0; r < runs; r++) {
		let total = 0;
		for (const { chapter, lab } of book) {
			const t0 = performance.now();
			await engine.run(chapter, lab);
			const ms = performance.now() - t0;
			total += ms;
			perChapter.set(chapter.id, [...(perChapter.get(chapter.id) ?? []), ms]);
		}
		totals.push(total);
	}
	const commands = book.reduce((n, { chapter }) => n + countCommands(chapter), 0);
	const totalMs = median(totals);
	return {
		engine: engine.name,
		runs,
		totalMs: round(totalMs, 0),
		commands,
		commandsPerSecond: round(commands / (totalMs / 1000), 1),
		chapters: book.map(({ chapter }) => ({
			chapter: chapter.id,
			commands: countCommands(chapter),
			ms: round(median(perChapter.get(chapter.id) ?? [0]), 1),
		})),
	};
}

/** Commands the engines run in a chapter (norun blocks excluded). */
function countCommands(chapter: Chapter): number {
	return chapter.blocks.filter((b) => b.runnable).reduce((n, b) => n + b.commands.length, 0);
}

/**
 * Cost of a sandbox with nothing to do: build the lab, capture its state, tear it down.
 * Median of `runs`, in ms.
 */
export async function timeEmptyLab(engine: Engine, lab: Lab, runs: number): Promise<number> {
	const empty: Chapter = { id: 'bench-empty', file: 'bench-empty.mdx', title: 'empty', description: 'empty', lab: lab.name, checks: [], blocks: [] };
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		await engine.run(empty, lab);
		times.push(performance.now() - t0);
	}
	return round(median(times), 0);
}

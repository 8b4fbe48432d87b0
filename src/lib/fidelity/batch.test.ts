import { describe, expect, it } from 'vitest';
import { loadLab } from '../book/labs.ts';
import { createSimEngine } from '../engines/sim/sim-engine.ts';
import { normaliseBlock } from '../snapshot/blocks.ts';
import { createNormaliseContext } from '../snapshot/normalise.ts';
import type { ChapterResult } from '../engines/engine.ts';
import { batchSteps, canBatch, copyName, replicateLab, splitBatch } from './batch.ts';
import { generateScenarios } from './runner.ts';
import { scenarioChapter } from './scenario.ts';

/** A run's steps and final state, normalised as compare.ts normalises them. */
function normalised(r: ChapterResult): unknown {
	const ctx = createNormaliseContext();
	const blocks = r.blocks.map((b) => normaliseBlock(b, ctx));
	return { steps: blocks.flatMap((b) => b.steps), hosts: r.blocks.map((b) => b.host), state: blocks.at(-1)?.state };
}

describe('candidates in one run', () => {
	it('copies hosts and switches, each copy on switches of its own', () => {
		const lab = loadLab('forwarding');
		const big = replicateLab(lab, 3);
		expect(big.hosts.map((h) => h.name)).toEqual(['alice', 'eve', 'bob', 'alice-c1', 'eve-c1', 'bob-c1', 'alice-c2', 'eve-c2', 'bob-c2']);
		expect(big.hosts.find((h) => h.name === 'eve-c2')?.interfaces.map((i) => i.switch)).toEqual(['switch1-c2', 'switch2-c2']);
		expect(big.switches).toHaveLength(6);
		expect(copyName('charlie', 12)).toBe('charlie-c12');
		expect(canBatch(lab)).toBe(true);
		expect(canBatch(loadLab('machine'))).toBe(false);
	});

	it('gives each candidate what a run of its own gives (in the simulator)', async () => {
		const sim = createSimEngine();
		for (const name of ['two-hosts', 'router']) {
			const lab = loadLab(name);
			const candidates = generateScenarios(5, 3, [lab], { minSteps: 10, maxSteps: 20 }).map(({ scenario }) => scenario.steps);
			const big = replicateLab(lab, candidates.length);
			const batch = await sim.run(scenarioChapter(big, 'test/0', batchSteps(candidates)), big, { compared: { set: 'local' } });
			const parts = splitBatch(batch, lab, candidates);
			expect(parts).toHaveLength(3);
			for (const [j, steps] of candidates.entries()) {
				const alone = await sim.run(scenarioChapter(lab, 'test/0', steps), lab, { compared: { set: 'local' } });
				const part = parts[j] as ChapterResult;
				expect(part.blocks.flatMap((b) => b.steps.map((s) => s.cmd))).toEqual(steps.map((s) => s.cmd));
				// Only the wires' side of each host interface may differ between copies: its ifindex in the
				// hidden namespace (`eth0@if5` or `eth0@if11`, and the columns of `-br` after it).
				const wires = (v: unknown): string => JSON.stringify(v).replace(/@if\d+ */g, '@ifN ').replace(/\\"link_index\\":\d+/g, '"link_index":N');
				expect(wires(normalised(part))).toEqual(wires(normalised(alone)));
			}
		}
	});
});

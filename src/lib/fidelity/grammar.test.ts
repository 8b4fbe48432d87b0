import { describe, expect, it } from 'vitest';
import { labNames, loadLab } from '../book/labs.ts';
import { generateScenario } from './grammar.ts';
import { createRng } from './prng.ts';
import { generateScenarios } from './runner.ts';
import { scenarioChapter, scenarioText } from './scenario.ts';

const labs = labNames().map((n) => loadLab(n));
const texts = (seed: number, count: number): string[] => generateScenarios(seed, count, labs).map(({ scenario }) => scenarioText(scenario.lab, scenario.steps));

describe('the seeded generator', () => {
	it('draws the same sequence from the same seed, another from another', () => {
		const draw = (seed: number): number[] => {
			const rng = createRng(seed);
			return Array.from({ length: 20 }, () => rng.int(1000));
		};
		expect(draw(42)).toEqual(draw(42));
		expect(draw(42)).not.toEqual(draw(43));
		const rng = createRng(1);
		for (let i = 0; i < 1000; i++) {
			const x = rng.between(3, 5);
			expect(x >= 3 && x <= 5 && Number.isInteger(x)).toBe(true);
		}
	});
});

describe('the grammar', () => {
	it('gives the same scenarios for the same seed, others for another seed', () => {
		expect(texts(1, 10)).toEqual(texts(1, 10));
		expect(texts(2, 10)).not.toEqual(texts(1, 10));
		// A scenario does not depend on how many come after it.
		expect(texts(1, 3)).toEqual(texts(1, 10).slice(0, 3));
	});

	it('makes scenarios of 20–50 commands that parse as chapters, one block per run on a host', () => {
		const all = generateScenarios(3, 40, labs);
		expect(new Set(all.map(({ lab }) => lab.name)).size).toBe(labs.length);
		for (const { scenario, lab } of all) {
			expect(scenario.steps.length).toBeGreaterThanOrEqual(20);
			expect(scenario.steps.length).toBeLessThanOrEqual(50);
			const chapter = scenarioChapter(lab, scenario.id, scenario.steps);
			expect(chapter.blocks.flatMap((b) => b.commands.map((c) => c.text))).toEqual(scenario.steps.map((s) => s.cmd));
			expect(chapter.blocks.map((b) => b.host)).toEqual(scenario.steps.filter((s, i) => scenario.steps[i - 1]?.host !== s.host).map((s) => s.host));
		}
	});

	it('draws about a fifth invalid forms, and varied ones', () => {
		const steps = generateScenarios(4, 60, labs).flatMap(({ scenario }) => scenario.steps);
		const invalid = steps.filter((s) => s.invalid);
		expect(invalid.length / steps.length).toBeGreaterThan(0.15);
		expect(invalid.length / steps.length).toBeLessThan(0.25);
		expect(new Set(invalid.map((s) => s.cmd.split(' ').slice(0, 3).join(' '))).size).toBeGreaterThan(15);
	});

	it('names the links and namespaces that earlier commands made', () => {
		let uses = 0;
		for (let seed = 0; seed < 30; seed++) {
			const lab = loadLab('machine');
			const { steps } = generateScenario(createRng(seed), lab, `${seed}/0`, { invalidShare: 0 });
			steps.forEach((s, i) => {
				const before = steps.slice(0, i).map((x) => x.cmd).join('\n');
				for (const m of s.cmd.matchAll(/(?:link set|dev|master) (v[a-g]|br[01])\b/g)) {
					uses++;
					expect(before, `${seed}: ${s.cmd}`).toMatch(new RegExp(`(?:link add|peer name) ${m[1]}\\b`));
				}
				for (const m of s.cmd.matchAll(/(?:-n|netns exec|netns) (red|blue|green)\b/g)) {
					uses++;
					if (!/^ip netns add/.test(s.cmd)) expect(before, `${seed}: ${s.cmd}`).toContain(`ip netns add ${m[1]}`);
				}
			});
		}
		expect(uses).toBeGreaterThan(100);
	});
});

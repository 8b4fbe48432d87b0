/**
 * The differential run: each generated scenario on the real kernel (the sealed local sandbox)
 * and on the simulator imitating this machine, compared as verify compares a chapter; the first
 * divergence of each scenario is then minimised by delta debugging over its commands, every
 * candidate re-run on both engines.
 */
import type { ChapterResult, Engine } from '../engines/engine.ts';
import type { Lab } from '../shared/lab.ts';
import { batchSteps, canBatch, replicateLab, splitBatch } from './batch.ts';
import { compareRuns, type Comparison, type Divergence } from './compare.ts';
import { ddmin } from './ddmin.ts';
import { generateScenario, type GrammarOptions } from './grammar.ts';
import { createRng } from './prng.ts';
import { scenarioChapter, type Scenario, type ScenarioStep } from './scenario.ts';

/** The two engines compared: the kernel's and the simulator's. */
export interface FidelityEngines {
	kernel: Engine;
	sim: Engine;
}

/** Options of {@link runFidelity}. */
export interface FidelityOptions {
	/** Number of scenarios. */
	scenarios: number;
	seed: number;
	/** Labs to draw from (each scenario picks one), by name. */
	labs: readonly Lab[];
	/** Kernel runs a scenario's minimisation may take (default 40). */
	budget?: number;
	/** Candidates per kernel run during minimisation, on labs that can be copied (default 4). */
	batch?: number;
	/** Per-command timeout on the kernel, seconds (default 15). */
	timeoutSec?: number;
	grammar?: GrammarOptions;
	/** Called as the run goes (progress on a terminal). */
	onEvent?: (event: FidelityEvent) => void;
}

/** Progress of a run. */
export type FidelityEvent =
	| { kind: 'scenario'; index: number; scenario: Scenario }
	| { kind: 'compared'; index: number; scenario: Scenario; outcome: ScenarioOutcome }
	| { kind: 'minimised'; index: number; scenario: Scenario; outcome: ScenarioOutcome };

/** A divergence reduced by ddmin: the fewest commands that still diverge at their last. */
export interface Minimised {
	steps: ScenarioStep[];
	divergence: Divergence;
	/** Kernel runs the minimisation took, and candidates tried. */
	kernelRuns: number;
	candidates: number;
	/** Removing any one command loses the divergence (false: the budget ran out first). */
	minimal: boolean;
	/**
	 * The minimised scenario, replayed once more on its own, diverged again the same way. False
	 * marks a divergence that comes and goes with the kernel's draws or timing (a bridge taking
	 * the lowest of its ports' random MACs, a ping's reply late on a loaded machine).
	 */
	confirmed?: boolean;
}

/** What one scenario gave. */
export interface ScenarioOutcome {
	scenario: Scenario;
	/** Commands compared in the full run (up to and including the first divergence). */
	compared: number;
	/** Commands that differed only in a neighbour state that time decides. */
	timing: number;
	divergence?: Divergence;
	minimised?: Minimised;
	kernelRuns: number;
}

/** A whole run. */
export interface FidelityReport {
	seed: number;
	outcomes: ScenarioOutcome[];
}

/** The seed of scenario `index` of a run seeded `seed` (one independent stream per scenario). */
export function scenarioSeed(seed: number, index: number): number {
	return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** The scenarios of a run: the same seed and labs, the same scenarios. */
export function generateScenarios(seed: number, count: number, labs: readonly Lab[], grammar: GrammarOptions = {}): { scenario: Scenario; lab: Lab }[] {
	return Array.from({ length: count }, (_, i) => {
		const rng = createRng(scenarioSeed(seed, i));
		const lab = rng.pick(labs);
		return { scenario: generateScenario(rng, lab, `${seed}/${i}`, grammar), lab };
	});
}

/** Runs candidates of one scenario on both engines and compares each pair; counts kernel runs. */
export class CandidateRunner {
	kernelRuns = 0;
	constructor(
		private readonly engines: FidelityEngines,
		private readonly timeoutSec = 15,
	) {}

	/** One run of `steps` on `lab`, both engines, and their comparison. */
	async one(lab: Lab, id: string, steps: readonly ScenarioStep[], tag = ''): Promise<Comparison & { kernel: ChapterResult }> {
		const chapter = scenarioChapter(lab, id, steps, tag);
		this.kernelRuns++;
		const kernel = await this.engines.kernel.run(chapter, lab, { timeoutSec: this.timeoutSec });
		const sim = await this.engines.sim.run(chapter, lab, { compared: { set: 'local', recorded: kernel.recorded } });
		return { ...compareRuns(kernel, sim), kernel };
	}

	/** Several candidates: in one kernel run on a copied lab when the lab allows, else one run each. */
	async many(lab: Lab, id: string, candidates: readonly ScenarioStep[][], tag: string): Promise<Comparison[]> {
		if (candidates.length === 1 || !canBatch(lab)) {
			const out: Comparison[] = [];
			for (const [j, c] of candidates.entries()) out.push(await this.one(lab, id, c, `${tag}-${j}`));
			return out;
		}
		const big = replicateLab(lab, candidates.length);
		const chapter = scenarioChapter(big, id, batchSteps(candidates), tag);
		this.kernelRuns++;
		const kernel = await this.engines.kernel.run(chapter, big, { timeoutSec: this.timeoutSec });
		const sim = await this.engines.sim.run(chapter, big, { compared: { set: 'local', recorded: kernel.recorded } });
		const ks = splitBatch(kernel, lab, candidates);
		const ss = splitBatch(sim, lab, candidates);
		return ks.map((k, j) => compareRuns(k, ss[j] as ChapterResult));
	}
}

const sameFields = (a: Divergence, b: Divergence): boolean => a.fields.join() === b.fields.join();

/**
 * Minimises a scenario's first divergence: ddmin over the commands before it, the divergent
 * command always last; a candidate passes when its first divergence is its last command, in the
 * same fields (exit, stdout, stderr, state) as the original's. A divergence of the state after
 * the last command belongs to no command: there ddmin runs over every command, and a candidate
 * passes when its commands all match and its state still differs.
 */
export async function minimise(runner: CandidateRunner, lab: Lab, scenario: Scenario, divergence: Divergence, options: { budget: number; batch: number }): Promise<Minimised> {
	const whole = divergence.fields.includes('state');
	const last = whole ? [] : [scenario.steps[divergence.step] as ScenarioStep];
	const pool = scenario.steps.slice(0, whole ? scenario.steps.length : divergence.step).map((_, i) => i);
	const build = (idx: readonly number[]): ScenarioStep[] => [...idx.map((i) => scenario.steps[i] as ScenarioStep), ...last];
	const found = new Map<string, Divergence>();
	const runsBefore = runner.kernelRuns;
	let round = 0;
	const result = await ddmin(
		pool,
		async (candidates) => {
			// A scenario with no command has no state to compare: it never passes, and is never run.
			const runnable = candidates.filter((c) => build(c).length > 0);
			const runs = runnable.length ? await runner.many(lab, scenario.id, runnable.map(build), `m${round++}`) : [];
			return candidates.map((c) => {
				const k = runnable.indexOf(c);
				const d = k < 0 ? undefined : runs[k]?.divergence;
				const ok = d !== undefined && d.step === build(c).length - 1 && sameFields(d, divergence);
				if (ok) found.set(JSON.stringify(c), d);
				return ok;
			});
		},
		{ budget: options.budget, batch: canBatch(lab) ? options.batch : 1 },
	);
	return {
		steps: build(result.items),
		divergence: found.get(JSON.stringify(result.items)) ?? divergence,
		kernelRuns: runner.kernelRuns - runsBefore,
		candidates: result.tested,
		minimal: result.minimal,
	};
}

/** Generates, runs, compares and minimises `options.scenarios` scenarios. */
export async function runFidelity(engines: FidelityEngines, options: FidelityOptions): Promise<FidelityReport> {
	const outcomes: ScenarioOutcome[] = [];
	const budget = options.budget ?? 40;
	const batch = options.batch ?? 4;
	for (const [index, { scenario, lab }] of generateScenarios(options.seed, options.scenarios, options.labs, options.grammar).entries()) {
		options.onEvent?.({ kind: 'scenario', index, scenario });
		const runner = new CandidateRunner(engines, options.timeoutSec);
		const full = await runner.one(lab, scenario.id, scenario.steps);
		const outcome: ScenarioOutcome = { scenario, compared: full.compared, timing: full.timing, kernelRuns: 1, ...(full.divergence ? { divergence: full.divergence } : {}) };
		options.onEvent?.({ kind: 'compared', index, scenario, outcome });
		if (full.divergence) {
			const m = await minimise(runner, lab, scenario, full.divergence, { budget, batch });
			const replay = await runner.one(lab, scenario.id, m.steps, 'replay');
			m.confirmed = replay.divergence !== undefined && replay.divergence.step === m.steps.length - 1 && sameFields(replay.divergence, m.divergence);
			outcome.minimised = m;
			outcome.kernelRuns = runner.kernelRuns;
			options.onEvent?.({ kind: 'minimised', index, scenario, outcome });
		}
		outcomes.push(outcome);
	}
	return { seed: options.seed, outcomes };
}

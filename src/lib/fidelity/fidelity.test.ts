// The fuzzer on the real kernel (the sealed local sandbox) and the simulator. Like the sandbox's
// own tests (src/lib/engines/local/sandbox.test.ts) these need root on Linux and FAIL without it,
// never skip: a fuzzer test that silently compares nothing proves nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLab } from '../book/labs.ts';
import type { Engine } from '../engines/engine.ts';
import { createKernelEngine } from '../engines/local/local.ts';
import { createSimEngine } from '../engines/sim/sim-engine.ts';
import { figures, formatReport } from './report.ts';
import { CandidateRunner, generateScenarios, minimise, runFidelity, type FidelityEngines } from './runner.ts';
import { scenarioText, type Scenario } from './scenario.ts';

beforeAll(() => {
	if (process.platform !== 'linux' || process.getuid?.() !== 0)
		throw new Error('the fidelity tests run the real kernel in the sealed sandbox, which needs root on Linux: run them as root, as CI does. They are never skipped.');
});

const engines: FidelityEngines = { kernel: createKernelEngine(), sim: createSimEngine() };
const labs = [loadLab('machine'), loadLab('two-hosts')];

describe('a fixed-seed run on the kernel and the simulator', () => {
	it('reports exactly the divergences it found, each minimised one still diverging when replayed', async () => {
		const options = { scenarios: 3, seed: 11, labs, budget: 12, grammar: { minSteps: 8, maxSteps: 12, invalidShare: 0.4 } };
		const report = await runFidelity(engines, options);
		// The scenarios are the seed's, and every one was compared up to its first divergence or to its end.
		expect(report.outcomes.map((o) => o.scenario)).toEqual(generateScenarios(11, 3, labs, options.grammar).map((x) => x.scenario));
		for (const o of report.outcomes) expect(o.compared).toBe(o.divergence ? o.divergence.step + 1 : o.scenario.steps.length);
		const f = figures(report);
		expect(f.compared).toBeGreaterThan(0);
		const diverged = report.outcomes.filter((o) => o.divergence);
		expect(f.divergences).toBe(diverged.length);
		expect([...f.byKind.values()].flat()).toHaveLength(diverged.length);
		const text = formatReport(report);
		expect(text).toContain(`seed 11, 3 scenarios, ${f.commands} commands`);
		expect(text).toContain(`${diverged.length} divergences`);
		for (const o of report.outcomes) {
			const listed = text.includes(`${o.scenario.id} [${o.scenario.lab}] first divergence `);
			expect(listed).toBe(o.divergence !== undefined);
		}
		const runner = new CandidateRunner(engines);
		for (const o of diverged) {
			const m = o.minimised;
			expect(m).toBeDefined();
			if (!m || !o.divergence) continue;
			expect(text).toContain(scenarioText(o.scenario.lab, m.steps).trimEnd().replace(/^/gm, '    '));
			// The divergent command stays last (a divergence of the final state belongs to no command).
			if (!o.divergence.fields.includes('state')) expect(m.steps.at(-1)).toEqual(o.scenario.steps[o.divergence.step]);
			expect(m.steps.length).toBeLessThanOrEqual(o.divergence.step + 1);
			const lab = labs.find((l) => l.name === o.scenario.lab);
			if (!lab) throw new Error(`no lab ${o.scenario.lab}`);
			expect(typeof m.confirmed).toBe('boolean');
			const replay = await runner.one(lab, o.scenario.id, m.steps, 'replay');
			expect(replay.divergence?.step, `${o.scenario.id} replayed:\n${scenarioText(o.scenario.lab, m.steps)}`).toBe(m.steps.length - 1);
			expect(replay.divergence?.fields).toEqual(o.divergence.fields);
		}
	}, 240_000);
});

/** The simulator, made to misspell the device `va` wherever it prints it: a divergence that needs `va` to exist. */
function misspellingSim(): Engine {
	const sim = createSimEngine();
	return {
		name: 'sim',
		async run(chapter, lab, options) {
			const r = await sim.run(chapter, lab, options);
			for (const b of r.blocks) for (const s of b.steps) s.stdout = s.stdout.replace(/\bva\b/g, 'vq');
			return r;
		},
	};
}

describe('minimising on the kernel', () => {
	it.each([
		['machine', 'one candidate per kernel run: its upstream cannot be copied'],
		['two-hosts', 'candidates batched in one kernel run'],
	])('keeps only the commands a divergence needs (%s, %s)', async (name) => {
		const lab = loadLab(name);
		const host = lab.hosts[0]?.name ?? '';
		const cmds = ['ip netns add red', 'ip link add va type veth peer name vb', 'sysctl -w net.ipv4.ip_forward=1', 'ip link add br0 type bridge', 'ip -br addr', 'ip link set va up', 'ip -br link show va'];
		const scenario: Scenario = { id: 'test/0', lab: name, steps: cmds.map((cmd) => ({ host, cmd })) };
		const runner = new CandidateRunner({ kernel: engines.kernel, sim: misspellingSim() });
		const full = await runner.one(lab, scenario.id, scenario.steps);
		// `ip -br addr` (step 5) is the first to print va.
		expect(full.divergence?.step).toBe(4);
		expect(full.divergence?.fields).toEqual(['stdout']);
		if (!full.divergence) return;
		const m = await minimise(runner, lab, scenario, full.divergence, { budget: 20, batch: 4 });
		expect(m.steps.map((s) => s.cmd)).toEqual(['ip link add va type veth peer name vb', 'ip -br addr']);
		expect(m.minimal).toBe(true);
		expect(m.kernelRuns).toBeLessThanOrEqual(20);
		expect(m.divergence.diff).toContain('vq');
	}, 120_000);
});

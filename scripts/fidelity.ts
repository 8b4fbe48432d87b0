// npm run fidelity -- --scenarios N --seed S [--lab NAME]… [--budget RUNS] [--batch K] [--invalid-share P] [--json FILE] [--verbose]
// A differential fuzzer: generated scenarios run on the real kernel (the sealed local sandbox, needs
// root) and on the simulator imitating this machine, compared as verify compares a chapter; each
// scenario's first divergence is minimised by delta debugging. See docs/fidelity.md.
// Exit codes: 0 no divergence, 1 divergences found, 2 bad input or the kernel engine refused to run.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { labNames, loadLab } from '../src/lib/book/labs.ts';
import { EngineRefusedError } from '../src/lib/engines/engine.ts';
import { createKernelEngine } from '../src/lib/engines/local/local.ts';
import { createSimEngine } from '../src/lib/engines/sim/sim-engine.ts';
import { formatOutcome, formatReport } from '../src/lib/fidelity/report.ts';
import { runFidelity } from '../src/lib/fidelity/runner.ts';
import { scenarioText } from '../src/lib/fidelity/scenario.ts';

const USAGE = 'usage: npm run fidelity -- --scenarios N --seed S [--lab NAME]… [--budget RUNS] [--batch K] [--invalid-share P] [--json FILE] [--verbose]';
const fail = (message: string): never => {
	process.stderr.write(`fidelity: ${message}\n`);
	process.exit(2);
};

let args;
try {
	args = parseArgs({
		options: {
			scenarios: { type: 'string', default: '10' },
			seed: { type: 'string', default: '1' },
			lab: { type: 'string', multiple: true },
			budget: { type: 'string', default: '40' },
			batch: { type: 'string', default: '4' },
			timeout: { type: 'string', default: '15' },
			'invalid-share': { type: 'string', default: '0.2' },
			json: { type: 'string' },
			verbose: { type: 'boolean', short: 'v' },
			help: { type: 'boolean', short: 'h' },
		},
		allowPositionals: false,
	}).values;
} catch (e) {
	fail(`${(e as Error).message}\n  ${USAGE}`);
}
if (!args) process.exit(2);
if (args.help) {
	process.stdout.write(
		`${USAGE}\n` +
			'  --scenarios N  scenarios to generate and run (default 10)\n' +
			'  --seed S       the seed: the same seed, the same scenarios and report (default 1)\n' +
			`  --lab NAME     draw scenarios only on this lab (repeatable; default all: ${labNames().join(', ')})\n` +
			'  --budget RUNS  kernel runs one minimisation may take (default 40)\n' +
			'  --batch K      candidates per kernel run while minimising, on labs without an upstream (default 4)\n' +
			'  --timeout SEC  per-command timeout on the kernel (default 15)\n' +
			'  --invalid-share P  share of invalid forms, 0–1 (default 0.2; lower it to look past error wording)\n' +
			'  --json FILE    also write the report as JSON\n' +
			'  --verbose      print each scenario before it runs\n',
	);
	process.exit(0);
}
const int = (name: string, value: string, min: number): number => {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min) fail(`--${name} ${value}: expected an integer ≥ ${min}`);
	return n;
};
const scenarios = int('scenarios', args.scenarios, 1);
const seed = int('seed', args.seed, 0);
let labs;
try {
	labs = (args.lab ?? labNames()).map((name) => loadLab(name));
} catch (e) {
	fail((e as Error).message);
}
if (!labs) process.exit(2);
const invalidShare = Number(args['invalid-share']);
if (!(invalidShare >= 0 && invalidShare <= 1)) fail(`--invalid-share ${args['invalid-share']}: expected a number from 0 to 1`);

const started = Date.now();
const log = (line: string): void => void process.stderr.write(`${line}\n`);
try {
	const report = await runFidelity(
		{ kernel: createKernelEngine(), sim: createSimEngine() },
		{
			scenarios,
			seed,
			labs,
			budget: int('budget', args.budget, 0),
			batch: int('batch', args.batch, 1),
			timeoutSec: int('timeout', args.timeout, 1),
			grammar: { invalidShare },
			onEvent: (e) => {
				const at = `[${e.index + 1}/${scenarios}] ${e.scenario.id}`;
				if (e.kind === 'scenario') {
					log(`${at} ${e.scenario.lab}, ${e.scenario.steps.length} commands`);
					if (args.verbose) log(scenarioText(e.scenario.lab, e.scenario.steps).trimEnd().replace(/^/gm, '    '));
				} else if (e.kind === 'compared') {
					const d = e.outcome.divergence;
					log(d ? `  ✗ diverges at command ${d.step + 1} (${d.fields.join(', ')}): ${e.outcome.scenario.steps[d.step]?.cmd}` : `  ✓ ${e.outcome.compared} commands match`);
				} else {
					const m = e.outcome.minimised;
					log(`  minimised to ${m?.steps.length} command${m?.steps.length === 1 ? '' : 's'} in ${m?.kernelRuns} kernel run${m?.kernelRuns === 1 ? '' : 's'}`);
					if (args.verbose) log(formatOutcome(e.outcome).replace(/^/gm, '    '));
				}
			},
		},
	);
	process.stdout.write(formatReport(report));
	log(`fidelity: ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, '\t')}\n`);
	process.exit(report.outcomes.some((o) => o.divergence) ? 1 : 0);
} catch (e) {
	if (e instanceof EngineRefusedError) fail(e.message);
	throw e;
}

// npm run bench -- [--runs N] [--only site,lighthouse,verify,sim,targets] [--targets local,vm:arm64,vm:x86_64,ssh]
// Measures what the book costs readers and maintainers on this machine; prints tables and writes
// bench/results.json. `targets` (the verify targets side by side) is not in the default set: it
// takes most of an hour. See docs/performance.md.
import { parseArgs } from 'node:util';
import { formatResults } from '../src/lib/bench/report.ts';
import { BENCH_PARTS, runBench, type BenchOptions, type BenchPart } from '../src/lib/bench/run.ts';
import { parseTargets, TARGET_NAMES, type TargetName } from '../src/lib/bench/targets.ts';
import { ROOT } from '../src/lib/book/paths.ts';
import { prepareMachine } from '../src/lib/setup/prepare.ts';

const fail = (message: string): never => {
	process.stderr.write(`bench: ${message}\n`);
	process.exit(2);
};

let values;
try {
	values = parseArgs({ options: { runs: { type: 'string', default: '3' }, only: { type: 'string' }, targets: { type: 'string' } } }).values;
} catch (e) {
	fail(`${(e as Error).message}\n  hint: npm run bench -- [--runs N] [--only site,lighthouse,verify,sim,targets] [--targets local,vm:arm64,vm:x86_64,ssh]`);
}
if (!values) process.exit(2);
const runs = Number(values.runs);
if (!(runs >= 1)) fail(`--runs needs a positive number, not "${values.runs}"`);
const parts = BENCH_PARTS;
const only = (values.only?.split(',') ?? []).filter((p) => p);
for (const p of only) if (!parts.includes(p as BenchPart)) fail(`unknown part "${p}" (${parts.join(', ')}; targets only when named)`);
let targets: TargetName[] | undefined;
if (values.targets !== undefined) {
	if (!only.includes('targets')) fail('--targets chooses the targets of the targets part: add --only targets');
	try {
		targets = parseTargets(values.targets);
	} catch (e) {
		fail(`--targets: ${(e as Error).message}`);
	}
}
const setup = prepareMachine('bench');
if (setup) process.exit(setup);
// The VM targets need QEMU and the image builder's tools besides.
if (only.includes('targets') && (targets ?? TARGET_NAMES).some((t) => t.startsWith('vm:'))) {
	const vm = prepareMachine('verify-vm');
	if (vm) process.exit(vm);
}
const options: BenchOptions = {
	root: ROOT,
	runs,
	only: only as BenchPart[],
	...(targets ? { targets } : {}),
	log: (line) => void process.stderr.write(`${line}\n`),
};
const results = await runBench(options);
process.stdout.write(`${formatResults(results)}\n\nwritten: bench/results.json\n`);

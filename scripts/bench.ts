// npm run bench -- [--runs N] [--only site,lighthouse,verify,sim]
// Measures what the book costs readers and maintainers on this machine; prints tables and writes
// bench/results.json. See docs/performance.md.
import { parseArgs } from 'node:util';
import { formatResults } from '../src/lib/bench/report.ts';
import { runBench, type BenchOptions } from '../src/lib/bench/run.ts';
import { ROOT } from '../src/lib/book/paths.ts';
import { prepareMachine } from '../src/lib/setup/prepare.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, only: { type: 'string' } } });
const runs = Number(values.runs);
if (!(runs >= 1)) {
	process.stderr.write(`bench: --runs needs a positive number, not "${values.runs}"\n`);
	process.exit(2);
}
const parts = ['site', 'lighthouse', 'verify', 'sim'] as const;
const only = (values.only?.split(',') ?? []).filter((p) => p);
for (const p of only)
	if (!parts.includes(p as (typeof parts)[number])) {
		process.stderr.write(`bench: unknown part "${p}" (${parts.join(', ')})\n`);
		process.exit(2);
	}
const setup = prepareMachine('bench');
if (setup) process.exit(setup);
const options: BenchOptions = { root: ROOT, runs, only: only as NonNullable<BenchOptions['only']>, log: (line) => void process.stderr.write(`${line}\n`) };
const results = await runBench(options);
process.stdout.write(`${formatResults(results)}\n\nwritten: bench/results.json\n`);

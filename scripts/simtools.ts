// npm run -s simtools [-- --out DIR] [--measure [--runs N]]
// Builds the network simulator as command-line tools (`ip`, `ping`, `bridge`, `iptables`, …, and
// `netsim-lab`) into DIR (default dist-simtools/): put DIR/bin first on PATH. --measure then times
// one invocation (median of N, default 50) at several journal sizes. See docs/simulator.md, "The
// simulator as command-line tools".
import { parseArgs } from 'node:util';
import { relative, resolve } from 'node:path';
import { ROOT } from '../src/lib/book/paths.ts';
import { buildSimtools } from '../src/lib/simtools/build.ts';
import { catalogFromBook } from '../src/lib/simtools/catalog-book.ts';
import { formatInvocations, measureInvocations } from '../src/lib/simtools/measure.ts';

const USAGE = 'usage: npm run -s simtools [-- --out DIR] [--measure [--runs N]]   (default DIR: dist-simtools, N: 50)\n';
let values;
try {
	values = parseArgs({ options: { out: { type: 'string' }, measure: { type: 'boolean' }, runs: { type: 'string', default: '50' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
} catch (e) {
	process.stderr.write(`simtools: ${(e as Error).message}\n${USAGE}`);
	process.exit(2);
}
if (values.help) {
	process.stdout.write(USAGE);
	process.exit(0);
}
const out = resolve(values.out ?? resolve(ROOT, 'dist-simtools'));
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) {
	process.stderr.write(`simtools: --runs needs a positive whole number, not "${values.runs}"\n${USAGE}`);
	process.exit(2);
}
const catalog = catalogFromBook();
const built = await buildSimtools(out, catalog);
process.stdout.write(`simtools: ${built.executables.length} executables in ${relative(process.cwd(), built.bin) || '.'} (${Object.entries(built.bundles).map(([f, n]) => `${f} ${(n / 1024).toFixed(0)} KB`).join(', ')}): ${built.executables.join(' ')}\n`);
if (values.measure) process.stdout.write(`\n${formatInvocations(measureInvocations(built.bin, catalog, [0, 50, 100, 200, 300, 476], runs))}\n`);

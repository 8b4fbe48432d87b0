// npm run -s simtools [-- --out DIR]
// Builds the network simulator as command-line tools (`ip`, `ping`, `bridge`, `iptables`, …, and
// `netsim-lab`) into DIR (default dist-simtools/): put DIR/bin first on PATH. See docs/simulator.md,
// "The simulator as command-line tools".
import { parseArgs } from 'node:util';
import { relative, resolve } from 'node:path';
import { ROOT } from '../src/lib/book/paths.ts';
import { buildSimtools } from '../src/lib/simtools/build.ts';
import { catalogFromBook } from '../src/lib/simtools/catalog-book.ts';

const USAGE = 'usage: npm run -s simtools [-- --out DIR]   (default DIR: dist-simtools)\n';
let values;
try {
	values = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
} catch (e) {
	process.stderr.write(`simtools: ${(e as Error).message}\n${USAGE}`);
	process.exit(2);
}
if (values.help) {
	process.stdout.write(USAGE);
	process.exit(0);
}
const out = resolve(values.out ?? resolve(ROOT, 'dist-simtools'));
const built = await buildSimtools(out, catalogFromBook());
process.stdout.write(`simtools: ${built.executables.length} executables in ${relative(process.cwd(), built.bin) || '.'} (${Object.entries(built.bundles).map(([f, n]) => `${f} ${(n / 1024).toFixed(0)} KB`).join(', ')}): ${built.executables.join(' ')}\n`);

// npm run -s reline -- [--check]
// After prose edits moved a chapter's blocks, re-points the `line` field of every block of every
// snapshot (content/snapshots/*.json and each set below it, such as vm-arm64/) to the chapter as it
// is now, matching blocks by key as verify does. Outputs and states are never touched.
//   --check  change nothing; exit 1 if any line is out of date
import { parseArgs } from 'node:util';
import { ROOT } from '../src/lib/book/paths.ts';
import { relineBook } from '../src/lib/verify/reline-book.ts';

let args;
try {
	args = parseArgs({ options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
} catch (e) {
	process.stderr.write(`reline: ${(e as Error).message}\n  usage: npm run -s reline -- [--check]\n`);
	process.exit(2);
}
if (args.help) {
	process.stdout.write('usage: npm run -s reline -- [--check]\n  re-points the snapshots\' line fields to the chapters\n  --check  change nothing; exit 1 if any line is out of date\n');
	process.exit(0);
}

const reports = relineBook(ROOT, { dryRun: args.check === true });
let stale = 0;
for (const r of reports) {
	if (r.skipped) process.stderr.write(`reline: ${r.file}: left alone: ${r.skipped}\n`);
	if (r.moved.length) {
		stale++;
		const lines = r.moved.map((m) => `${m.from}→${m.to}`).join(', ');
		process.stdout.write(`${args.check ? 'out of date' : 'relined'}: ${r.file} (${r.moved.length} block${r.moved.length === 1 ? '' : 's'}: ${lines})\n`);
	}
	if (r.orphans.length) process.stderr.write(`reline: ${r.file}: ${r.orphans.length} block(s) no longer in the chapter; npm run verify -- --update records it again\n`);
}
if (stale === 0) process.stdout.write('reline: every snapshot line follows its chapter\n');
process.exit(args.check && stale > 0 ? 1 : 0);

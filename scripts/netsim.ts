// npm run -s netsim -- --lab <lab name or path to a lab file> [--like SET]
// Reads commands on stdin, one per line (`@HOST cmd` picks the host; blank and `#` lines are
// skipped), runs them in the simulator and prints one JSON object per command:
// {"host","cmd","stdout","stderr","exit"}. --like SET imitates the machine snapshot set SET was
// recorded on (`vm:arm64`, `native-arm64`…; default: the book's own), see docs/simulator.md.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLab } from '../src/lib/book/labs.ts';
import { createLab, profileFor } from '../src/lib/netsim/index.ts';
import { ROOT, targetSnapshotsDir } from '../src/lib/book/paths.ts';
import { targetKind } from '../src/lib/shared/machine.ts';
import { recordedOfSet } from '../src/lib/snapshot/store.ts';
import { parseTranscript } from '../src/lib/netsim/transcript/transcript.ts';

function fail(msg: string): never {
	process.stderr.write(`netsim: ${msg}\n`);
	process.exit(2);
}

let args;
try {
	args = parseArgs({ options: { lab: { type: 'string' }, like: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
} catch (e) {
	fail(`${(e as Error).message}\n  usage: npm run -s netsim -- --lab <lab name or path>`);
}
if (args.help) {
	process.stdout.write('usage: npm run -s netsim -- --lab <lab name or path> [--like SET] < commands.txt\n  --like SET  print as the machine snapshot set SET was recorded on (vm:arm64, native-arm64…)\n');
	process.exit(0);
}
if (!args.lab) fail('missing --lab <lab name or path to a lab file>');
let labDef;
try {
	labDef = loadLab(args.lab);
} catch (e) {
	fail((e as Error).message);
}
let profile;
if (args.like !== undefined) {
	const recorded = recordedOfSet(ROOT, args.like);
	if (!recorded) fail(`--like ${args.like}: no snapshots in ${targetSnapshotsDir(args.like)}/ to tell what it was recorded on`);
	profile = profileFor(recorded, targetKind(args.like));
}
const lab = createLab(labDef, { profile });
const defaultHost = labDef.hosts[0]?.name ?? '';
for (const line of parseTranscript(readFileSync(0, 'utf8'), defaultHost)) {
	const r = lab.exec(line.host, line.cmd);
	process.stdout.write(`${JSON.stringify({ host: line.host, cmd: line.cmd, stdout: r.stdout, stderr: r.stderr, exit: r.exit })}\n`);
}

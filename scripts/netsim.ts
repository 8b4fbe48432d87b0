// npm run -s netsim -- --lab <lab name or path to a lab file>
// Reads commands on stdin, one per line (`@HOST cmd` picks the host; blank and `#` lines are
// skipped), runs them in the simulator and prints one JSON object per command:
// {"host","cmd","stdout","stderr","exit"}.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLab } from '../src/lib/book/labs.ts';
import { createLab } from '../src/lib/netsim/index.ts';
import { parseTranscript } from '../src/lib/netsim/transcript/transcript.ts';

function fail(msg: string): never {
	process.stderr.write(`netsim: ${msg}\n`);
	process.exit(2);
}

let args;
try {
	args = parseArgs({ options: { lab: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
} catch (e) {
	fail(`${(e as Error).message}\n  usage: npm run -s netsim -- --lab <lab name or path>`);
}
if (args.help) {
	process.stdout.write('usage: npm run -s netsim -- --lab <lab name or path> < commands.txt\n');
	process.exit(0);
}
if (!args.lab) fail('missing --lab <lab name or path to a lab file>');
let labDef;
try {
	labDef = loadLab(args.lab);
} catch (e) {
	fail((e as Error).message);
}
const lab = createLab(labDef);
const defaultHost = labDef.hosts[0]?.name ?? '';
for (const line of parseTranscript(readFileSync(0, 'utf8'), defaultHost)) {
	const r = lab.exec(line.host, line.cmd);
	process.stdout.write(`${JSON.stringify({ host: line.host, cmd: line.cmd, stdout: r.stdout, stderr: r.stderr, exit: r.exit })}\n`);
}

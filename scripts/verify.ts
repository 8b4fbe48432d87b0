// npm run verify -- [--check | --update] [--chapter NAME]…
//                   [--target local|vm:arm64|vm:x86_64|ssh://[user@]host[:port]]
//                   [--against TARGET] [--save-as SET] [--engine kernel|sim] [--timeout SEC]
// Runs every chapter's shell blocks on a real kernel (sealed sandbox, on this machine, in a VM or
// on a machine over SSH) or the simulator and checks them against the target's snapshots (or
// rewrites them). See docs/verify.md and docs/targets.md.
// Exit codes: 0 all good, 1 mismatches or failures, 2 bad input or the engine refused to run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EngineRefusedError, type Engine } from '../src/lib/engines/engine.ts';
import { createKernelEngine, kernelHostWarnings } from '../src/lib/engines/local/local.ts';
import { LOCAL_TARGET, ROOT, SNAPSHOTS_DIR, targetSnapshotsDir } from '../src/lib/book/paths.ts';
import { PRIMARY_TARGET } from '../src/lib/book/targets.ts';
import { createVmEngine, isVmArch, VM_ARCHES } from '../src/lib/engines/vm/vm.ts';
import { createSshEngine } from '../src/lib/engines/ssh/ssh.ts';
import { createV86Engine, V86_TARGET } from '../src/lib/engines/v86/v86.ts';
import { parseSshTarget, type SshTarget } from '../src/lib/engines/ssh/target.ts';
import { createSimEngine } from '../src/lib/engines/sim/sim-engine.ts';
import { RunbookError } from '../src/lib/runbook/errors.ts';
import { readSnapshot } from '../src/lib/snapshot/store.ts';
import { prepareMachine } from '../src/lib/setup/prepare.ts';
import { formatOutcome, formatSummary, formatTiming } from '../src/lib/verify/report.ts';
import { saveAsProblem, verifyBook, type VerifyEvent } from '../src/lib/verify/verify.ts';

const fail = (message: string): never => {
	process.stderr.write(`verify: ${message}\n`);
	process.exit(2);
};

let args;
try {
	args = parseArgs({
		options: {
			check: { type: 'boolean' },
			update: { type: 'boolean' },
			chapter: { type: 'string', multiple: true },
			engine: { type: 'string', default: 'kernel' },
			target: { type: 'string', default: LOCAL_TARGET },
			against: { type: 'string' },
			'save-as': { type: 'string' },
			timeout: { type: 'string', default: '30' },
			'no-scripts': { type: 'boolean' },
			concurrency: { type: 'string', default: '2' },
			root: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
		allowPositionals: false,
	}).values;
} catch (e) {
	fail(`${(e as Error).message}\n  hint: npm run verify -- [--check|--update] [--chapter NAME] [--target local|vm:arm64|vm:x86_64|ssh://user@host] [--engine kernel|sim]`);
}
if (args?.help) {
	process.stdout.write(
		'usage: npm run verify -- [--check | --update] [--chapter NAME]… [--target TARGET] [--against TARGET] [--save-as SET] [--engine kernel|sim] [--timeout SEC] [--concurrency N] [--no-scripts]\n' +
			"  --check     (default) re-run every chapter and compare with the target's snapshots\n" +
			'  --update    re-run and rewrite the snapshots (kernel engine only)\n' +
			'  --chapter   only chapters whose id starts with NAME (repeatable)\n' +
			'  --target    where the kernel runs: local (default: this machine, content/snapshots/), vm:arm64 or\n' +
			'              vm:x86_64 (a QEMU VM, no root needed; content/snapshots/vm-arm64/ …), or\n' +
			'              ssh://[user@]host[:port] (a machine of yours, e.g. a Pi: checked against the snapshots\n' +
			`              the page shows, ${PRIMARY_TARGET}'s, until it has its own), docs/targets.md\n` +
			"  --against   with --check: compare with another target's snapshots, or a set's (e.g. --against local)\n" +
			`  --engine    kernel (default) or sim: the simulator, judged by the page's snapshots (${PRIMARY_TARGET}'s)\n` +
			'  --save-as   with --update: record the run as snapshot set SET (content/snapshots/SET/), e.g. a local\n' +
			'              run on an arm64 machine as native-arm64, apart from the book\'s own set\n' +
			"  --no-scripts  don't run the chapters' downloadable scripts after them (faster while writing)\n",
	);
	process.exit(0);
}
if (!args) process.exit(2);
if (args.check && args.update) fail('--check and --update exclude each other');
const mode = args.update ? 'update' : 'check';
if (args.engine !== 'kernel' && args.engine !== 'sim') fail(`unknown engine "${args.engine}" (kernel or sim)`);
if (mode === 'update' && args.engine !== 'kernel') fail('snapshots are recorded from the real kernel only: drop --engine sim');
const target = args.target;
const vmArch = target.startsWith('vm:') ? target.slice(3) : undefined;
let ssh: SshTarget | undefined;
if (target.startsWith('ssh:')) {
	try {
		ssh = parseSshTarget(target);
	} catch (e) {
		fail((e as Error).message);
	}
} else if (target !== LOCAL_TARGET && target !== V86_TARGET && !(vmArch !== undefined && isVmArch(vmArch)))
	fail(`unknown target "${target}" (local, vm:arm64, vm:x86_64, v86 or ssh://[user@]host[:port])`);
if (args.engine === 'sim' && target !== LOCAL_TARGET) fail('--target chooses where the real kernel runs: drop --engine sim');
if (args.against !== undefined && mode === 'update') fail('--against compares with other snapshots: use it with --check');
// A machine over SSH (a reader's Pi) answers "does it print what the book shows?" until it has
// snapshots of its own; so does the simulator, always (the page's terminal imitates the primary).
const sshDefault = ssh && !existsSync(join(args.root ?? ROOT, targetSnapshotsDir(target))) ? PRIMARY_TARGET : undefined;
const against = args.against ?? (args.engine === 'sim' ? PRIMARY_TARGET : sshDefault);
const saveAs = args['save-as'];
const knownTargets = [LOCAL_TARGET, ...VM_ARCHES.map((a) => `vm:${a}`), V86_TARGET, ...(ssh ? [target] : [])];
if (saveAs !== undefined) {
	if (mode !== 'update') fail(`--save-as names the snapshot set that --update writes; to compare a run with a set, use --against ${saveAs}`);
	const problem = saveAsProblem(saveAs, target, knownTargets);
	if (problem) fail(problem);
}
const compared = (mode === 'check' ? against : saveAs) ?? target;
const comparedDir = join(args.root ?? ROOT, targetSnapshotsDir(compared));
if (mode === 'check' && args.engine === 'kernel' && !existsSync(comparedDir))
	fail(
		knownTargets.includes(compared)
			? `no snapshots of target ${compared} yet (${targetSnapshotsDir(compared)}/ does not exist): record them with ` +
					`--update --target ${compared}, or compare this run with local's with --against local`
			: `no snapshot set ${compared} (${targetSnapshotsDir(compared)}/ does not exist): record one with ` +
					`--update --save-as ${compared}, or compare with a target's snapshots (--against local)`,
	);
const timeoutSec = Number(args.timeout);
const concurrency = Number(args.concurrency);
if (!(timeoutSec > 0)) fail(`--timeout needs a number of seconds, not "${args.timeout}"`);
if (!(concurrency >= 1)) fail(`--concurrency needs a positive number, not "${args.concurrency}"`);

if (args.engine === 'kernel' && !args.root && !ssh && target !== V86_TARGET) {
	const code = prepareMachine(vmArch ? 'verify-vm' : 'verify');
	if (code) process.exit(code);
}
const engine: Engine =
	args.engine === 'sim'
		? createSimEngine()
		: vmArch && isVmArch(vmArch)
			? createVmEngine(vmArch, { onLog: (line) => void process.stderr.write(`${line}\n`) })
			: ssh
				? createSshEngine(ssh)
				: target === V86_TARGET
					? createV86Engine({ onLog: (line) => void process.stderr.write(`${line}\n`) })
					: createKernelEngine();
if (engine.name === 'kernel' && mode === 'check' && compared === LOCAL_TARGET) {
	const dir = join(args.root ?? ROOT, SNAPSHOTS_DIR);
	const recordedWith = (existsSync(dir) ? readdirSync(dir) : []).flatMap((f) => {
		const read = f.endsWith('.json') ? readSnapshot(join(dir, f)) : undefined;
		return read?.status === 'ok' ? [read.snapshot.recorded] : [];
	});
	for (const warning of kernelHostWarnings(recordedWith)) process.stderr.write(`verify: warning: ${warning}\n`);
}
const tty = process.stderr.isTTY === true;
const running = new Map<string, string>();
let finished = 0;
let total = 0;
const draw = (): void => {
	if (!tty) return;
	const line = [...running.entries()].map(([c, p]) => `${c} ${p}`).join('  ');
	process.stderr.write(`\r\x1b[K[${finished}/${total}] ${line}`.slice(0, (process.stderr.columns ?? 100) + 4));
};
const clear = (): void => {
	if (tty) process.stderr.write('\r\x1b[K');
};
const onEvent = (e: VerifyEvent): void => {
	if (e.type === 'plan') total = e.chapters.length;
	else if (e.type === 'start') running.set(e.chapter, `0/${e.commands}`);
	else if (e.type === 'progress') running.set(e.chapter, `${e.done}/${e.total}`);
	else {
		running.delete(e.outcome.chapter);
		finished++;
		clear();
		const text = formatOutcome(e.outcome);
		const timing = formatTiming(e.outcome);
		const took = `${(e.outcome.ms / 1000).toFixed(1)} s`;
		const mark = text ? '✗' : '✓';
		const note = mode === 'update' && e.outcome.written ? ', snapshot written' : '';
		const body = [text, timing].filter(Boolean).join('\n\n');
		process.stdout.write(`${mark} ${e.outcome.chapter} (${e.outcome.commands} commands, ${took}${note})\n${body ? `${body}\n\n` : ''}`);
	}
	draw();
};

// If our parent dies (e.g. `tsx` killed with SIGKILL), stop: the sandboxes die with us.
const parent = process.ppid;
const watchdog = setInterval(() => {
	if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500);
watchdog.unref();
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
	process.on(signal, () => {
		controller.abort();
		clear();
		process.stderr.write(`verify: stopped by ${signal}\n`);
		process.exit(130);
	});

try {
	const root = args.root ?? ROOT;
	const report = await verifyBook({
		root,
		mode,
		engine,
		target,
		...(against !== undefined ? { against } : {}),
		...(saveAs !== undefined ? { saveAs } : {}),
		only: args.chapter ?? [],
		concurrency,
		timeoutSec,
		scripts: !args['no-scripts'],
		signal: controller.signal,
		onEvent,
	});
	clear();
	process.stdout.write(`${formatSummary(report)}\n`);
	process.exit(report.mismatches + report.failures + report.errors > 0 ? 1 : 0);
} catch (e) {
	clear();
	if (e instanceof RunbookError || e instanceof EngineRefusedError) fail(e.message);
	fail((e as Error).message);
}

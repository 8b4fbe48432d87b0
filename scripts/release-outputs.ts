// npm run release:outputs -- shard --target TARGET --shard K/N [--save-as SET] --out DIR [--list]
// npm run release:outputs -- gather --from DIR… --summary FILE
// The release workflow's two steps (.github/workflows/release-outputs.yml), runnable here:
// `shard` runs `verify --update` for its share of the chapters and copies what it recorded to
// DIR/<set>/; `gather` merges such folders into content/snapshots and writes the pull request's
// body. See docs/targets.md, "Release workflow".
// Exit codes: 0 done; 1 verify failed, or gather refused (a conflict, a missing chapter); 2 bad options.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, snapshotSetName } from '../src/lib/book/paths.ts';
import { loadBook } from '../src/lib/runbook/load.ts';
import { readShardOutputs, writeShardOutputs } from '../src/lib/verify/release/gather.ts';
import { chapterWeights, copyShardOutputs, parseShard, shardChapters } from '../src/lib/verify/release/shard.ts';
import { releaseSummary } from '../src/lib/verify/release/summary.ts';

const USAGE =
	'usage: npm run release:outputs -- shard --target TARGET --shard K/N [--save-as SET] --out DIR [--list] [--timeout SEC] [--concurrency N]\n' +
	'       npm run release:outputs -- gather --from DIR [DIR…] --summary FILE\n' +
	'  shard   the chapters of shard K of N (balanced by command count) through verify --update on TARGET\n' +
	"          (local, vm:arm64, vm:x86_64), recorded as SET (default: the target's own set); then copies\n" +
	'          their snapshots to DIR/SET/. --list only prints the chapters, one a line.\n' +
	'  gather  merges shard folders (DIR/SET/CHAPTER.json) into content/snapshots; refuses conflicts and\n' +
	'          missing chapters; writes a Markdown summary of what changed (for a pull request body) to FILE\n';

/** `1 chapter`, `2 chapters`. */
function count(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fail(message: string, code = 2): never {
	process.stderr.write(`release:outputs: ${message}\n`);
	process.exit(code);
}

let parsed;
try {
	parsed = parseArgs({
		options: {
			target: { type: 'string' },
			shard: { type: 'string' },
			'save-as': { type: 'string' },
			out: { type: 'string' },
			list: { type: 'boolean' },
			timeout: { type: 'string' },
			concurrency: { type: 'string' },
			from: { type: 'string', multiple: true },
			summary: { type: 'string' },
			root: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
		allowPositionals: true,
	});
} catch (e) {
	fail(`${(e as Error).message}\n${USAGE}`);
}
const { values: args, positionals } = parsed;
if (args.help) {
	process.stdout.write(USAGE);
	process.exit(0);
}
const root = args.root ?? ROOT;
const [command, ...rest] = positionals;

/** Options that belong to the other subcommand are mistakes, not silently ignored. */
function only(allowed: readonly (keyof typeof args)[]): void {
	const stray = (Object.keys(args) as (keyof typeof args)[]).filter((k) => k !== 'root' && !allowed.includes(k));
	if (stray.length > 0) fail(`${command} does not take --${stray.join(', --')}\n${USAGE}`);
}

if (command === 'shard') {
	only(['target', 'shard', 'save-as', 'out', 'list', 'timeout', 'concurrency']);
	if (rest.length > 0) fail(`shard takes no arguments besides its options, not "${rest.join(' ')}"`);
	if (!args.target) fail('shard needs --target local, vm:arm64 or vm:x86_64');
	if (!args.shard) fail('shard needs --shard K/N (such as 1/4)');
	const spec = parseShard(args.shard);
	if (!spec.ok) fail(spec.error);
	const chapters = shardChapters(chapterWeights(root), spec.shard);
	if (args.list) {
		process.stdout.write(chapters.map((c) => `${c}\n`).join(''));
		process.exit(0);
	}
	if (!args.out) fail('shard needs --out DIR: the folder its snapshots are copied to, for the gather step');
	const set = args['save-as'] ?? snapshotSetName(args.target);
	const out = args.out;
	if (chapters.length === 0) {
		mkdirSync(join(out, set), { recursive: true });
		process.stdout.write(`release:outputs: shard ${args.shard} has no chapters (more shards than chapters)\n`);
		process.exit(0);
	}
	process.stdout.write(`release:outputs: shard ${args.shard} of ${args.target}${args['save-as'] ? ` as ${set}` : ''}: ${chapters.join(' ')}\n`);
	// verify itself checks the target and --save-as, prepares the machine and runs the chapters.
	const verify = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			join(ROOT, 'scripts/verify.ts'),
			'--update',
			'--target',
			args.target,
			...(args['save-as'] ? ['--save-as', args['save-as']] : []),
			...(args.timeout ? ['--timeout', args.timeout] : []),
			...(args.concurrency ? ['--concurrency', args.concurrency] : []),
			...(args.root ? ['--root', args.root] : []),
			...chapters.flatMap((c) => ['--chapter', c]),
		],
		{ cwd: ROOT, stdio: 'inherit' },
	);
	if (verify.status === 2 || verify.status === null) process.exit(verify.status ?? 1);
	// Copy even when a chapter failed: the job fails on verify's code, and its artifact shows what ran.
	const { copied, missing } = copyShardOutputs(root, set, chapters, out);
	process.stdout.write(`release:outputs: ${count(copied.length, 'snapshot')} copied to ${join(out, set)}/\n`);
	if (missing.length > 0) fail(`no snapshot of ${missing.join(', ')} in set ${set} after the run: see verify's output above`, 1);
	process.exit(verify.status);
} else if (command === 'gather') {
	only(['from', 'summary']);
	const dirs = [...(args.from ?? []), ...rest];
	if (!args.summary) fail('gather needs --summary FILE: where the Markdown summary of the changes goes');
	const book = loadBook(root);
	const read = readShardOutputs(dirs, book.map((c) => c.id));
	if (!read.ok) {
		for (const error of read.errors) process.stderr.write(`release:outputs: gather: ${error}\n`);
		fail(`gather refused: ${count(read.errors.length, 'problem')}, nothing written`, 1);
	}
	const sets = writeShardOutputs(root, read.sets, book);
	const summary = args.summary;
	mkdirSync(dirname(summary), { recursive: true });
	writeFileSync(summary, releaseSummary(sets));
	for (const s of sets) {
		const differ = s.chapters.filter((c) => c.changes.length > 0);
		const blocks = differ.reduce((n, c) => n + c.changes.length, 0);
		const written = s.chapters.filter((c) => c.written).length;
		process.stdout.write(
			`gather: ${s.set} (${s.dir}/): ${count(s.chapters.length, 'chapter')}, ${differ.length} differ (${count(blocks, 'block')}), ${count(written, 'file')} written\n`,
		);
	}
	process.stdout.write(`gather: summary in ${summary}\n`);
} else {
	fail(`${command === undefined ? 'name a subcommand' : `unknown subcommand "${command}"`}: shard or gather\n${USAGE}`);
}

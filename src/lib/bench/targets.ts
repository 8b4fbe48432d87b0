/**
 * `npm run bench -- --only targets`: the verify targets side by side, in one run. The whole book
 * per target as maintainers record it (verify --update, two chapters at a time, chapter scripts
 * included) in a scratch copy of the book, so the repository's files are never touched and the
 * targets' snapshots come out as a by-product (left in bench/targets/<target>/ for review); each
 * VM architecture's image build and boot; the blocks whose outputs differ from local's; and, for
 * the SSH target (this machine through a loopback sshd), the machine's network before and after.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadLab } from '../book/labs.ts';
import { LOCAL_TARGET, snapshotPath, targetSnapshotsDir } from '../book/paths.ts';
import type { Engine } from '../engines/engine.ts';
import { createKernelEngine } from '../engines/local/local.ts';
import { startLoopbackSshd } from '../engines/ssh/loopback-sshd.ts';
import { createSshEngine } from '../engines/ssh/ssh.ts';
import { createVmEngine, type VmArch } from '../engines/vm/vm.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { verifyBook, type VerifyEvent } from '../verify/verify.ts';
import { round } from './stats.ts';
import { compareSnapshots, type ChapterDifferences } from './target-diff.ts';
import { captureNetwork, networkChanges } from './target-network.ts';
import { measureBoot, measureImage, type BootFigures, type ImageFigures } from './target-vm.ts';

/** The targets the bench knows: this machine, the two VM architectures, this machine over SSH. */
export const TARGET_NAMES = ['local', 'vm:arm64', 'vm:x86_64', 'ssh'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Where the scratch snapshots are left, relative to the repository root. */
export const TARGETS_OUT_DIR = 'bench/targets';

/** Options of {@link measureTargets}. */
export interface TargetsOptions {
	/** The repository whose book (content/, examples/) is copied, and under which bench/targets/ is written. */
	root: string;
	targets: readonly TargetName[];
	log: (line: string) => void;
}

/** One chapter of a target's whole-book run. */
export interface TargetChapter {
	chapter: string;
	commands: number;
	ms: number;
	/** Rule failures (a command failed, a timeout, the chapter script) and engine errors. */
	problems: number;
}

/** The whole book on one target. */
export interface TargetBook {
	target: TargetName;
	/** The engine's name (`kernel`, `vm:arm64`, `ssh://root@127.0.0.1:PORT`). */
	engine: string;
	/** Wall time of verifyBook, ms (two chapters at a time, chapter scripts included). */
	wallMs: number;
	commands: number;
	commandsPerSecond: number;
	/** wallMs over local's, when local ran. */
	overLocal?: number;
	failures: number;
	errors: number;
	chapters: TargetChapter[];
	/** The snapshots the run wrote, relative to the root (bench/targets/<dir>). */
	snapshots: string;
	/** The target could not run at all (refused, image not built…): nothing else is meaningful. */
	error?: string;
}

/** One target's chapters compared with local's snapshots. */
export interface TargetDifferences {
	target: TargetName;
	/** `this run` when local ran in the same bench, else `repository`: local's committed snapshots. */
	local: 'this run' | 'repository';
	blocks: number;
	differing: number;
	chapters: (ChapterDifferences | { chapter: string; missing: string })[];
}

/** Everything the targets part measured. */
export interface TargetsFigures {
	targets: TargetName[];
	books: TargetBook[];
	/** Per VM architecture; `error` when its image could not be built (its target then cannot run either). */
	images: (ImageFigures | { arch: VmArch; error: string })[];
	boot: (BootFigures | { arch: VmArch; error: string })[];
	differences: TargetDifferences[];
	/** The SSH target: its label and the machine's network (`ip -j link/addr/route`) after the run compared with before. */
	ssh?: { engine: string; network: 'unchanged' | string[] };
}

/** The folder a target's snapshots are left in, below bench/targets/: `local`, `vm-arm64`, `ssh`. */
export function targetDirName(target: TargetName): string {
	return target === LOCAL_TARGET ? 'local' : basename(targetSnapshotsDir(target));
}

const vmArch = (target: TargetName): VmArch | undefined => (target.startsWith('vm:') ? (target.slice(3) as VmArch) : undefined);

/** A scratch copy of the book (content/ and examples/) in a fresh temp folder. */
function scratchBook(root: string): string {
	const scratch = mkdtempSync(join(tmpdir(), 'netbook-bench-targets-'));
	for (const dir of ['content', 'examples']) cpSync(join(root, dir), join(scratch, dir), { recursive: true });
	return scratch;
}

/** Copies the snapshots a run wrote in the scratch book to bench/targets/<dir>/ (replacing what was there). */
function keepSnapshots(scratch: string, root: string, target: TargetName, chapters: readonly string[]): string {
	const out = join(TARGETS_OUT_DIR, targetDirName(target));
	rmSync(join(root, out), { recursive: true, force: true });
	mkdirSync(join(root, out), { recursive: true });
	for (const chapter of chapters) {
		const file = snapshotPath(scratch, chapter, target);
		if (existsSync(file)) cpSync(file, join(root, out, basename(file)));
	}
	return out;
}

/** Progress of a target's run, one line per chapter. */
function chapterLog(target: TargetName, log: (line: string) => void): (e: VerifyEvent) => void {
	return (e) => {
		if (e.type !== 'end') return;
		const o = e.outcome;
		const problems = o.failures.length + (o.error ? 1 : 0);
		const what = o.error ? `: ${o.error.split('\n')[0]}` : problems ? `: ${problems} failures` : '';
		log(`targets: ${target} ${problems ? '✗' : '✓'} ${o.chapter} (${o.commands} commands, ${(o.ms / 1000).toFixed(1)} s)${what}`);
	};
}

/** Runs the whole book on `engine` in update mode into the scratch book and keeps its snapshots. */
async function wholeBook(scratch: string, root: string, target: TargetName, engine: Engine, log: (line: string) => void): Promise<TargetBook> {
	log(`targets: ${target}: whole book (verify --update, concurrency 2, chapter scripts included)`);
	const started = performance.now();
	const report = await verifyBook({ root: scratch, mode: 'update', engine, target, concurrency: 2, scripts: true, onEvent: chapterLog(target, log) });
	const wallMs = performance.now() - started;
	return {
		target,
		engine: report.engine,
		wallMs: round(wallMs, 0),
		commands: report.commands,
		commandsPerSecond: round(report.commands / (wallMs / 1000), 2),
		failures: report.failures,
		errors: report.errors,
		chapters: report.chapters.map((c) => ({ chapter: c.chapter, commands: c.commands, ms: round(c.ms, 0), problems: c.failures.length + (c.error ? 1 : 0) })),
		snapshots: keepSnapshots(scratch, root, target, report.chapters.map((c) => c.chapter)),
	};
}

/** Each target's snapshots (in the scratch book) compared chapter by chapter with local's there. */
function compareTargets(scratch: string, books: readonly TargetBook[], localRan: boolean): TargetDifferences[] {
	return books
		.filter((b) => b.target !== LOCAL_TARGET && !b.error)
		.map((book) => {
			const chapters = book.chapters.map(({ chapter }) => {
				const local = loadSnapshot(snapshotPath(scratch, chapter));
				const target = loadSnapshot(snapshotPath(scratch, chapter, book.target));
				if (!local || !target) return { chapter, missing: `no snapshot of ${!target ? book.target : 'local'}` };
				return compareSnapshots(local, target);
			});
			const counted = chapters.filter((c): c is ChapterDifferences => 'blocks' in c);
			return {
				target: book.target,
				local: localRan ? 'this run' : 'repository',
				blocks: counted.reduce((n, c) => n + c.blocks, 0),
				differing: counted.reduce((n, c) => n + c.differing, 0),
				chapters,
			};
		});
}

/** A target that could not run at all. */
const failed = (target: TargetName, error: unknown): TargetBook => ({
	target,
	engine: target,
	wallMs: 0,
	commands: 0,
	commandsPerSecond: 0,
	failures: 0,
	errors: 1,
	chapters: [],
	snapshots: '',
	error: (error as Error).message,
});

/**
 * Measures the targets one after another (never two at once, so their times are their own):
 * the VM images, the whole book per target, the VMs' boots, then the comparison with local.
 */
export async function measureTargets(options: TargetsOptions): Promise<TargetsFigures> {
	const { root, targets, log } = options;
	const figures: TargetsFigures = { targets: [...targets], books: [], images: [], boot: [], differences: [] };
	const arches = targets.flatMap((t) => vmArch(t) ?? []);
	for (const arch of arches)
		figures.images.push(
			await measureImage(arch, log).catch((e: unknown) => {
				log(`targets: image ${arch}: ${(e as Error).message}`);
				return { arch, error: (e as Error).message };
			}),
		);
	const scratch = scratchBook(root);
	try {
		for (const target of targets) {
			const arch = vmArch(target);
			try {
				if (arch) figures.books.push(await wholeBook(scratch, root, target, createVmEngine(arch, { onLog: (l) => log(`targets: ${l}`) }), log));
				else if (target === 'ssh') {
					// The remote is this machine: its network must be the same after the book as before.
					const before = captureNetwork();
					const sshd = await startLoopbackSshd();
					try {
						figures.books.push(await wholeBook(scratch, root, target, createSshEngine(sshd.target, { sshOptions: sshd.sshOptions }), log));
					} finally {
						await sshd.stop();
						const changes = networkChanges(before, captureNetwork());
						figures.ssh = { engine: sshd.target.label, network: changes.length ? changes : 'unchanged' };
					}
				} else figures.books.push(await wholeBook(scratch, root, target, createKernelEngine(), log));
			} catch (e) {
				log(`targets: ${target}: ${(e as Error).message}`);
				figures.books.push(failed(target, e));
			}
		}
		const lab = loadLab('machine', scratch);
		for (const image of figures.images) {
			if ('error' in image) continue;
			log(`targets: boot ${image.arch}: a fresh VM, one command on the machine lab`);
			figures.boot.push(
				await measureBoot(image.arch, image.folder, lab, log).catch((e: unknown) => {
					log(`targets: boot ${image.arch}: ${(e as Error).message}`);
					return { arch: image.arch, error: (e as Error).message };
				}),
			);
		}
		const local = figures.books.find((b) => b.target === LOCAL_TARGET && !b.error);
		if (local) for (const b of figures.books) if (!b.error) b.overLocal = round(b.wallMs / local.wallMs, 2);
		figures.differences = compareTargets(scratch, figures.books, local !== undefined);
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
	return figures;
}

/** The targets in `spec` (`local,vm:arm64`); throws naming the unknown one. */
export function parseTargets(spec: string): TargetName[] {
	const names = spec.split(',').map((t) => t.trim()).filter(Boolean);
	for (const t of names) if (!(TARGET_NAMES as readonly string[]).includes(t)) throw new Error(`unknown target "${t}" (${TARGET_NAMES.join(', ')})`);
	if (names.length === 0) throw new Error(`no target named (${TARGET_NAMES.join(', ')})`);
	return [...new Set(names)] as TargetName[];
}

import { EngineRefusedError, type ChapterResult, type Engine } from '../engines/engine.ts';
import { loadLab } from '../book/labs.ts';
import type { Lab } from '../shared/lab.ts';
import { chapterFiles, loadChapter } from '../runbook/load.ts';
import { servedScript } from '../runbook/served.ts';
import type { Chapter } from '../runbook/types.ts';
import { checkRules, compareWithSnapshot, MISMATCH_KINDS, type Problem } from './judge.ts';
import { LOCAL_TARGET, SNAPSHOT_SET_NAME, snapshotPath, snapshotSetName, targetSnapshotsDir } from '../book/paths.ts';
import { readSnapshot, writeSnapshot, type ReadSnapshot } from '../snapshot/store.ts';
import { mergeForUpdate } from './update.ts';

/** Options of {@link verifyBook}. */
export interface VerifyOptions {
	/** Repository root (content/chapters, content/snapshots, examples/labs below it). */
	root: string;
	/** `check` compares with the snapshots; `update` rewrites them. */
	mode: 'check' | 'update';
	engine: Engine;
	/** Chapter filters: an id or a prefix of one (`05`, `05-veth`). Empty: the whole book. */
	only?: readonly string[];
	/**
	 * The target the engine runs on (`local`, `vm:arm64`…): its snapshots are compared with or
	 * rewritten (default `local`, content/snapshots/*.json).
	 */
	target?: string;
	/** Check mode: compare with this target's snapshots instead of the run's own target's. */
	against?: string;
	/**
	 * Update mode: the snapshot set to merge with and write instead of the target's own, so a
	 * run can be recorded apart (`native-arm64`: `local` on an arm64 machine, kept in
	 * content/snapshots/native-arm64/ beside the book's own set). See {@link saveAsProblem}.
	 */
	saveAs?: string;
	/** Chapters run at the same time (each in its own sandbox). */
	concurrency?: number;
	/** Per-command timeout, seconds. */
	timeoutSec?: number;
	/**
	 * Also run each chapter's downloadable script after it (default true), exactly as the site
	 * serves it. Engines that cannot run bash (the simulator) ignore it.
	 */
	scripts?: boolean;
	signal?: AbortSignal;
	/** Progress: a chapter started, a command finished, a chapter finished. */
	onEvent?: (event: VerifyEvent) => void;
}

/** Progress events, for a terminal display. */
export type VerifyEvent =
	| { type: 'plan'; chapters: string[] }
	| { type: 'start'; chapter: string; commands: number }
	| { type: 'progress'; chapter: string; done: number; total: number }
	| { type: 'end'; outcome: ChapterOutcome };

/** What happened to one chapter. */
export interface ChapterOutcome {
	chapter: string;
	file: string;
	/** Commands run (runnable blocks only). */
	commands: number;
	/** Wall time of the chapter's run, ms. */
	ms: number;
	/** Differences from the snapshot (check) — zero in update mode. */
	mismatches: Problem[];
	/** Rule failures: a command failed, a fails block succeeded, a timeout. */
	failures: Problem[];
	/**
	 * Check mode, an engine with its own clock (the simulator): differences from the snapshot only
	 * in neighbour states that time decides (REACHABLE/DELAY/PROBE/STALE, INCOMPLETE/FAILED).
	 * Not mismatches; reported apart.
	 */
	timing?: Problem[];
	/** The engine could not run the chapter (lab build failed, sandbox died). */
	error?: string;
	/** Update mode: the snapshot file was (re)written. */
	written?: boolean;
}

/** The whole run. */
export interface VerifyReport {
	mode: 'check' | 'update';
	engine: string;
	chapters: ChapterOutcome[];
	commands: number;
	mismatches: number;
	failures: number;
	errors: number;
	ms: number;
}

/** Chapter files selected by the filters, in book order. Throws when a filter matches nothing. */
function selectChapters(root: string, only: readonly string[] = []): string[] {
	const files = chapterFiles(root);
	if (only.length === 0) return files;
	const id = (f: string): string => f.replace(/^.*\//, '').replace(/\.mdx$/, '');
	for (const name of only)
		if (!files.some((f) => id(f).startsWith(name)))
			throw new Error(`no chapter matches "${name}" (chapters: ${files.map(id).join(', ') || 'none'})`);
	return files.filter((f) => only.some((name) => id(f).startsWith(name)));
}

/**
 * Loads the selected chapters and their labs. Bad input (RunbookError naming file:line, an
 * invalid lab) is thrown before anything runs.
 */
function loadChapters(root: string, only: readonly string[] = []): { chapter: Chapter; lab: Lab }[] {
	return selectChapters(root, only).map((file) => {
		const chapter = loadChapter(file, root);
		return { chapter, lab: loadLab(chapter.lab, root) };
	});
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) {
			const item = items[next++] as T;
			await work(item);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/**
 * The chapter's script as verify runs it on `target` (default local): built from the same
 * chapter, lab and recording header (the target's snapshot on disk when the run starts;
 * `--update` keeps that header unless the kernel or tools changed). The site serves the one of
 * the primary target (src/lib/book/targets.ts).
 */
export function scriptToVerify(root: string, chapter: Chapter, lab: Lab, target?: string): string {
	return scriptFor(chapter, lab, snapshotOf(root, chapter, target));
}

/**
 * The chapter's snapshot as it is on disk, of `target` (default local); read once per chapter:
 * for its script and its judgement.
 */
function snapshotOf(root: string, chapter: Chapter, target?: string): ReadSnapshot {
	return readSnapshot(snapshotPath(root, chapter.id, target));
}

/** The target (or snapshot set) whose snapshots a run is judged by (check) or rewrites (update). */
function comparedTarget(options: VerifyOptions): string | undefined {
	return options.mode === 'check' ? (options.against ?? options.target) : (options.saveAs ?? options.target);
}

/**
 * What is wrong with `--save-as NAME` for a run on `target`, or undefined when it is fine. A
 * set's name must be a folder name ({@link SNAPSHOT_SET_NAME}), and may not be the set of any
 * known target: `local` is the book's own (what the site shows), and writing `vm-arm64` from
 * another target would mix two kernels' outputs in one set.
 */
export function saveAsProblem(name: string, target: string, knownTargets: readonly string[]): string | undefined {
	if (!SNAPSHOT_SET_NAME.test(name))
		return `--save-as needs a folder name of lowercase letters, digits, ".", "_" or "-" (such as native-arm64), not "${name}"`;
	const owner = knownTargets.find((t) => snapshotSetName(t) === name);
	if (owner === undefined) return undefined;
	if (owner === target) return `--save-as ${name} is target ${target}'s own set: drop --save-as`;
	return `--save-as ${name} is the snapshot set of target ${owner} (${targetSnapshotsDir(owner)}/): choose another name (such as native-arm64)`;
}

/** What `--update` needs to record snapshot set `set`: its target (`vm:arm64`, also for `vm-arm64`) or `--save-as`. */
function updateArgsFor(set: string): string {
	if (set.includes(':')) return `--target ${set}`;
	if (/^vm-/.test(set)) return `--target ${set.replace('-', ':')}`;
	return `--save-as ${set}`;
}

function scriptFor(chapter: Chapter, lab: Lab, old: ReadSnapshot): string {
	return servedScript(chapter, lab, old.status === 'ok' ? old.snapshot.recorded : undefined);
}

/** Checks a run against the chapter's rules and its snapshot `old`, or rewrites the snapshot. */
function judge(options: VerifyOptions, result: ChapterResult, outcome: ChapterOutcome, old: ReadSnapshot): void {
	const id = result.chapter;
	outcome.ms = result.ms;
	outcome.failures = checkRules(result);
	const compared = comparedTarget(options);
	if (options.mode === 'update') {
		outcome.written = writeSnapshot(options.root, mergeForUpdate(result, old.status === 'ok' ? old.snapshot : undefined), compared);
	} else if (old.status === 'invalid') {
		const hint = `    hint: run \`npm run verify -- --update --chapter ${id}${compared && compared !== 'local' ? ` --target ${compared}` : ''}\``;
		outcome.mismatches = [{ kind: 'unreadable-snapshot', chapter: id, file: result.file, line: 1, message: old.error, diff: hint }];
	} else {
		// The simulator keeps its own clock: neighbour states that time alone decides are notes.
		const problems = compareWithSnapshot(result, old.status === 'ok' ? old.snapshot : undefined, {
			ownClock: result.engine === 'sim',
			snapshotFile: `${targetSnapshotsDir(compared)}/${id}.json`,
			...(compared && compared !== LOCAL_TARGET ? { updateArgs: updateArgsFor(compared) } : {}),
		});
		outcome.mismatches = problems.filter((p) => MISMATCH_KINDS.has(p.kind));
		outcome.timing = problems.filter((p) => p.kind === 'timing');
	}
}

/**
 * Runs the selected chapters through the engine, `concurrency` at a time, and checks them
 * against their snapshots or rewrites the snapshots. Throws on bad input and when the engine
 * refuses to run (not root, not sealed); a chapter the engine fails on is reported in its outcome.
 */
export async function verifyBook(options: VerifyOptions): Promise<VerifyReport> {
	const started = Date.now();
	const items = loadChapters(options.root, options.only);
	const outcomes = new Map<string, ChapterOutcome>();
	let refused: EngineRefusedError | undefined;
	options.onEvent?.({ type: 'plan', chapters: items.map((i) => i.chapter.id) });
	const inner = new AbortController();
	options.signal?.addEventListener('abort', () => inner.abort(), { once: true });

	await pool(items, options.concurrency ?? 2, async ({ chapter, lab }) => {
		if (inner.signal.aborted) return;
		const commands = chapter.blocks.filter((b) => b.runnable).reduce((n, b) => n + b.commands.length, 0);
		options.onEvent?.({ type: 'start', chapter: chapter.id, commands });
		const outcome: ChapterOutcome = { chapter: chapter.id, file: chapter.file, commands, ms: 0, mismatches: [], failures: [] };
		try {
			const old = snapshotOf(options.root, chapter, comparedTarget(options));
			const result = await options.engine.run(chapter, lab, {
				signal: inner.signal,
				...(options.timeoutSec === undefined ? {} : { timeoutSec: options.timeoutSec }),
				...(options.scripts === false ? {} : { script: scriptFor(chapter, lab, old) }),
				onProgress: (done, total) => options.onEvent?.({ type: 'progress', chapter: chapter.id, done, total }),
				compared: { set: comparedTarget(options) ?? LOCAL_TARGET, recorded: old.status === 'ok' ? old.snapshot.recorded : undefined },
			});
			judge(options, result, outcome, old);
		} catch (e) {
			if (e instanceof EngineRefusedError) {
				refused ??= e;
				inner.abort();
				return;
			}
			outcome.error = (e as Error).message;
		}
		outcomes.set(chapter.id, outcome);
		options.onEvent?.({ type: 'end', outcome });
	});
	if (refused) throw refused;
	const chapters = items.map(({ chapter }) => outcomes.get(chapter.id)).filter((o): o is ChapterOutcome => o !== undefined);
	return {
		mode: options.mode,
		engine: options.engine.name,
		chapters,
		commands: chapters.reduce((n, c) => n + c.commands, 0),
		mismatches: chapters.reduce((n, c) => n + c.mismatches.length, 0),
		failures: chapters.reduce((n, c) => n + c.failures.length, 0),
		errors: chapters.filter((c) => c.error !== undefined).length,
		ms: Date.now() - started,
	};
}

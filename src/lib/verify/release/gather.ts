/**
 * The release workflow's last step: the snapshot folders that the shard jobs recorded (each
 * `DIR/<set>/<chapter>.json`, downloaded as artifacts) merged into the book's snapshot sets, with
 * what changed in each. Everything is checked before anything is written, so a conflict or a
 * missing chapter leaves the repository as it was.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LOCAL_TARGET, SNAPSHOT_SET_NAME, snapshotPath, targetSnapshotsDir } from '../../book/paths.ts';
import { loadBook } from '../../runbook/load.ts';
import type { Chapter } from '../../runbook/types.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { readSnapshot, writeSnapshot } from '../../snapshot/store.ts';
import { chapterChanges, type BlockChange } from './changes.ts';

/** One chapter's snapshot as a shard recorded it. */
export interface ShardSnapshot {
	set: string;
	chapter: string;
	snapshot: Snapshot;
	/** The file it came from. */
	from: string;
}

/** Shard outputs read and checked: by set, then by chapter; or every problem, one line each. */
export type ShardOutputs = { ok: true; sets: Map<string, Map<string, ShardSnapshot>> } | { ok: false; errors: string[] };

/** What gathering did to one chapter of one set. */
export interface ChapterReport {
	chapter: string;
	/** Commands recorded (steps of all blocks). */
	commands: number;
	blocks: number;
	/** The file's bytes changed (a new file, or another recording). */
	written: boolean;
	/**
	 * What the recording was compared with: the set's previous recording of the chapter, or, on
	 * a set's first recording of it, the book's own set (`local`) as gathered; none when neither exists.
	 */
	comparedWith: 'before' | 'local' | 'none';
	/** Blocks that differ from what it was compared with, after normalisation. */
	changes: BlockChange[];
	/** `recorded` of the new snapshot and of the one before (when there was one). */
	recorded: Snapshot['recorded'];
	recordedBefore?: Snapshot['recorded'];
}

/** What gathering did to one snapshot set. */
export interface SetReport {
	set: string;
	/** Its folder, relative to the repository root. */
	dir: string;
	chapters: ChapterReport[];
}

/**
 * Reads shard output folders and checks them against the book's chapters: every entry a set
 * folder of `<chapter>.json` files, each a valid snapshot of a chapter of the book; no chapter of
 * a set twice (two shards ran it); every chapter in every set that appears (a shard's artifact is
 * missing otherwise). Problems come back as values, one line each.
 */
export function readShardOutputs(dirs: readonly string[], chapters: readonly string[]): ShardOutputs {
	const errors: string[] = [];
	const sets = new Map<string, Map<string, ShardSnapshot>>();
	const known = new Set(chapters);
	if (dirs.length === 0) return { ok: false, errors: ['no shard output folders given: name them with --from DIR…'] };
	for (const dir of dirs) {
		if (!existsSync(dir) || !statSync(dir).isDirectory()) {
			errors.push(`${dir} is not a folder: download the shard jobs' artifacts first (one folder each)`);
			continue;
		}
		for (const set of readdirSync(dir).sort()) {
			const setDir = join(dir, set);
			if (!statSync(setDir).isDirectory() || !SNAPSHOT_SET_NAME.test(set)) {
				errors.push(`${setDir}: not a snapshot set folder (a shard's output holds SET/CHAPTER.json, SET such as local or vm-arm64)`);
				continue;
			}
			const byChapter = sets.get(set) ?? new Map<string, ShardSnapshot>();
			sets.set(set, byChapter);
			for (const file of readdirSync(setDir).sort()) {
				const path = join(setDir, file);
				const id = basename(file, '.json');
				if (!file.endsWith('.json')) errors.push(`${path}: not a snapshot (a shard's output holds SET/CHAPTER.json only)`);
				else if (!known.has(id)) errors.push(`${path}: no chapter ${id} in the book: was it recorded from another commit?`);
				else {
					const read = readSnapshot(path);
					const seen = byChapter.get(id);
					if (read.status !== 'ok') errors.push(read.status === 'invalid' ? read.error : `${path} vanished while it was read`);
					else if (read.snapshot.chapter !== id) errors.push(`${path} holds chapter ${read.snapshot.chapter}, not ${id}`);
					else if (seen) errors.push(`${set}/${file} comes from both ${seen.from} and ${path}: two shards ran the same chapter`);
					else byChapter.set(id, { set, chapter: id, snapshot: read.snapshot, from: path });
				}
			}
		}
	}
	for (const [set, byChapter] of sets)
		for (const id of chapters)
			if (!byChapter.has(id)) errors.push(`${set} lacks ${id}: no shard output has it (did every shard job of ${set} upload its artifact?)`);
	if (errors.length === 0 && sets.size === 0) errors.push(`no snapshot sets in ${dirs.join(', ')}: each should hold SET/CHAPTER.json`);
	return errors.length > 0 ? { ok: false, errors } : { ok: true, sets };
}

/** Steps of all blocks of a snapshot. */
function commandsOf(snapshot: Snapshot): number {
	return snapshot.blocks.reduce((n, b) => n + b.steps.length, 0);
}

/**
 * Writes checked shard outputs into the book's snapshot sets under `root` (`local` into
 * content/snapshots, any other set into content/snapshots/SET/) through the one snapshot writer,
 * and reports per set and chapter what changed. `local` is written first, so a set's first
 * recording of a chapter is compared with the book's own outputs of this same release.
 */
export function writeShardOutputs(root: string, sets: ReadonlyMap<string, ReadonlyMap<string, ShardSnapshot>>, book: readonly Chapter[] = loadBook(root)): SetReport[] {
	const names = [...sets.keys()].sort((a, b) => Number(b === LOCAL_TARGET) - Number(a === LOCAL_TARGET) || a.localeCompare(b));
	return names.map((set) => {
		const chapters = [...(sets.get(set)?.values() ?? [])].map(({ chapter, snapshot }): ChapterReport => {
			const old = readSnapshot(snapshotPath(root, chapter, set));
			const before = old.status === 'ok' ? old.snapshot : undefined;
			const written = writeSnapshot(root, snapshot, set);
			const local = set === LOCAL_TARGET ? undefined : readSnapshot(snapshotPath(root, chapter, LOCAL_TARGET));
			const baseline = before ?? (local?.status === 'ok' ? local.snapshot : undefined);
			const source = book.find((c) => c.id === chapter);
			return {
				chapter,
				commands: commandsOf(snapshot),
				blocks: snapshot.blocks.length,
				written,
				comparedWith: before ? 'before' : baseline ? 'local' : 'none',
				changes: baseline ? chapterChanges(baseline, snapshot, source) : [],
				recorded: snapshot.recorded,
				...(before ? { recordedBefore: before.recorded } : {}),
			};
		});
		chapters.sort((a, b) => a.chapter.localeCompare(b.chapter));
		return { set, dir: targetSnapshotsDir(set), chapters };
	});
}

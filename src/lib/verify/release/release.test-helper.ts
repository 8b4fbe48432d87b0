/**
 * Fixtures for the release tests, made of the real book: a temporary repository holding a few
 * real chapters with their recorded snapshots, and shard output folders holding copies of those
 * snapshots, changed on purpose where a test needs a change.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAPTERS_DIR, LABS_DIR, ROOT, SNAPSHOTS_DIR, snapshotPath } from '../../book/paths.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { formatSnapshot } from '../../snapshot/store.ts';

/** Two short chapters of the book on different labs. */
export const CHAPTERS = ['01-two-machines-and-a-switch', '04-network-namespaces'] as const;

/** A chapter's snapshot as committed in the repository (a fresh copy each call). */
export function realSnapshot(chapter: string): Snapshot {
	return JSON.parse(readFileSync(snapshotPath(ROOT, chapter), 'utf8')) as Snapshot;
}

/** A temporary repository with these chapters of the book, their labs and their local snapshots. */
export function tempBook(chapters: readonly string[] = CHAPTERS): string {
	const root = mkdtempSync(join(tmpdir(), 'netbook-release-'));
	for (const dir of [CHAPTERS_DIR, SNAPSHOTS_DIR]) mkdirSync(join(root, dir), { recursive: true });
	cpSync(join(ROOT, LABS_DIR), join(root, LABS_DIR), { recursive: true });
	for (const id of chapters) {
		copyFileSync(join(ROOT, CHAPTERS_DIR, `${id}.mdx`), join(root, CHAPTERS_DIR, `${id}.mdx`));
		copyFileSync(snapshotPath(ROOT, id), snapshotPath(root, id));
	}
	return root;
}

/** A shard's output folder: `DIR/<set>/<chapter>.json` for each snapshot given. */
export function shardOutput(sets: Record<string, readonly Snapshot[]>): string {
	const dir = mkdtempSync(join(tmpdir(), 'netbook-shard-'));
	for (const [set, snapshots] of Object.entries(sets)) {
		mkdirSync(join(dir, set), { recursive: true });
		for (const s of snapshots) writeFileSync(join(dir, set, `${s.chapter}.json`), formatSnapshot(s));
	}
	return dir;
}

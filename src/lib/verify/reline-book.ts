/**
 * `npm run -s reline`: after prose edits, every snapshot set's `line` fields follow the chapters
 * again (src/lib/snapshot/reline.ts), and nothing else in the files changes.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SNAPSHOTS_DIR } from '../book/paths.ts';
import { chapterFiles, loadChapter } from '../runbook/load.ts';
import { relineSnapshot, type Relined } from '../snapshot/reline.ts';
import { formatSnapshot, readSnapshot } from '../snapshot/store.ts';

/** What relining did (or would do) to one snapshot file. */
export interface RelineReport {
	/** The file, from the repository root. */
	file: string;
	moved: Relined['moved'];
	/** Keys of snapshot blocks the chapter no longer has (verify reports them too). */
	orphans: string[];
	/** Why the file was left alone, if it was: unreadable, or not in the one format the writer writes. */
	skipped?: string | undefined;
}

/** The snapshot folders: `content/snapshots` and each set below it (`vm-arm64`, …). */
function snapshotDirs(root: string): string[] {
	const base = join(root, SNAPSHOTS_DIR);
	if (!existsSync(base)) return [];
	return [base, ...readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(base, e.name)).sort()];
}

/**
 * Re-points the lines of every snapshot of every chapter, in every set, to the chapter as it is
 * now. Writes the files that change unless `dryRun`; returns a report per file that has
 * something to say. A file is rewritten only when it already is exactly what the snapshot writer
 * prints, so a relined file differs from the old one in its `line` fields alone.
 */
export function relineBook(root: string, options: { dryRun?: boolean } = {}): RelineReport[] {
	const reports: RelineReport[] = [];
	const dirs = snapshotDirs(root);
	for (const path of chapterFiles(root)) {
		const chapter = loadChapter(path, root);
		const blocks = chapter.blocks.filter((b) => b.runnable).map((b) => ({ key: b.key, line: b.line }));
		for (const dir of dirs) {
			const file = join(dir, `${chapter.id}.json`);
			const read = readSnapshot(file);
			if (read.status === 'missing') continue;
			const name = relative(root, file);
			if (read.status === 'invalid') {
				reports.push({ file: name, moved: [], orphans: [], skipped: read.error });
				continue;
			}
			if (formatSnapshot(read.snapshot) !== read.text) {
				reports.push({ file: name, moved: [], orphans: [], skipped: 'not in the snapshot writer’s format (rewriting it would change more than lines)' });
				continue;
			}
			const { snapshot, moved, orphans } = relineSnapshot(read.snapshot, blocks);
			if (moved.length === 0 && orphans.length === 0) continue;
			if (moved.length && !options.dryRun) writeFileSync(file, formatSnapshot(snapshot));
			reports.push({ file: name, moved, orphans: orphans.map((o) => o.key) });
		}
	}
	return reports;
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadLab } from '../../src/lib/book/labs.ts';
import type { Lab } from '../../src/lib/shared/lab.ts';
import { loadChapter } from '../../src/lib/runbook/load.ts';
import type { Chapter } from '../../src/lib/runbook/types.ts';
import { CHAPTER_FILE_NAME, ROOT } from '../../src/lib/book/paths.ts';
import { loadOtherSnapshots, loadPrimarySnapshot, type TargetSnapshot } from '../../src/lib/snapshot/recordings.ts';
import type { Snapshot } from '../../src/lib/snapshot/schema.ts';

export { ROOT };

/** The book under test: NETBOOK_BOOK (as for the build) or ./content. */
export const BOOK = resolve(ROOT, process.env['NETBOOK_BOOK'] ?? './content');

/**
 * Where that book is built (see astro.config.mjs). NETBOOK_DIST tests another build as it is,
 * never rebuilt (say, one made before a change, to see a new test fail on it).
 */
export const PREBUILT = process.env['NETBOOK_DIST'] ? resolve(ROOT, process.env['NETBOOK_DIST']) : undefined;
export const DIST = PREBUILT ?? (BOOK === resolve(ROOT, 'content') ? join(ROOT, 'dist') : join(ROOT, 'node_modules/.netbook/fixture-dist'));

/** A chapter as the tests expect to see it. */
export interface BookChapter {
	chapter: Chapter;
	lab: Lab;
	/** The primary target's recording, the one the page shows. */
	snapshot: Snapshot | undefined;
	/** The other targets' recordings, which the page compares with the primary's block by block. */
	others: TargetSnapshot[];
	/** Site path, e.g. /05-veth-pairs/. */
	path: string;
}

/** The book's chapters in sidebar order (sidebar.order, then file name). */
export function bookChapters(): BookChapter[] {
	const dir = join(BOOK, 'chapters');
	return readdirSync(dir)
		.filter((f) => CHAPTER_FILE_NAME.test(f))
		.map((f) => {
			const file = join(dir, f);
			const chapter = loadChapter(file, ROOT);
			return { chapter, lab: loadLab(chapter.lab, ROOT), snapshot: loadPrimarySnapshot(file), others: loadOtherSnapshots(file), path: `/${chapter.id}/` };
		})
		.sort((a, b) => (a.chapter.order ?? 1e9) - (b.chapter.order ?? 1e9) || a.chapter.id.localeCompare(b.chapter.id));
}

/** Newest modification time under the given paths (files or folders, recursively). */
export function newestMtime(paths: string[]): number {
	let newest = 0;
	const visit = (p: string) => {
		if (!existsSync(p)) return;
		const s = statSync(p);
		if (s.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
		else newest = Math.max(newest, s.mtimeMs);
	};
	paths.forEach(visit);
	return newest;
}

import { resolve } from 'node:path';
import type { CollectionEntry } from 'astro:content';
import { loadLab } from '../lib/book/labs.ts';
import type { Lab } from '../lib/shared/lab.ts';
import type { Chapter } from '../lib/runbook/types.ts';
import { chapterOf } from '../plugins/recorded-output/book.ts';
import { isChapterFile } from '../lib/book/paths.ts';
import { scriptHref } from '../lib/book/site.ts';
import { loadPrimarySnapshot } from '../lib/snapshot/recordings.ts';
import type { Snapshot } from '../lib/snapshot/schema.ts';

/**
 * Repository root at build time. Astro runs from the project root; code bundled by Vite cannot
 * rely on `import.meta.dirname` (src/lib/book/paths.ts's ROOT), so pages pass this root explicitly.
 */
export const SITE_ROOT = process.cwd();

/** What a chapter page shows besides its prose: the parsed chapter, its lab and its recording (the primary target's). */
export interface ChapterData {
	chapter: Chapter;
	lab: Lab;
	snapshot: Snapshot | undefined;
	/** Site-relative address of the chapter's script, e.g. /scripts/05-veth-pairs.sh. */
	scriptHref: string;
}

/** True for an entry of the book's chapters (as opposed to the landing page or a 404). */
export function isChapter(entry: CollectionEntry<'docs'> | { filePath?: string; data?: object }): boolean {
	return typeof entry.filePath === 'string' && isChapterFile(entry.filePath) && 'lab' in (entry.data ?? {});
}

/** Loads a chapter entry's data. */
export function chapterData(entry: { id: string; filePath?: string }): ChapterData {
	const file = resolve(SITE_ROOT, entry.filePath ?? '');
	const chapter = chapterOf(file, SITE_ROOT);
	return {
		chapter,
		lab: loadLab(chapter.lab, SITE_ROOT),
		snapshot: loadPrimarySnapshot(file),
		scriptHref: scriptHref(chapter.id),
	};
}

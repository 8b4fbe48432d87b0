/**
 * Where the book lives in the repository: the one definition of the repository root and of the
 * folders and file names of chapters, snapshots and labs. Build-time only (node:path).
 */
import { basename, dirname, join, resolve } from 'node:path';

/** Repository root: three levels above src/lib/book. */
export const ROOT = resolve(import.meta.dirname, '../../..');

/** Folder of the chapters, relative to the repository root. */
export const CHAPTERS_DIR = 'content/chapters';

/** Folder of the snapshots, relative to the repository root. */
export const SNAPSHOTS_DIR = 'content/snapshots';

/** Folder of the lab definitions, relative to the repository root. */
export const LABS_DIR = 'examples/labs';

/** A chapter's file name: two digits, a dash, a lowercase slug, `.mdx` (`05-veth-pairs.mdx`). */
export const CHAPTER_FILE_NAME = /^\d\d-[a-z0-9-]+\.mdx$/;

/** True for a chapter source anywhere (`…/chapters/NN-slug.mdx`, either slash). */
export function isChapterFile(path: string | undefined): path is string {
	if (!path) return false;
	const parts = path.replace(/\\/g, '/').split('/');
	return parts.at(-2) === 'chapters' && CHAPTER_FILE_NAME.test(parts.at(-1) ?? '');
}

/** Snapshot file of a chapter file: `<book>/snapshots/<id>.json` beside `<book>/chapters/<id>.mdx`. */
export function snapshotFileOf(chapterFile: string): string {
	return join(dirname(dirname(chapterFile)), 'snapshots', basename(chapterFile).replace(/\.mdx$/, '.json'));
}

/** Path of a chapter's snapshot by chapter id, under `root`. */
export function snapshotPath(root: string, chapter: string): string {
	return join(root, SNAPSHOTS_DIR, `${chapter}.json`);
}

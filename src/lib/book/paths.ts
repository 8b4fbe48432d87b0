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

/** The target that runs on this machine (`content/snapshots/*.json`); see targets.ts for the rest. */
export const LOCAL_TARGET = 'local';

/** A target's folder below a snapshots folder: none for `local`, else its name with `:` as `-` (`vm-arm64`). */
function targetFolder(target: string): string {
	return target === LOCAL_TARGET ? '' : snapshotSetName(target);
}

/**
 * Snapshot file of a chapter file as `target` (default local) recorded it:
 * `<book>/snapshots/<id>.json` beside `<book>/chapters/<id>.mdx`, or
 * `<book>/snapshots/vm-arm64/<id>.json` for `vm:arm64`.
 */
export function snapshotFileOf(chapterFile: string, target: string = LOCAL_TARGET): string {
	return join(dirname(dirname(chapterFile)), 'snapshots', targetFolder(target), basename(chapterFile).replace(/\.mdx$/, '.json'));
}

/**
 * A snapshot set's name: what `verify --update --save-as NAME` accepts and what names a folder
 * below content/snapshots (lowercase letters, digits, `.`, `_`, `-`; a letter or digit first).
 */
export const SNAPSHOT_SET_NAME = /^[a-z0-9][a-z0-9_.-]*$/;

/**
 * The name of the snapshot set a target records by default: `local`, or the target with every
 * run of other characters as `-` (`vm:arm64` → `vm-arm64`). A set's name maps to itself, so
 * `--save-as native-arm64` and the target `vm:arm64` name folders the same way.
 */
export function snapshotSetName(target: string = LOCAL_TARGET): string {
	return target === LOCAL_TARGET ? LOCAL_TARGET : target.replace(/[^a-z0-9_.-]+/gi, '-');
}

/**
 * Folder of a target's (or a snapshot set's) snapshots, relative to the repository root:
 * `content/snapshots` for `local`, a folder below it named by {@link snapshotSetName} for
 * anything else (`vm:arm64` → `content/snapshots/vm-arm64`, `native-arm64` →
 * `content/snapshots/native-arm64`).
 */
export function targetSnapshotsDir(target: string = LOCAL_TARGET): string {
	const set = snapshotSetName(target);
	return set === LOCAL_TARGET ? SNAPSHOTS_DIR : join(SNAPSHOTS_DIR, set);
}

/** Path of a chapter's snapshot by chapter id, under `root`, as `target` recorded it (default local). */
export function snapshotPath(root: string, chapter: string, target: string = LOCAL_TARGET): string {
	return join(root, targetSnapshotsDir(target), `${chapter}.json`);
}

/**
 * A chapter's recordings as the site reads them: the primary target's snapshot, which the page
 * shows, and every other known target's, which it is compared with. The site's one way to the
 * snapshots (src/lib/book/targets.ts names the targets and the primary).
 */
import { snapshotFileOf } from '../book/paths.ts';
import { otherTargets, PRIMARY_TARGET } from '../book/targets.ts';
import type { Snapshot } from './schema.ts';
import { loadSnapshot } from './store.ts';

/** One target's recording of a chapter. */
export interface TargetSnapshot {
	/** verify's target name: `local`, `vm:arm64`… */
	target: string;
	snapshot: Snapshot;
}

/** The snapshot file of a chapter file (absolute path) that the site shows: the primary target's. */
export function primarySnapshotFile(chapterFile: string, primary: string = PRIMARY_TARGET): string {
	return snapshotFileOf(chapterFile, primary);
}

/**
 * The primary target's snapshot of a chapter file, or undefined before it is recorded there.
 * Throws (naming the file) when the file is not a valid snapshot.
 */
export function loadPrimarySnapshot(chapterFile: string, primary: string = PRIMARY_TARGET): Snapshot | undefined {
	return loadSnapshot(primarySnapshotFile(chapterFile, primary));
}

/** Every other known target's snapshot of a chapter file, in targets.ts order; targets that lack the chapter are left out. */
export function loadOtherSnapshots(chapterFile: string, primary: string = PRIMARY_TARGET): TargetSnapshot[] {
	return otherTargets(primary).flatMap((target) => {
		const snapshot = loadSnapshot(snapshotFileOf(chapterFile, target));
		return snapshot ? [{ target, snapshot }] : [];
	});
}

/**
 * One target's snapshot of a chapter file, whether or not the site lists the target (the page's
 * real kernel is checked against `v86`'s), or undefined when that target has not recorded it.
 */
export function loadTargetSnapshot(chapterFile: string, target: string): Snapshot | undefined {
	return loadSnapshot(snapshotFileOf(chapterFile, target));
}

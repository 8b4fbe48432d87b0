/**
 * Re-pointing a snapshot's `line` fields after the chapter's prose moved its blocks: each block is
 * found by its key (host and commands, never the prose), in order, as verify pairs them, and only
 * its line changes. Outputs, states and everything else stay as recorded.
 */
import { matchBlocks } from './blocks.ts';
import type { Snapshot, SnapshotBlock } from './schema.ts';

/** A chapter's runnable block as relining needs it: its snapshot key and its fence's line. */
export interface BlockLine {
	key: string;
	line: number;
}

/** The outcome of {@link relineSnapshot}. */
export interface Relined {
	/** The snapshot with its lines re-pointed (the same object when nothing moved). */
	snapshot: Snapshot;
	/** The blocks whose line changed. */
	moved: { key: string; from: number; to: number }[];
	/** Snapshot blocks no block of the chapter has the key of (left as they were). */
	orphans: SnapshotBlock[];
}

/** Re-points every snapshot block to the line of the chapter block with its key. */
export function relineSnapshot(snapshot: Snapshot, blocks: readonly BlockLine[]): Relined {
	const { partners, unused } = matchBlocks(blocks, snapshot.blocks);
	const lineOf = new Map<SnapshotBlock, number>();
	partners.forEach((p, i) => {
		if (p) lineOf.set(p, blocks[i]!.line);
	});
	const moved: Relined['moved'] = [];
	const relined = snapshot.blocks.map((b) => {
		const line = lineOf.get(b);
		if (line === undefined || line === b.line) return b;
		moved.push({ key: b.key, from: b.line, to: line });
		return { ...b, line };
	});
	return { snapshot: moved.length ? { ...snapshot, blocks: relined } : snapshot, moved, orphans: unused };
}

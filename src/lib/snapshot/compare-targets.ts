/**
 * Block by block, whether other targets printed what the primary target printed: the data behind
 * a block's "verified on" list and its "printed something different" note. The comparison is
 * verify's (blocks.ts, normalise.ts): outputs normalised with one context per chapter and
 * recording, blocks paired by key. It compares what the page prints under the commands (stdout,
 * stderr, exit code of every step); captured states only feed diagrams, which show the primary's.
 */
import { matchBlocks, normaliseBlock, type NormalisedBlock } from './blocks.ts';
import { createNormaliseContext } from './normalise.ts';
import type { Recorded, Snapshot, SnapshotBlock } from './schema.ts';
import type { TargetSnapshot } from './recordings.ts';

/** How one other target's recording of a block compares with the primary's. */
export interface TargetBlock {
	/** verify's target name. */
	target: string;
	/** Where and with what the target recorded its snapshot. */
	recorded: Recorded;
	/** The target's own recording of the block, raw (what the page shows when the reader switches to it). */
	block: SnapshotBlock;
	/** Steps (indices) whose normalised stdout, stderr or exit code differ from the primary's; empty when they all match. */
	differing: number[];
}

/** Normalised steps of every block of a snapshot, numbered as one chapter (MACs by first appearance). */
function normalisedSteps(snapshot: Snapshot): NormalisedBlock['steps'][] {
	const context = createNormaliseContext();
	return snapshot.blocks.map((b) => normaliseBlock(b, context).steps);
}

/** Indices of the steps that differ; a step one side lacks differs. */
function differingSteps(mine: NormalisedBlock['steps'], theirs: NormalisedBlock['steps']): number[] {
	const out: number[] = [];
	for (let k = 0; k < Math.max(mine.length, theirs.length); k++) {
		const a = mine[k];
		const b = theirs[k];
		if (!a || !b || a.stdout !== b.stdout || a.stderr !== b.stderr || a.exit !== b.exit) out.push(k);
	}
	return out;
}

/**
 * Compares every block of `primary` with the same block (same key) in each of `others`.
 * Returns one list per primary block, in block order, of the other targets that recorded that
 * block, in the order of `others`; a target whose snapshot lacks the block (recorded before its
 * commands changed) is left out of that block's list.
 */
export function compareTargets(primary: Snapshot, others: readonly TargetSnapshot[]): TargetBlock[][] {
	const mine = normalisedSteps(primary);
	const perBlock: TargetBlock[][] = primary.blocks.map(() => []);
	for (const { target, snapshot } of others) {
		const theirs = normalisedSteps(snapshot);
		const { partners } = matchBlocks(primary.blocks, snapshot.blocks);
		partners.forEach((block, i) => {
			if (!block) return;
			const differing = differingSteps(mine[i] ?? [], theirs[snapshot.blocks.indexOf(block)] ?? []);
			perBlock[i]?.push({ target, recorded: snapshot.recorded, block, differing });
		});
	}
	return perBlock;
}

const cache = new WeakMap<Snapshot, { others: readonly TargetSnapshot[]; result: TargetBlock[][] }>();

/**
 * {@link compareTargets} for a page that asks once per block: computed once per chapter while the
 * snapshots loaded (store.ts caches them until their files change) stay the same objects.
 */
export function compareTargetsCached(primary: Snapshot, others: readonly TargetSnapshot[]): TargetBlock[][] {
	const hit = cache.get(primary);
	const same = hit && hit.others.length === others.length && hit.others.every((o, i) => o.target === others[i]?.target && o.snapshot === others[i]?.snapshot);
	if (hit && same) return hit.result;
	const result = compareTargets(primary, others);
	cache.set(primary, { others, result });
	return result;
}

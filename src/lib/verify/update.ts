/**
 * What `npm run verify -- --update` writes: a run's raw outputs as a snapshot, merged with the
 * previous snapshot so that nothing churns that only varies between runs.
 */
import type { ChapterResult } from '../engines/engine.ts';
import { matchBlocks, normaliseBlock, stateText } from '../snapshot/blocks.ts';
import { createNormaliseContext, normaliseVolatile } from '../snapshot/normalise.ts';
import type { Snapshot, SnapshotBlock } from '../snapshot/schema.ts';

/** The snapshot a run would write, fresh (raw outputs of this run). */
export function snapshotFromRun(result: ChapterResult): Snapshot {
	return {
		chapter: result.chapter,
		recorded: result.recorded,
		blocks: result.blocks.map((b) => ({
			key: b.key,
			line: b.line,
			host: b.host,
			steps: b.steps.map((s) => ({ cmd: s.cmd, stdout: s.stdout, stderr: s.stderr, exit: s.exit })),
			...(b.state ? { state: b.state } : {}),
		})),
	};
}

function sameNormalised(a: readonly SnapshotBlock[], b: readonly SnapshotBlock[]): boolean {
	const ca = createNormaliseContext();
	const cb = createNormaliseContext();
	return a.every((x, i) => {
		const y = b[i];
		return y !== undefined && JSON.stringify(normaliseBlock(x, ca)) === JSON.stringify(normaliseBlock(y, cb));
	});
}

function sameVolatile(a: SnapshotBlock, b: SnapshotBlock): boolean {
	const v = (x: SnapshotBlock): string =>
		JSON.stringify([x.steps.map((s) => [normaliseVolatile(s.stdout), normaliseVolatile(s.stderr), s.exit]), stateText(x.state)]);
	return v(a) === v(b);
}

/**
 * The snapshot `--update` writes, churning as little as possible:
 * - when every block printed the same as before after normalisation, the old snapshot is kept
 *   as it was (only fence lines follow the chapter), so MACs and times do not churn;
 * - otherwise the run's raw outputs are taken, except blocks that differ from before only in
 *   per-run values (ping times and the like, no MACs), which keep their old text.
 * MACs never mix between runs, so a chapter's outputs stay consistent with each other.
 */
export function mergeForUpdate(result: ChapterResult, old: Snapshot | undefined): Snapshot {
	const fresh = snapshotFromRun(result);
	if (!old) return fresh;
	const { partners, unused } = matchBlocks(fresh.blocks, old.blocks);
	const relined = (o: SnapshotBlock, line: number): SnapshotBlock => ({ key: o.key, line, host: o.host, steps: o.steps, ...(o.state ? { state: o.state } : {}) });
	if (unused.length === 0 && partners.every(Boolean) && sameNormalised(fresh.blocks, partners as SnapshotBlock[]))
		return { chapter: old.chapter, recorded: old.recorded, blocks: fresh.blocks.map((b, i) => relined(partners[i] as SnapshotBlock, b.line)) };
	return {
		chapter: fresh.chapter,
		recorded: fresh.recorded,
		blocks: fresh.blocks.map((b, i) => {
			const o = partners[i];
			return o && sameVolatile(o, b) ? relined(o, b.line) : b;
		}),
	};
}

/**
 * What changed between two recordings of a chapter, in verify's own terms: the new snapshot is
 * judged against the old one exactly as `verify --check` judges a run (normalised, block by
 * block, step by step: judge.ts), so the release summary and verify agree on what a change is
 * and MACs or ping times that merely differ between runs are no change.
 */
import type { BlockResult, ChapterResult } from '../../engines/engine.ts';
import type { Chapter } from '../../runbook/types.ts';
import type { Snapshot, SnapshotBlock } from '../../snapshot/schema.ts';
import { compareWithSnapshot, MISMATCH_KINDS, type Problem } from '../judge.ts';

/** One block that differs between two recordings, with verify's problems for it. */
export interface BlockChange {
	/** `changed`: same commands, other output or state; `new`: no such block before; `removed`: gone. */
	status: 'changed' | 'new' | 'removed';
	/** Line of the block's fence (of the old recording for a removed block). */
	line: number;
	host: string;
	/** The block's commands (for new and removed blocks, which have no diff to show). */
	commands: string[];
	/** Verify's problems for the block: stdout, stderr, exit or state, each with its diff. */
	problems: Problem[];
}

/**
 * A snapshot as if a run had printed it, so that judge.ts can compare it with another. Step
 * lines come from the chapter when it has the block (matched by key, in order), else the fence's.
 */
export function snapshotAsRun(snapshot: Snapshot, chapter?: Chapter): ChapterResult {
	const unused = [...(chapter?.blocks ?? [])];
	const linesOf = (block: SnapshotBlock): number[] => {
		const at = unused.findIndex((b) => b.key === block.key && b.commands.length === block.steps.length);
		if (at < 0) return block.steps.map(() => block.line);
		const [source] = unused.splice(at, 1);
		return source?.commands.map((c) => c.line) ?? [];
	};
	return {
		chapter: snapshot.chapter,
		file: chapter?.file ?? `content/chapters/${snapshot.chapter}.mdx`,
		engine: 'kernel',
		recorded: snapshot.recorded,
		ms: 0,
		blocks: snapshot.blocks.map((b, index): BlockResult => {
			const lines = linesOf(b);
			return {
				key: b.key,
				index,
				line: b.line,
				host: b.host,
				fails: false,
				steps: b.steps.map((s, k) => ({ ...s, line: lines[k] ?? b.line, timedOut: false })),
				...(b.state ? { state: b.state } : {}),
			};
		}),
	};
}

/**
 * The blocks of `after` that differ from `before` (normalised as verify compares), in chapter
 * order, then the blocks of `before` that are gone. Empty when the two recordings say the same.
 */
export function chapterChanges(before: Snapshot, after: Snapshot, chapter?: Chapter): BlockChange[] {
	const run = snapshotAsRun(after, chapter);
	const problems = compareWithSnapshot(run, before).filter((p) => MISMATCH_KINDS.has(p.kind));
	const changes = new Map<BlockResult, BlockChange>();
	const removed: BlockChange[] = [];
	for (const p of problems) {
		if (p.kind === 'stale-block') {
			const gone = before.blocks.find((b) => b.line === p.line && b.host === p.host);
			removed.push({ status: 'removed', line: p.line, host: p.host ?? '', commands: gone?.steps.map((s) => s.cmd) ?? [], problems: [] });
			continue;
		}
		// A problem names its block's fence line (new block, state) or one of its commands' lines.
		const block = run.blocks.findLast((b) => b.line <= p.line && b.host === p.host) ?? run.blocks.findLast((b) => b.line <= p.line);
		if (!block) continue;
		const change = changes.get(block) ?? { status: 'changed', line: block.line, host: block.host, commands: block.steps.map((s) => s.cmd), problems: [] };
		if (p.kind === 'new-block') change.status = 'new';
		else change.problems.push(p);
		changes.set(block, change);
	}
	return [...[...changes.values()].sort((a, b) => a.line - b.line), ...removed];
}

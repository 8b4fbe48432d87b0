// Every chapter's progress checks (its frontmatter) against the chapter's own recording: following
// the chapter on the real kernel must earn every check at some point.
import { describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../book/paths.ts';
import { oneLine } from '../runbook/commands.ts';
import { loadBook } from '../runbook/load.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { compileChecks, ProgressTracker, type CheckContext } from './progress.ts';

const book = loadBook();

describe('progress checks of the book', () => {
	it('exist for every chapter', () => {
		expect(book.length).toBeGreaterThan(0);
		for (const chapter of book) expect(chapter.checks.length, chapter.id).toBeGreaterThan(0);
	});

	// Replay the recording's commands (with their exits) and its captured states through the
	// checks, as the reader's own commands (nothing holds before the chapter starts).
	it.each(book.map((c) => [c.id, c] as const))('%s: all pass along the recorded run', (_, chapter) => {
		const snapshot = loadSnapshot(snapshotPath(ROOT, chapter.id));
		expect(snapshot, `${chapter.id} has no snapshot to replay`).toBeDefined();
		const checks = compileChecks(chapter.checks);
		const progress = new ProgressTracker(checks);
		const passed = new Set<string>();
		let state: CheckContext['state'] = {};
		progress.settle(state);
		let replayed = 0;
		for (const block of snapshot?.blocks ?? [])
			for (const [i, step] of block.steps.entries()) {
				// States are captured after a block: the block's last command leaves it.
				if (block.state && i === block.steps.length - 1) state = block.state;
				for (const id of progress.command({ host: block.host, line: oneLine(step.cmd), exit: step.exit, stdout: step.stdout }, state)) passed.add(id);
				replayed++;
			}
		expect(replayed).toBeGreaterThan(0);
		expect(checks.filter((c) => !passed.has(c.id)).map((c) => c.label)).toEqual([]);
	});
});

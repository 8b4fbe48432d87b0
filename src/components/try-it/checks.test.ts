import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBook } from '../../lib/runbook/load.ts';
import { oneLine } from '../../lib/runbook/commands.ts';
import { loadSnapshot } from '../../lib/snapshot/store.ts';
import { snapshotFileOf } from '../../lib/book/paths.ts';
import { ProgressTracker, type CheckContext } from '../../lib/terminal/progress.ts';
import { CHECKS } from './checks.ts';

const book = loadBook();

describe('progress checks', () => {
	it('exist for every chapter, with unique ids', () => {
		for (const chapter of book) {
			const ids = (CHECKS[chapter.id] ?? []).map((c) => c.id);
			expect(ids.length, chapter.id).toBeGreaterThan(0);
			expect(new Set(ids).size, chapter.id).toBe(ids.length);
		}
		expect(Object.keys(CHECKS).sort()).toEqual(book.map((c) => c.id).sort());
	});

	// Following the chapter on the real kernel must earn every check at some point: replay the
	// recording's commands (with their exits) and its captured states through the checks, as the
	// reader's own commands (nothing holds before the chapter starts).
	it.each(book.filter((c) => existsSync(snapshotFileOf(c.file))).map((c) => [c.id, c] as const))('%s: all pass along the recorded run', (_, chapter) => {
		const snapshot = loadSnapshot(snapshotFileOf(chapter.file))!;
		const checks = CHECKS[chapter.id] ?? [];
		const progress = new ProgressTracker(checks);
		const passed = new Set<string>();
		let state: CheckContext['state'] = {};
		progress.settle(state);
		for (const block of snapshot.blocks)
			for (const [i, step] of block.steps.entries()) {
				// States are captured after a block: the block's last command leaves it.
				if (block.state && i === block.steps.length - 1) state = block.state;
				for (const id of progress.command({ host: block.host, line: oneLine(step.cmd), exit: step.exit, stdout: step.stdout }, state)) passed.add(id);
			}
		expect(checks.filter((c) => !passed.has(c.id)).map((c) => c.label)).toEqual([]);
	});
});

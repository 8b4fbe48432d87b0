import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBook } from '../../lib/runbook/load.ts';
import { oneLine } from '../../lib/runbook/commands.ts';
import { readSnapshot } from '../../plugins/recorded-output/snapshot.ts';
import { snapshotFileOf } from '../../plugins/recorded-output/book.ts';
import { evaluate, type CheckContext } from '../../lib/terminal/progress.ts';
import type { CommandRecord } from '../../lib/terminal/shell.ts';
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

	// Following the chapter on the real kernel must pass every check at some point: replay the
	// recording's commands (with their exits) and its captured states through the checks.
	it.each(book.filter((c) => existsSync(snapshotFileOf(c.file))).map((c) => [c.id, c] as const))('%s: all pass along the recorded run', (_, chapter) => {
		const snapshot = readSnapshot(snapshotFileOf(chapter.file))!;
		const checks = CHECKS[chapter.id] ?? [];
		const commands: CommandRecord[] = [];
		const passed = new Set<string>();
		let state: CheckContext['state'] = {};
		for (const block of snapshot.blocks) {
			for (const step of block.steps) commands.push({ host: block.host, line: oneLine(step.cmd), exit: step.exit, stdout: step.stdout });
			if (block.state) state = block.state;
			for (const id of evaluate(checks, { state, commands })) passed.add(id);
		}
		expect(checks.filter((c) => !passed.has(c.id)).map((c) => c.label)).toEqual([]);
	});
});

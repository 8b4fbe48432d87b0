import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotPath } from '../../book/paths.ts';
import { loadBook } from '../../runbook/load.ts';
import { formatSnapshot } from '../../snapshot/store.ts';
import { readShardOutputs, writeShardOutputs, type ShardOutputs } from './gather.ts';
import { CHAPTERS, realSnapshot, shardOutput, tempBook } from './release.test-helper.ts';

const [first, second] = CHAPTERS;
const made: string[] = [];
const track = (dir: string): string => (made.push(dir), dir);
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function ok(read: ShardOutputs): Extract<ShardOutputs, { ok: true }>['sets'] {
	if (!read.ok) throw new Error(read.errors.join('\n'));
	return read.sets;
}

describe('readShardOutputs', () => {
	const a = track(shardOutput({ local: [realSnapshot(first)] }));
	const b = track(shardOutput({ local: [realSnapshot(second)] }));

	it('takes each chapter of a set from the one shard that ran it', () => {
		const sets = ok(readShardOutputs([a, b], CHAPTERS));
		expect([...sets.keys()]).toEqual(['local']);
		expect([...(sets.get('local')?.keys() ?? [])].sort()).toEqual([...CHAPTERS]);
		expect(sets.get('local')?.get(first)?.from).toBe(join(a, 'local', `${first}.json`));
	});

	it('refuses a chapter that two shards ran, and a chapter that none ran, one line each', () => {
		expect(readShardOutputs([a, a], CHAPTERS)).toEqual({
			ok: false,
			errors: [
				`local/${first}.json comes from both ${join(a, 'local', `${first}.json`)} and ${join(a, 'local', `${first}.json`)}: two shards ran the same chapter`,
				`local lacks ${second}: no shard output has it (did every shard job of local upload its artifact?)`,
			],
		});
	});

	it('refuses what is not a snapshot of a chapter of the book', () => {
		const odd = track(shardOutput({ local: [realSnapshot(first)] }));
		writeFileSync(join(odd, 'local', `${second}.json`), formatSnapshot(realSnapshot(first)));
		writeFileSync(join(odd, 'local', 'notes.txt'), 'hello');
		writeFileSync(join(odd, 'local', '99-unknown.json'), '{}');
		writeFileSync(join(odd, 'stray.json'), '{}');
		const read = readShardOutputs([odd, '/nonexistent/shard'], CHAPTERS);
		expect(read.ok ? [] : read.errors).toEqual([
			`${join(odd, 'local', `${second}.json`)} holds chapter ${first}, not ${second}`,
			`${join(odd, 'local', '99-unknown.json')}: no chapter 99-unknown in the book: was it recorded from another commit?`,
			`${join(odd, 'local', 'notes.txt')}: not a snapshot (a shard's output holds SET/CHAPTER.json only)`,
			`${join(odd, 'stray.json')}: not a snapshot set folder (a shard's output holds SET/CHAPTER.json, SET such as local or vm-arm64)`,
			"/nonexistent/shard is not a folder: download the shard jobs' artifacts first (one folder each)",
			`local lacks ${second}: no shard output has it (did every shard job of local upload its artifact?)`,
		]);
	});

	it('names an invalid snapshot with what is wrong in it', () => {
		const bad = track(shardOutput({ local: [realSnapshot(first)] }));
		writeFileSync(join(bad, 'local', `${second}.json`), '{ "chapter": 4 }');
		const read = readShardOutputs([bad], CHAPTERS);
		expect(read.ok).toBe(false);
		expect(read.ok ? '' : read.errors[0]).toMatch(new RegExp(`^${join(bad, 'local', second)}\\.json: chapter: .+; recorded: .+; blocks: `));
		expect(readShardOutputs([], CHAPTERS)).toEqual({ ok: false, errors: ['no shard output folders given: name them with --from DIR…'] });
	});
});

describe('writeShardOutputs', () => {
	const root = track(tempBook());
	const book = loadBook(root);
	const before = realSnapshot(first);
	// Chapter 1 as a new release's run would record it: block 2's first command printed one more line.
	const changed = realSnapshot(first);
	const block = changed.blocks[1]!;
	const step = block.steps[0]!;
	step.stdout += 'an extra line\n';
	const dirs = [track(shardOutput({ local: [changed], 'vm-arm64': [realSnapshot(first)] })), track(shardOutput({ local: [realSnapshot(second)], 'vm-arm64': [realSnapshot(second)] }))];
	const sets = writeShardOutputs(root, ok(readShardOutputs(dirs, CHAPTERS)), book);

	it('writes every set where verify keeps it, byte for byte what the shards recorded', () => {
		expect(sets.map((s) => [s.set, s.dir])).toEqual([
			['local', 'content/snapshots'],
			['vm-arm64', 'content/snapshots/vm-arm64'],
		]);
		for (const set of ['local', 'vm-arm64'])
			for (const id of CHAPTERS) {
				const from = dirs.map((d) => join(d, set, `${id}.json`)).find(existsSync) ?? '';
				expect(readFileSync(snapshotPath(root, id, set), 'utf8')).toBe(readFileSync(from, 'utf8'));
			}
		expect(readFileSync(snapshotPath(root, first), 'utf8')).toBe(formatSnapshot(changed));
	});

	it('reports the changed block with verify’s diff, and nothing for an unchanged chapter', () => {
		const local = sets[0]!;
		const [one, four] = local.chapters;
		expect(one).toMatchObject({ chapter: first, written: true, comparedWith: 'before', blocks: before.blocks.length, recorded: before.recorded, recordedBefore: before.recorded });
		expect(one?.commands).toBe(before.blocks.reduce((n, b) => n + b.steps.length, 0));
		expect(one?.changes).toHaveLength(1);
		const change = one!.changes[0]!;
		const source = book.find((c) => c.id === first)!.blocks.find((b) => b.key === block.key)!;
		expect(change).toMatchObject({ status: 'changed', line: block.line, host: block.host, commands: block.steps.map((s) => s.cmd) });
		expect(change.problems.map((p) => [p.kind, p.line, p.cmd])).toEqual([['stdout', source.commands[0]!.line, step.cmd]]);
		expect(change.problems[0]!.diff).toContain('    + an extra line');
		expect(four).toMatchObject({ chapter: second, written: false, comparedWith: 'before', changes: [] });
	});

	it("compares a set's first recording with the book's own set as just gathered", () => {
		const [one, four] = sets[1]!.chapters;
		expect(one).toMatchObject({ chapter: first, written: true, comparedWith: 'local' });
		// vm-arm64 holds chapter 1 as it was; local now holds the run with the extra line.
		expect(one?.changes.flatMap((c) => c.problems.map((p) => p.diff ?? ''))).toEqual([expect.stringContaining('    - an extra line')]);
		expect(one?.recordedBefore).toBeUndefined();
		expect(four).toMatchObject({ chapter: second, comparedWith: 'local', changes: [] });
	});
});

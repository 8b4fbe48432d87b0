import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../src/lib/book/paths.ts';
import { chapterSource, fixtureBook } from '../src/lib/engines/local/safety-helpers.ts';
import { formatSnapshot } from '../src/lib/snapshot/store.ts';
import { CHAPTERS, realSnapshot, shardOutput, tempBook } from '../src/lib/verify/release/release.test-helper.ts';
import { chapterWeights, planShards } from '../src/lib/verify/release/shard.ts';

const made: string[] = [];
const track = (dir: string): string => (made.push(dir), dir);
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function release(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/release-outputs.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('release:outputs on bad input', () => {
	it('names the mistake in one line, exit 2', () => {
		expect(release('publish')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^release:outputs: unknown subcommand "publish": shard or gather\nusage: /) });
		expect(release('shard', '--shard', '1/2')).toEqual({ code: 2, stdout: '', stderr: 'release:outputs: shard needs --target local, vm:arm64 or vm:x86_64\n' });
		expect(release('shard', '--target', 'local', '--shard', '3/2', '--list').stderr).toBe('release:outputs: --shard needs K/N with 1 ≤ K ≤ N (such as 2/4), not "3/2"\n');
		expect(release('shard', '--target', 'local', '--shard', '1/2').stderr).toBe('release:outputs: shard needs --out DIR: the folder its snapshots are copied to, for the gather step\n');
		expect(release('gather', '--from', 'x').stderr).toBe('release:outputs: gather needs --summary FILE: where the Markdown summary of the changes goes\n');
		expect(release('gather', '--target', 'local').stderr).toMatch(/^release:outputs: gather does not take --target\n/);
	});
});

describe('release:outputs shard --list', () => {
	it("prints each shard's chapters: together the book, each chapter once, as planned", () => {
		const lists = [1, 2, 3].map((k) => release('shard', '--target', 'vm:arm64', '--shard', `${k}/3`, '--list'));
		expect(lists.map((l) => l.code)).toEqual([0, 0, 0]);
		expect(lists.map((l) => l.stdout.trimEnd().split('\n'))).toEqual(planShards(chapterWeights(), 3));
	});
});

describe('release:outputs gather', () => {
	it('merges shard folders, writes the summary and says what it did', () => {
		const root = track(tempBook());
		const changed = realSnapshot(CHAPTERS[0]);
		changed.blocks[1]!.steps[0]!.stdout += 'an extra line\n';
		const a = track(shardOutput({ local: [changed] }));
		const b = track(shardOutput({ local: [realSnapshot(CHAPTERS[1])] }));
		const summary = join(track(mkdtempSync(join(tmpdir(), 'netbook-summary-'))), 'out/summary.md');
		const r = release('gather', '--root', root, '--summary', summary, '--from', a, b);
		expect(r).toEqual({
			code: 0,
			stderr: '',
			stdout: `gather: local (content/snapshots/): 2 chapters, 1 differ (1 block), 1 file written\ngather: summary in ${summary}\n`,
		});
		expect(readFileSync(snapshotPath(root, CHAPTERS[0]), 'utf8')).toBe(formatSnapshot(changed));
		expect(readFileSync(summary, 'utf8')).toContain('+ an extra line');
	});

	it('refuses a conflict and a missing chapter, one line each, and writes nothing', () => {
		const root = track(tempBook());
		const before = readFileSync(snapshotPath(root, CHAPTERS[0]), 'utf8');
		const changed = realSnapshot(CHAPTERS[0]);
		changed.blocks[1]!.steps[0]!.stdout += 'an extra line\n';
		const a = track(shardOutput({ local: [changed] }));
		const summary = join(root, 'summary.md');
		const r = release('gather', '--root', root, '--summary', summary, '--from', a, '--from', a);
		expect(r.code).toBe(1);
		expect(r.stderr.split('\n')).toEqual([
			`release:outputs: gather: local/${CHAPTERS[0]}.json comes from both ${join(a, 'local', `${CHAPTERS[0]}.json`)} and ${join(a, 'local', `${CHAPTERS[0]}.json`)}: two shards ran the same chapter`,
			`release:outputs: gather: local lacks ${CHAPTERS[1]}: no shard output has it (did every shard job of local upload its artifact?)`,
			'release:outputs: gather refused: 2 problems, nothing written',
			'',
		]);
		expect(readFileSync(snapshotPath(root, CHAPTERS[0]), 'utf8')).toBe(before);
		expect(existsSync(summary)).toBe(false);
	});
});

describe('release:outputs shard (as root: runs one-command chapters in the sandbox)', () => {
	const root = track(fixtureBook({ '01-a': chapterSource('two-hosts', [{ commands: ['true'] }]), '02-b': chapterSource('machine', [{ commands: ['true', 'true'] }]) }));

	it("runs verify --update for its chapters and copies what they recorded to OUT/<set>/, the set --save-as names", () => {
		const out = track(mkdtempSync(join(tmpdir(), 'netbook-shard-')));
		const [mine] = planShards(chapterWeights(root), 2);
		const r = release('shard', '--root', root, '--target', 'local', '--shard', '1/2', '--save-as', 'native-arm64', '--out', out);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`release:outputs: shard 1/2 of local as native-arm64: ${mine!.join(' ')}\n`);
		expect(r.stdout).toContain(`release:outputs: 1 snapshot copied to ${join(out, 'native-arm64')}/\n`);
		for (const id of mine!) expect(readFileSync(join(out, 'native-arm64', `${id}.json`), 'utf8')).toBe(readFileSync(snapshotPath(root, id, 'native-arm64'), 'utf8'));
		expect(existsSync(snapshotPath(root, mine![0]!))).toBe(false);
	});
});

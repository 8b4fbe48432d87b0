// The targets part's orchestration on one tiny chapter, with the local target only (as root, in
// the sealed sandbox): the whole book is timed in update mode in a scratch copy of the book, the
// snapshots it recorded are left in bench/targets/local/, and the book itself is never touched.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterSource, fixtureBook } from '../engines/local/safety-helpers.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { formatTargets } from './report-targets.ts';
import { measureTargets, parseTargets, targetDirName } from './targets.ts';

const scratches = () => readdirSync(tmpdir()).filter((f) => f.startsWith('netbook-bench-targets-'));

describe('measureTargets', () => {
	it('times the whole book on local in a scratch copy and leaves its snapshots in bench/targets/local', async () => {
		const root = fixtureBook({ '01-tiny': chapterSource('machine', [{ commands: ['hostname', 'ip -br link show lo'] }]) });
		// What an earlier run left there goes: the folder holds this run's snapshots only.
		mkdirSync(join(root, 'bench/targets/local'), { recursive: true });
		writeFileSync(join(root, 'bench/targets/local/00-stale.json'), '{}');
		const before = scratches();
		const lines: string[] = [];
		const figures = await measureTargets({ root, targets: ['local'], log: (l) => lines.push(l) });

		expect(figures.books).toEqual([
			{
				target: 'local',
				engine: 'kernel',
				wallMs: expect.any(Number),
				commands: 2,
				commandsPerSecond: expect.any(Number),
				overLocal: 1,
				failures: 0,
				errors: 0,
				chapters: [{ chapter: '01-tiny', commands: 2, ms: expect.any(Number), problems: 0 }],
				snapshots: 'bench/targets/local',
			},
		]);
		const book = figures.books[0]!;
		expect(book.wallMs).toBeGreaterThanOrEqual(book.chapters[0]!.ms);
		expect(book.commandsPerSecond).toBeCloseTo(2 / (book.wallMs / 1000), 1);
		expect({ images: figures.images, boot: figures.boot, differences: figures.differences, ssh: figures.ssh }).toEqual({ images: [], boot: [], differences: [], ssh: undefined });

		// The snapshot this run recorded: genuine verify output, kept for review.
		expect(readdirSync(join(root, 'bench/targets/local'))).toEqual(['01-tiny.json']);
		const snapshot = loadSnapshot(join(root, 'bench/targets/local/01-tiny.json'))!;
		expect(snapshot.blocks.flatMap((b) => b.steps.map((s) => [s.cmd, s.stdout.replace(/ +/g, ' '), s.exit]))).toEqual([
			['hostname', 'pi\n', 0],
			['ip -br link show lo', 'lo UNKNOWN 00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n', 0],
		]);
		// The book itself is untouched, and the scratch copy is gone.
		expect(readdirSync(join(root, 'content/snapshots'))).toEqual([]);
		expect(scratches()).toEqual(before);
		expect(lines).toEqual([
			'targets: local: whole book (verify --update, concurrency 2, chapter scripts included)',
			expect.stringMatching(/^targets: local ✓ 01-tiny \(2 commands, \d+\.\d s\)$/),
		]);
		expect(formatTargets(figures)).toContain('snapshots left in bench/targets/local: review them');
		rmSync(root, { recursive: true, force: true });
	}, 120_000);
});

describe('parseTargets', () => {
	it('reads a comma list of known targets, and names an unknown one', () => {
		expect(parseTargets('local,vm:arm64, ssh,local')).toEqual(['local', 'vm:arm64', 'ssh']);
		expect(() => parseTargets('local,vm:riscv64')).toThrow('unknown target "vm:riscv64" (local, vm:arm64, vm:x86_64, ssh)');
		expect(() => parseTargets(',')).toThrow('no target named');
	});

	it('names the folder of each target below bench/targets/', () => {
		expect(['local', 'vm:arm64', 'vm:x86_64', 'ssh'].map((t) => targetDirName(t as 'local'))).toEqual(['local', 'vm-arm64', 'vm-x86_64', 'ssh']);
	});
});

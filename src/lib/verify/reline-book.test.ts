import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { formatSnapshot, loadSnapshot } from '../snapshot/store.ts';
import { relineBook } from './reline-book.ts';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the fixture book as a repository: content/chapters, content/snapshots (+ a set), examples/labs. */
function fixtureRepo(): string {
	const root = mkdtempSync(join(tmpdir(), 'reline-'));
	dirs.push(root);
	cpSync(join(ROOT, 'tests/fixtures/book/chapters'), join(root, 'content/chapters'), { recursive: true });
	cpSync(join(ROOT, 'tests/fixtures/book/snapshots'), join(root, 'content/snapshots'), { recursive: true });
	cpSync(join(ROOT, 'tests/fixtures/book/snapshots'), join(root, 'content/snapshots/vm-arm64'), { recursive: true });
	cpSync(join(ROOT, 'examples/labs'), join(root, 'examples/labs'), { recursive: true });
	// In the snapshot writer's format, as verify writes them (the fixture's are written by hand).
	for (const dir of ['content/snapshots', 'content/snapshots/vm-arm64'])
		for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith('.json'))) writeFileSync(join(root, dir, f), formatSnapshot(loadSnapshot(join(root, dir, f))!));
	return root;
}

describe('relineBook', () => {
	it('follows prose added to a chapter in every snapshot set, changing only line fields', () => {
		const root = fixtureRepo();
		const chapter = join(root, 'content/chapters/01-two-machines.mdx');
		const snapshots = ['content/snapshots/01-two-machines.json', 'content/snapshots/vm-arm64/01-two-machines.json'].map((f) => join(root, f));
		const before = snapshots.map((f) => readFileSync(f, 'utf8'));
		expect(relineBook(root)).toEqual([]);
		writeFileSync(chapter, readFileSync(chapter, 'utf8').replace('## Look at the interfaces\n', '## Look at the interfaces\n\nTwo lines\nof new prose.\n'));
		expect(relineBook(root, { dryRun: true }).map((r) => r.file)).toEqual(['content/snapshots/01-two-machines.json', 'content/snapshots/vm-arm64/01-two-machines.json']);
		expect(snapshots.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
		const reports = relineBook(root);
		expect(reports[0]!.moved.length).toBeGreaterThan(0);
		expect(reports[0]!.moved.every((m) => m.to === m.from + 3)).toBe(true);
		snapshots.forEach((f, i) => {
			const strip = (t: string) => t.replace(/"line": \d+,/g, '"line": N,');
			const after = readFileSync(f, 'utf8');
			expect(after).not.toBe(before[i]);
			expect(strip(after)).toBe(strip(before[i]!));
		});
		expect(relineBook(root)).toEqual([]);
	});

	it('leaves alone a file that is not in the writer’s format, rather than reformat it', () => {
		const root = fixtureRepo();
		const file = join(root, 'content/snapshots/01-two-machines.json');
		writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))));
		const chapter = join(root, 'content/chapters/01-two-machines.mdx');
		writeFileSync(chapter, `${readFileSync(chapter, 'utf8').replace('## Look at the interfaces\n', '## Look at the interfaces\n\nProse.\n')}`);
		const before = readFileSync(file, 'utf8');
		const reports = relineBook(root);
		expect(reports.find((r) => r.file === 'content/snapshots/01-two-machines.json')?.skipped).toMatch(/not in the snapshot writer’s format/);
		expect(readFileSync(file, 'utf8')).toBe(before);
		expect(reports.find((r) => r.file === 'content/snapshots/vm-arm64/01-two-machines.json')?.moved.length).toBeGreaterThan(0);
	});

	it('finds the book’s own snapshots in line with its chapters (npm run -s reline after prose edits)', () => {
		expect(relineBook(ROOT, { dryRun: true }).filter((r) => r.moved.length || r.skipped)).toEqual([]);
	});
});

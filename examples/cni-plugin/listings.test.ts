// Chapter 15 shows the plugin's source in listings. Each must be cut from the file its first line
// names (`// from examples/cni-plugin/src/X.ts`: a comment Expressive Code does not take for a
// file name, so the listing has no title bar, which the site draws only for terminals), unchanged: every run of lines between `// …` marks appears in the file as it stands,
// line for line and in the listing's order, so the chapter cannot drift from the code that runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/lib/book/paths.ts';

const chapterFile = readdirSync(join(ROOT, 'content/chapters')).find((f) => /^\d\d-write-a-cni-plugin\.mdx$/.test(f));
const chapter = readFileSync(join(ROOT, 'content/chapters', chapterFile ?? 'missing'), 'utf8');

/** The chapter's TypeScript listings: the file each names and its lines after that first line. */
const listings = [...chapter.matchAll(/^```ts\n\/\/ from (examples\/cni-plugin\/\S+\.ts)\n([\s\S]*?)^```$/gm)].map((m) => ({
	file: m[1]!,
	lines: m[2]!.replace(/\n$/, '').split('\n'),
}));

/** Splits a listing at its `// …` lines into runs of lines that must appear together. */
const runsOf = (lines: string[]): string[][] =>
	lines.reduce<string[][]>((runs, line) => (/^\s*\/\/ …$/.test(line) ? [...runs, []] : [...runs.slice(0, -1), [...runs.at(-1)!, line]]), [[]]).filter((r) => r.length);

/** Where `run` starts in `lines` at or after `from`, or -1. */
function find(lines: string[], run: string[], from: number): number {
	for (let i = from; i + run.length <= lines.length; i++) if (run.every((l, j) => lines[i + j] === l)) return i;
	return -1;
}

describe('the listings of chapter 15', () => {
	it('are there, and name a file of the plugin each', () => {
		expect(chapterFile).toBeDefined();
		expect(listings.length).toBeGreaterThanOrEqual(8);
		// Every ts block of the chapter is a checked listing.
		expect(chapter.match(/^```ts$/gm)?.length).toBe(listings.length);
	});

	it.each(listings.map((l, i) => [i + 1, l.file, l] as const))('listing %i (%s) is cut from the file unchanged', (_, file, listing) => {
		const source = readFileSync(join(ROOT, file), 'utf8').split('\n');
		let at = 0;
		for (const run of runsOf(listing.lines)) {
			const found = find(source, run, at);
			expect(found, `${file}: not found in order, as written:\n${run.join('\n')}`).toBeGreaterThanOrEqual(0);
			at = found + run.length;
		}
	});
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { builtStateBlock, cleanupBlocks } from './cleanup.ts';
import { chapterFiles, loadChapter } from './load.ts';

const FIXTURES = join(ROOT, 'tests/fixtures/book/chapters');

describe('cleanupBlocks', () => {
	it('takes the trailing blocks titled "Clean up", and the built state comes just before them', () => {
		const chapter = loadChapter(join(FIXTURES, '01-two-machines.mdx'));
		expect(cleanupBlocks(chapter).map((b) => b.attributes.title)).toEqual(['Clean up Alice', 'Clean up Bob']);
		const built = builtStateBlock(chapter)!;
		expect(chapter.blocks.filter((b) => b.runnable).indexOf(built)).toBe(chapter.blocks.filter((b) => b.runnable).length - 3);
	});

	it.each(chapterFiles().map((f) => [f.replace(/^.*\//, ''), f]))('%s ends with a cleanup', (_, file) => {
		const chapter = loadChapter(file);
		expect(cleanupBlocks(chapter).length).toBeGreaterThan(0);
		expect(builtStateBlock(chapter)).toBeDefined();
	});
});

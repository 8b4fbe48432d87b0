import { describe, expect, it } from 'vitest';
import { labNames, loadLab } from '../book/labs.ts';
import { chapterFiles, loadChapter } from './load.ts';

describe('the book', () => {
	const files = chapterFiles();

	it('has its chapters', () => {
		expect(files.length).toBeGreaterThanOrEqual(10);
	});

	it.each(labNames())('lab %s is valid and named after its file', (name) => {
		expect(loadLab(name).name).toBe(name);
	});

	it.each(files.map((f) => [f.replace(/^.*\//, ''), f]))('%s parses, names hosts of its lab and has commands', (_, file) => {
		const chapter = loadChapter(file);
		const hosts = loadLab(chapter.lab).hosts.map((h) => h.name);
		expect(chapter.blocks.length).toBeGreaterThan(0);
		for (const block of chapter.blocks) expect(hosts).toContain(block.host);
	});
});

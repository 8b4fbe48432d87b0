import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadLab } from '../book/labs.ts';
import { CHAPTER_FILE_NAME, CHAPTERS_DIR, LABS_DIR, ROOT } from '../book/paths.ts';
import { parseChapter } from './parse.ts';
import type { Chapter } from './types.ts';

/** Chapter files (`NN-slug.mdx`) in book order. */
export function chapterFiles(root = ROOT): string[] {
	return readdirSync(join(root, CHAPTERS_DIR))
		.filter((f) => CHAPTER_FILE_NAME.test(f))
		.sort()
		.map((f) => join(root, CHAPTERS_DIR, f));
}

/** Reads and parses one chapter file, resolving its lab from examples/labs. */
export function loadChapter(path: string, root = ROOT): Chapter {
	const file = relative(root, path);
	return parseChapter(readFileSync(path, 'utf8'), {
		file,
		lab: (name) =>
			existsSync(join(root, LABS_DIR, `${name}.json`))
				? { hosts: loadLab(name, root).hosts.map((h) => h.name) }
				: undefined,
	});
}

/** Every chapter of the book, in order. */
export function loadBook(root = ROOT): Chapter[] {
	return chapterFiles(root).map((f) => loadChapter(f, root));
}

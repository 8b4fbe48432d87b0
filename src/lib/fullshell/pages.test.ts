// Which pages embed the full shell: the chapters whose MDX uses the component.
import { describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { bookChapterSources } from './emit.ts';
import { shellPages, usesFullShell } from './pages.ts';
import { join } from 'node:path';

describe('usesFullShell', () => {
	it('sees the component in prose, not in a code block or under another name', () => {
		expect(usesFullShell('Text.\n\n<FullShell />\n')).toBe(true);
		expect(usesFullShell('<FullShell/>')).toBe(true);
		expect(usesFullShell('<FullShell\n/>')).toBe(true);
		expect(usesFullShell('```mdx\n<FullShell />\n```\n')).toBe(false);
		expect(usesFullShell('~~~\n<FullShell />\n~~~\n')).toBe(false);
		expect(usesFullShell('<FullShellish />')).toBe(false);
		expect(usesFullShell('import FullShell from "x";\nno use of it')).toBe(false);
	});
});

describe('shellPages', () => {
	it('lists the chapters that use it, as site paths, sorted', () => {
		expect(shellPages([{ id: '15-b', text: '<FullShell />' }, { id: '03-a', text: 'none' }, { id: '09-c', text: 'x\n<FullShell />' }])).toEqual(['/09-c/', '/15-b/']);
	});

	it('finds in this book exactly the chapters that import the component and use it', () => {
		const chapters = bookChapterSources(join(ROOT, 'content'));
		const importing = chapters.filter((c) => c.text.includes("from '../../src/components/full-shell/FullShell.astro'")).map((c) => `/${c.id}/`);
		expect(importing.length).toBeGreaterThan(0);
		expect(shellPages(chapters)).toEqual(importing);
	});
});

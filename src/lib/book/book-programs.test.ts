import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBook } from '../runbook/load.ts';
import { chapterBookPrograms } from '../runbook/programs.ts';
import { chapterScript, chapterTools } from '../runbook/script.ts';
import { loadLab } from './labs.ts';
import { BOOK_PROGRAMS, bookProgram, downloadHref, downloadUrl, TSBRIDGE } from './book-programs.ts';
import { packageOf } from './packages.ts';
import { ROOT } from './paths.ts';

const book = loadBook();
const callers = book.filter((c) => chapterBookPrograms(c).length > 0);

describe('the book\'s own programs', () => {
	it('are found by their path only', () => {
		expect(bookProgram('/opt/cni/bin/tsbridge')).toBe(TSBRIDGE);
		expect(bookProgram('tsbridge')).toBeUndefined();
		expect(downloadHref(TSBRIDGE)).toBe('/downloads/tsbridge');
	});

	it.each(BOOK_PROGRAMS.map((p) => [p.path, p] as const))('%s: its sources, its download page and its interpreter\'s package exist', (_, p) => {
		expect(existsSync(join(ROOT, p.source))).toBe(true);
		expect(existsSync(join(ROOT, 'src/pages/downloads', `${p.download}.ts`))).toBe(true);
		expect(packageOf(p.interpreter)?.package).toBeDefined();
	});

	it('are called by a chapter, which shows a reader where to download each, at the address the site serves', () => {
		expect(callers.length).toBeGreaterThan(0);
		for (const chapter of callers)
			for (const p of chapterBookPrograms(chapter)) {
				const shown = chapter.blocks.filter((b) => !b.runnable).flatMap((b) => b.commands.map((c) => c.text));
				expect(shown, chapter.id).toContain(`curl -fsSL -o ${p.path} ${downloadUrl(p)}`);
				expect(shown, chapter.id).toContain(`apt install ${packageOf(p.interpreter)!.package}`);
			}
	});

	it('make a chapter\'s script check for them and their interpreter, and say where to get one that is missing', () => {
		for (const chapter of callers) {
			const tools = chapterTools(chapter);
			for (const p of chapterBookPrograms(chapter)) {
				expect(tools).toContainEqual({ name: p.path, download: downloadUrl(p) });
				expect(tools).toContainEqual({ name: p.interpreter, package: packageOf(p.interpreter)!.package });
			}
			const lab = loadLab(chapter.lab);
			const script = chapterScript(chapter, { lab: { name: lab.name, description: lab.description, hosts: lab.hosts.map((h) => h.name) } });
			// (bash's single quotes: the apostrophe of "book's" closes, escapes and reopens them)
			const message = `missing: ${TSBRIDGE.path}, ${TSBRIDGE.what} (download ${downloadUrl(TSBRIDGE)} to that path and make it executable: chmod 755 ${TSBRIDGE.path})`;
			expect(script).toContain(`\t[[ -x '${TSBRIDGE.path}' ]] || die '${message.replace(/'/g, `'\\''`)}'`);
			expect(script).toMatch(/^TOOLS=\(.*'node'.*\)$/m);
			expect(script).not.toMatch(/^TOOLS=\(.*tsbridge.*\)$/m);
		}
	});
});

// What the build writes into a built site, on a small book of its own.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { emitFullShell, pagesWithMarker } from './emit.ts';
import { GENERATED_MARK, isolationRules, nginxSnippet, parseHeadersFile, vercelHeaders } from './headers.ts';
import { collectShellFiles } from './sources.ts';
import { shellTree } from './tree.ts';

const scratch = mkdtempSync(join(tmpdir(), 'full-shell-emit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A book with two chapters, one using the component, and a built site whose pages say the same. */
function site(name: string, marked: string[]): { bookDir: string; outDir: string } {
	const bookDir = join(scratch, name, 'book');
	const outDir = join(scratch, name, 'dist');
	mkdirSync(join(bookDir, 'chapters'), { recursive: true });
	writeFileSync(join(bookDir, 'chapters/01-one.mdx'), '---\ntitle: One\n---\nText.\n');
	writeFileSync(join(bookDir, 'chapters/02-two.mdx'), "---\ntitle: Two\n---\nimport FullShell from 'x';\n\n<FullShell />\n");
	for (const id of ['01-one', '02-two']) {
		mkdirSync(join(outDir, id), { recursive: true });
		writeFileSync(join(outDir, id, 'index.html'), marked.includes(id) ? '<section class="nb-fullshell" data-nb-fullshell data-tree="/x">' : '<p>data-nb-fullshell in prose</p>');
	}
	return { bookDir, outDir };
}

describe('emitFullShell', () => {
	it('writes the tree and the headers of the page that embeds the shell, for each kind of host', async () => {
		const { bookDir, outDir } = site('one', ['02-two']);
		writeFileSync(join(outDir, '_headers'), '/*\n  X-Content-Type-Options: nosniff\n');
		const emitted = await emitFullShell({ root: ROOT, bookDir, outDir, checkHtml: true });
		expect(emitted.pages).toEqual(['/02-two/']);
		expect(emitted.files).toEqual(['full-shell/tree.json', '_headers', 'vercel.json', 'full-shell/nginx.conf']);

		const json = readFileSync(join(outDir, 'full-shell/tree.json'));
		expect(JSON.parse(json.toString())).toEqual(shellTree(await collectShellFiles(ROOT)));
		expect(emitted.tree).toEqual({ file: 'full-shell/tree.json', bytes: json.length, gzip: gzipSync(json, { level: 9 }).length });

		const headers = readFileSync(join(outDir, '_headers'), 'utf8');
		expect(headers.startsWith('/*\n  X-Content-Type-Options: nosniff\n\n# ')).toBe(true);
		expect(parseHeadersFile(headers)).toEqual([{ path: '/*', headers: { 'X-Content-Type-Options': 'nosniff' } }, ...isolationRules(['/02-two/'])]);
		expect(JSON.parse(readFileSync(join(outDir, 'vercel.json'), 'utf8'))).toEqual(vercelHeaders(['/02-two/']));
		expect(readFileSync(join(outDir, 'full-shell/nginx.conf'), 'utf8')).toBe(nginxSnippet(['/02-two/']));

		// A second run replaces what the first appended.
		await emitFullShell({ root: ROOT, bookDir, outDir });
		expect(readFileSync(join(outDir, '_headers'), 'utf8')).toBe(headers);
		expect(headers.split(GENERATED_MARK).length).toBe(2);
		expect(JSON.parse(readFileSync(join(outDir, 'vercel.json'), 'utf8'))).toEqual(vercelHeaders(['/02-two/']));
	}, 60_000);

	it('stops the build when the built pages with the component are not the chapters that use it', async () => {
		const { bookDir, outDir } = site('two', ['01-one']);
		expect(pagesWithMarker(outDir)).toEqual(['/01-one/']);
		await expect(emitFullShell({ root: ROOT, bookDir, outDir, checkHtml: true })).rejects.toThrow(
			'full shell: the pages with the component (/01-one/) are not the chapters that use <FullShell> (/02-two/)',
		);
	});
});

/**
 * Writes what a built site needs for "Open in a full shell": the folder's file tree as JSON, and
 * the isolation headers for the pages that embed it, in each host's form (headers.ts). Run by the
 * build (scripts/full-shell.ts, from the Astro integration) into dist/, and by the dev server into
 * a folder of its own. Build time only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHAPTER_FILE_NAME } from '../book/paths.ts';
import { SITE_BASE } from '../book/site.ts';
import { GENERATED_MARK, isolationRules, nginxSnippet, renderHeadersFile, vercelHeaders } from './headers.ts';
import { MARKER_ATTRIBUTE, NGINX_FILE, TREE_FILE } from './layout.ts';
import { shellPages, type ChapterSource } from './pages.ts';
import { collectShellFiles } from './sources.ts';
import { shellTree } from './tree.ts';

/** What {@link emitFullShell} wrote. */
export interface Emitted {
	/** Site paths of the pages that get the headers. */
	pages: string[];
	/** The tree's JSON: bytes as written, and gzipped (level 9) as a host would send it. */
	tree: { file: string; bytes: number; gzip: number };
	/** Every file written, relative to the output folder. */
	files: string[];
}

/** The chapters of the book in `bookDir` (its `chapters/` folder), as sources. */
export function bookChapterSources(bookDir: string): ChapterSource[] {
	const dir = join(bookDir, 'chapters');
	return readdirSync(dir)
		.filter((f) => CHAPTER_FILE_NAME.test(f))
		.map((f) => ({ id: f.replace(/\.mdx$/, ''), text: readFileSync(join(dir, f), 'utf8') }));
}

/** Site paths of the built pages (`index.html` files) under `outDir` with an element that carries the component's marker. */
export function pagesWithMarker(outDir: string): string[] {
	const marker = new RegExp(`<[a-z][^>]*\\s${MARKER_ATTRIBUTE}[\\s=>]`);
	const found: string[] = [];
	const walk = (d: string): void => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const path = join(d, e.name);
			if (e.isDirectory()) walk(path);
			else if (e.name === 'index.html' && marker.test(readFileSync(path, 'utf8'))) {
				const folder = relative(outDir, dirname(path)).split('\\').join('/');
				found.push(`${SITE_BASE}${folder ? `${folder}/` : ''}`);
			}
		}
	};
	walk(outDir);
	return found.sort();
}

/**
 * Appends the generated `_headers` text to the one the site may already have (from public/), in
 * place of what an earlier run appended, or creates the file.
 */
function appendHeaders(file: string, text: string): void {
	const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
	const mark = existing.indexOf(`# ${GENERATED_MARK}`);
	const before = (mark < 0 ? existing : existing.slice(0, mark)).replace(/\n*$/, '');
	writeFileSync(file, before ? `${before}\n\n${text}` : text);
}

/** Adds the generated entries to the `headers` of a vercel.json the site may already have, in place of earlier ones. */
function mergeVercel(file: string, generated: ReturnType<typeof vercelHeaders>): void {
	const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { headers?: { source?: string }[] }) : {};
	const ours = new Set(generated.headers.map((h) => h.source));
	const kept = (existing.headers ?? []).filter((h) => !ours.has(h.source ?? ''));
	writeFileSync(file, `${JSON.stringify({ ...existing, headers: [...kept, ...generated.headers] }, null, '\t')}\n`);
}

/**
 * Writes the tree and the headers into `outDir`. With `checkHtml`, first compares the pages the
 * chapters name with the built pages that carry the marker, and throws (naming them) if they differ.
 */
export async function emitFullShell(options: { root: string; bookDir: string; outDir: string; checkHtml?: boolean }): Promise<Emitted> {
	const { root, bookDir, outDir } = options;
	const pages = shellPages(bookChapterSources(bookDir));
	if (options.checkHtml) {
		const built = pagesWithMarker(outDir);
		const missing = built.filter((p) => !pages.includes(p));
		const extra = pages.filter((p) => !built.includes(p));
		if (missing.length || extra.length)
			throw new Error(
				`full shell: the pages with the component (${built.join(', ') || 'none'}) are not the chapters that use <FullShell> (${pages.join(', ') || 'none'})` +
					'\n  hint: embed it only in a chapter\'s MDX, as `<FullShell />`, so that the build can give that page its headers',
			);
	}
	const json = JSON.stringify(shellTree(await collectShellFiles(root)));
	const treeFile = join(outDir, TREE_FILE);
	mkdirSync(dirname(treeFile), { recursive: true });
	writeFileSync(treeFile, json);
	const files = [TREE_FILE];
	if (pages.length) {
		appendHeaders(join(outDir, '_headers'), renderHeadersFile(isolationRules(pages)));
		mergeVercel(join(outDir, 'vercel.json'), vercelHeaders(pages));
		writeFileSync(join(outDir, NGINX_FILE), nginxSnippet(pages));
		files.push('_headers', 'vercel.json', NGINX_FILE);
	}
	return { pages, tree: { file: TREE_FILE, bytes: Buffer.byteLength(json), gzip: gzipSync(json, { level: 9 }).length }, files };
}

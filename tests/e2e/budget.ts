import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes a page ships before the reader interacts with anything, raw and gzipped. */
export interface PageWeight {
	js: { files: string[]; inline: number; raw: number; gzip: number };
	css: { files: string[]; raw: number; gzip: number };
}

const gz = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;

/**
 * Modules whose dynamic imports run without any interaction: Starlight's search script imports
 * (our shim of) Pagefind's UI as soon as the page is idle. Other dynamic imports wait for the
 * reader (the shim's real Pagefind UI, the Try-it panel) and are not counted here; the browser
 * test in site.e2e.ts measures what a page really fetches before any interaction.
 */
const EAGER = /Search\.astro_astro_type_script/;

/** `import … from './x.js'`, `import './x.js'`, `export … from` and `import('./x.js')`, resolved. */
function imports(file: string, code: string): string[] {
	const found: string[] = [];
	const re = /(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["'`]([^"'`$]+)["'`]|(?:^|[;\s}])export\s*[\w*{}\s,$]+from\s*["'`]([^"'`$]+)["'`]|\bimport\(\s*["'`]([^"'`$]+)["'`]\s*\)/g;
	for (const m of code.matchAll(re)) {
		const spec = m[1] ?? m[2] ?? m[3];
		if (m[3] && !EAGER.test(file)) continue;
		if (spec && (spec.startsWith('.') || spec.startsWith('/'))) found.push(spec);
	}
	return found.map((s) => (s.startsWith('/') ? s : resolve(dirname(file), s)));
}

/**
 * What a built page loads before the reader interacts: its inline scripts, its `<script src>`
 * files and everything they import (dynamic imports only where they run unasked, see EAGER),
 * and its stylesheets (print-only ones excluded). `dist` is the site root, `page` an HTML file in it.
 */
export function pageWeight(dist: string, page: string): PageWeight {
	const html = readFileSync(page, 'utf8');
	const toFile = (href: string) => join(dist, href.replace(/^\//, '').replace(/[?#].*$/, ''));
	const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)]
		.filter((m) => !/type="(application\/(ld\+)?json|text\/template)"/.test(m[1] ?? ''))
		.map((m) => m[2] ?? '');
	const seen = new Set<string>();
	const queue = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => toFile(m[1]!));
	for (const code of inline) queue.push(...imports(join(dist, 'index.html'), code).map((s) => (s.startsWith(dist) ? s : toFile(s))));
	while (queue.length) {
		const file = queue.shift()!;
		if (seen.has(file) || !existsSync(file)) continue;
		seen.add(file);
		const code = readFileSync(file, 'utf8');
		for (const dep of imports(file, code)) queue.push(dep.startsWith(dist) ? dep : toFile(dep));
	}
	const files = [...seen];
	const jsText = [...inline, ...files.map((f) => readFileSync(f, 'utf8'))];
	const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*>/g)]
		.map((m) => m[0])
		.filter((tag) => !/media="print"/.test(tag))
		.map((tag) => toFile(/href="([^"]+)"/.exec(tag)![1]!));
	const inlineCss = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
	const cssText = [...css.map((f) => readFileSync(f, 'utf8')), ...inlineCss];
	return {
		js: {
			files: files.map((f) => f.slice(dist.length)),
			inline: inline.length,
			raw: jsText.reduce((n, t) => n + Buffer.byteLength(t), 0),
			gzip: jsText.reduce((n, t) => n + gz(t), 0),
		},
		css: {
			files: css.map((f) => f.slice(dist.length)),
			raw: cssText.reduce((n, t) => n + Buffer.byteLength(t), 0),
			gzip: cssText.reduce((n, t) => n + gz(t), 0),
		},
	};
}

// @ts-check
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { SITE_BASE, SITE_URL } from './src/lib/book/site.ts';
import { v86Assets } from './src/lib/book/v86.ts';
import { fullShell } from './src/lib/fullshell/astro-integration.ts';

/**
 * Starlight imports Pagefind's UI when the page is idle; this swaps in a shim that loads it
 * when the reader reaches for search (src/components/lazy-pagefind.ts).
 * @returns {import('vite').Plugin}
 */
function lazyPagefind() {
	const shim = fileURLToPath(new URL('./src/components/lazy-pagefind.ts', import.meta.url));
	return {
		name: 'netbook:lazy-pagefind',
		enforce: 'pre',
		resolveId(id, importer) {
			return id === '@pagefind/default-ui' && importer && !importer.startsWith(shim) ? shim : undefined;
		},
	};
}

/**
 * The page's real kernel: when this machine has built the v86 image and state, the build copies
 * them (and v86 itself) into dist/v86/ with a manifest.json; the page reads the same manifest at
 * build time (src/lib/book/v86.ts) and says how to build them when they are missing.
 * @returns {import('astro').AstroIntegration}
 */
function v86Kernel() {
	return {
		name: 'netbook:v86',
		hooks: {
			'astro:build:done': ({ dir, logger }) => {
				const assets = v86Assets();
				if (!assets) {
					logger.info('no v86 state on this machine: the page offers no real kernel (npm run -s v86 builds it)');
					return;
				}
				const out = new URL('v86/', dir);
				mkdirSync(out, { recursive: true });
				for (const c of assets.copies) copyFileSync(c.from, new URL(c.to, out));
				writeFileSync(new URL('manifest.json', out), `${JSON.stringify(assets.manifest, null, '\t')}\n`);
				logger.info(`v86: ${(assets.manifest.bytes.total / 1048576).toFixed(1)} MiB into dist/v86/`);
			},
		},
	};
}

/**
 * The book to build: `./content` (the real one) unless NETBOOK_BOOK names another folder with
 * `chapters/` and `snapshots/`, as the site's tests do with `tests/fixtures/book`. Another book
 * builds into its own outDir and cache, so it never clobbers dist/.
 */
const book = process.env.NETBOOK_BOOK ?? './content';
const fixture = book !== './content';
const chaptersDir = relative(process.cwd(), resolve(book, 'chapters')).replace(/\\/g, '/');

export default defineConfig({
	site: SITE_URL,
	base: SITE_BASE,
	...(fixture
		? { outDir: './node_modules/.netbook/fixture-dist', cacheDir: './node_modules/.netbook/fixture-cache' }
		: {}),
	vite: { plugins: [lazyPagefind()] },
	integrations: [
		v86Kernel(),
		// "Open in a full shell": the folder it mounts, and the isolation headers of its pages (docs/full-shell.md).
		fullShell({ root: fileURLToPath(new URL('.', import.meta.url)), book, base: SITE_BASE }),
		starlight({
			title: 'Networking from First Principles',
			description:
				'Linux and container networking, one command at a time: every command verified on a real kernel.',
			markdown: { processedDirs: [`./${chaptersDir}`] },
			sidebar: [
				{ label: 'Start here', link: '/' },
				// Starlight matches autogenerate directories against entry paths relative to
				// src/content/docs; chapters live outside it, so their path is from the root.
				{ label: 'Chapters', items: [{ autogenerate: { directory: `${chaptersDir}` } }] },
			],
			lastUpdated: false,
			pagination: true,
			customCss: ['./src/styles/book.css'],
			components: {
				PageTitle: './src/components/PageTitle.astro',
				MarkdownContent: './src/components/MarkdownContent.astro',
			},
		}),
	],
});

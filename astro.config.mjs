// @ts-check
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_BASE, SITE_URL } from './src/lib/book/site.ts';

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

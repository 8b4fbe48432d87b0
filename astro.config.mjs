// @ts-check
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';

export default defineConfig({
	site: 'https://netbook.example',
	integrations: [
		starlight({
			title: 'Networking from First Principles',
			description:
				'Linux and container networking, one command at a time: every command verified on a real kernel.',
			markdown: { processedDirs: ['./content/chapters'] },
			sidebar: [
				{ label: 'Start here', link: '/' },
				{ label: 'Chapters', items: [{ autogenerate: { directory: '.' } }] },
			],
			lastUpdated: false,
			pagination: true,
			customCss: ['./src/styles/book.css'],
		}),
	],
});

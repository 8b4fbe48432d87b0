import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { astroBuild } from './site.ts';

/**
 * Builds a Starlight starter site (one guide page, the starter's config) in `dir`, a folder
 * inside the project so it resolves this project's own node_modules, so its page weight can be compared with a chapter page: the peer
 * is "what Starlight costs with nothing added".
 */
export function buildStarlightStarter(dir: string): string {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(join(dir, 'src/content/docs/guides'), { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'starter', type: 'module', private: true, dependencies: { '@astrojs/starlight': '*', astro: '*' } }));
	writeFileSync(
		join(dir, 'astro.config.mjs'),
		"import starlight from '@astrojs/starlight';\nimport { defineConfig } from 'astro/config';\n" +
			"export default defineConfig({ integrations: [starlight({ title: 'My Docs', sidebar: [{ label: 'Guides', items: [{ label: 'Example Guide', slug: 'guides/example' }] }] })] });\n",
	);
	writeFileSync(
		join(dir, 'src/content.config.ts'),
		"import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\n" +
			'export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n',
	);
	writeFileSync(
		join(dir, 'src/content/docs/guides/example.md'),
		'---\ntitle: Example Guide\ndescription: A guide in my new Starlight docs site.\n---\n\nGuides lead a user through a specific task they want to accomplish, often with a sequence of steps.\n\n## Further reading\n\n- Read about how-to guides in the Diátaxis framework\n\n```sh\nnpm run build\n```\n',
	);
	astroBuild(dir);
	return dir;
}

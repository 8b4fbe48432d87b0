import { docsSchema } from '@astrojs/starlight/schema';
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { glob } from 'astro/loaders';

export const collections = {
	docs: defineCollection({
		loader: glob({ base: `${process.env.NETBOOK_BOOK ?? './content'}/chapters`, pattern: '[0-9][0-9]-*.mdx' }),
		schema: docsSchema({
			extend: z.object({
				lab: z.string().optional().describe('Lab file in examples/labs/ the chapter runs on'),
				checks: z
					.array(z.unknown())
					.optional()
					.describe('Progress checks the in-page terminal shows; their format is checked by src/lib/runbook/checks.ts when the chapter is parsed'),
				keywords: z
					.array(z.string())
					.optional()
					.describe(
						'What the chapter teaches, as a book index would list it. Searchable metadata (Pagefind `keywords`), so a search for one of these terms finds this chapter first',
					),
			}),
		}),
	}),
};

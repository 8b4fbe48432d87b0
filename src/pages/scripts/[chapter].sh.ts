import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { chapterData, isChapter } from '../../components/chapter-data.ts';
import { servedScript } from '../../lib/runbook/served.ts';

/** One script per chapter: /scripts/<chapter>.sh, the very text verify runs (src/lib/runbook/served.ts). */
export const getStaticPaths = (async () => {
	const entries = (await getCollection('docs')).filter(isChapter);
	return entries.map((entry) => ({ params: { chapter: entry.id }, props: { id: entry.id, filePath: entry.filePath } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
	const { chapter, lab, snapshot } = chapterData(props as { id: string; filePath: string });
	const script = servedScript(chapter, lab, snapshot?.recorded);
	return new Response(script, { headers: { 'Content-Type': 'text/x-shellscript; charset=utf-8' } });
};

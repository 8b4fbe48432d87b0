import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { chapterData, isChapter } from '../../components/chapter-data.ts';
import { chapterScript } from '../../lib/runbook/script.ts';
import { badgeText } from '../../plugins/recorded-output/snapshot.ts';

/** One script per chapter: /scripts/<chapter>.sh (see src/lib/runbook/script.ts). */
export const getStaticPaths = (async () => {
	const entries = (await getCollection('docs')).filter(isChapter);
	return entries.map((entry) => ({ params: { chapter: entry.id }, props: { id: entry.id, filePath: entry.filePath } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props, site }) => {
	const { chapter, lab, snapshot } = chapterData(props as { id: string; filePath: string });
	const script = chapterScript(chapter, {
		lab: { name: lab.name, description: lab.description, hosts: lab.hosts.map((h) => h.name) },
		...(site ? { url: new URL(`${import.meta.env.BASE_URL.replace(/\/$/, '')}/${chapter.id}/`, site).href } : {}),
		...(snapshot ? { verified: badgeText(snapshot.recorded) } : {}),
	});
	return new Response(script, { headers: { 'Content-Type': 'text/x-shellscript; charset=utf-8' } });
};

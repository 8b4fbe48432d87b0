import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { resolve } from 'node:path';
import { chapterData, isChapter, SITE_ROOT } from '../../../components/chapter-data.ts';
import { PAGE_KERNEL_TARGET } from '../../../lib/book/targets.ts';
import { loadTargetSnapshot } from '../../../lib/snapshot/recordings.ts';
import { checkRecording } from '../../../lib/snapshot/run-check.ts';

/**
 * One file per chapter: /recordings/v86/<chapter>.json, what the v86 target recorded for each of
 * its blocks (steps only), fetched by "Check this chapter on the real kernel" when the reader asks.
 * A chapter v86 has not recorded gets a file too, with every block null ("not recorded on v86").
 */
export const getStaticPaths = (async () => {
	const entries = (await getCollection('docs')).filter(isChapter);
	return entries.map((entry) => ({ params: { chapter: entry.id }, props: { id: entry.id, filePath: entry.filePath } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
	const entry = props as { id: string; filePath: string };
	const { chapter } = chapterData(entry);
	const snapshot = loadTargetSnapshot(resolve(SITE_ROOT, entry.filePath), PAGE_KERNEL_TARGET);
	const body = JSON.stringify(checkRecording(PAGE_KERNEL_TARGET, chapter.blocks, snapshot));
	return new Response(body, { headers: { 'Content-Type': 'application/json' } });
};

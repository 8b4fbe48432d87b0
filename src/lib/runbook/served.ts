import { chapterUrl } from '../book/site.ts';
import type { Lab } from '../shared/lab.ts';
import { badgeText } from '../snapshot/badge.ts';
import type { Recorded } from '../snapshot/schema.ts';
import { chapterScript } from './script.ts';
import type { Chapter } from './types.ts';

/**
 * A chapter's script exactly as readers download it from /scripts/<chapter>.sh: the site serves
 * this text, and verify runs this text after the chapter, so what was verified is what readers
 * get. `recorded` is the header of the chapter's snapshot (absent before the first recording):
 * the site passes its primary target's (src/lib/book/targets.ts), verify the target it runs on.
 */
export function servedScript(chapter: Chapter, lab: Lab, recorded: Recorded | undefined): string {
	return chapterScript(chapter, {
		lab: { name: lab.name, description: lab.description, hosts: lab.hosts.map((h) => h.name) },
		url: chapterUrl(chapter.id),
		...(recorded ? { verified: badgeText(recorded) } : {}),
	});
}

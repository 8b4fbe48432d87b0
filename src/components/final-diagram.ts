import type { Chapter } from '../lib/runbook/types.ts';
import type { Lab } from '../lib/lab/schema.ts';
import { diagramHtml } from '../plugins/recorded-output/diagram.ts';
import type { Snapshot } from '../plugins/recorded-output/snapshot.ts';

/**
 * The end-of-chapter diagram: the last state the recording captured (DESIGN.md: at the end of
 * each chapter). Left out when that state is a `diagram` block's, already drawn under it.
 */
export async function finalDiagramHtml(chapter: Chapter, lab: Lab, snapshot: Snapshot | undefined): Promise<string | undefined> {
	const last = snapshot?.blocks.findLast((b) => b.state);
	if (!last?.state) return undefined;
	const block = chapter.blocks.find((b) => b.key === last.key);
	if (block?.attributes.diagram) return undefined;
	const after = block?.attributes.title ? ` after “${block.attributes.title}”` : '';
	return diagramHtml(last.state, {
		id: `nb-${chapter.id}-final`,
		lab,
		title: `${chapter.title}: the lab at the end of the chapter`,
		caption: `Where the chapter leaves the lab: the kernel state recorded at its end${after}.`,
		where: `${chapter.file} (end of chapter)`,
		className: 'nb-final',
	});
}

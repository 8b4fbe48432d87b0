import { builtStateBlock } from '../lib/runbook/cleanup.ts';
import type { Chapter } from '../lib/runbook/types.ts';
import type { Lab } from '../lib/shared/lab.ts';
import { diagramHtml } from '../plugins/recorded-output/diagram.ts';
import type { Snapshot } from '../lib/snapshot/schema.ts';

/**
 * The end-of-chapter diagram: the lab as the chapter built it, i.e. the state recorded after the
 * last block before the cleanup (see runbook/cleanup.ts). Left out when that block is a
 * `diagram` block, already drawn under it.
 */
export async function finalDiagramHtml(chapter: Chapter, lab: Lab, snapshot: Snapshot | undefined): Promise<string | undefined> {
	const block = builtStateBlock(chapter);
	const recorded = block && snapshot?.blocks.find((b) => b.key === block.key && b.state);
	if (!block || !recorded?.state || block.attributes.diagram) return undefined;
	const after = block.attributes.title ? ` after “${block.attributes.title}”` : '';
	return diagramHtml(recorded.state, {
		id: `nb-${chapter.id}-final`,
		lab,
		title: `${chapter.title}: the lab at the end of the chapter`,
		caption: `What the chapter built: the kernel state recorded before its cleanup${after}.`,
		where: `${chapter.file} (end of chapter)`,
		className: 'nb-final',
	});
}

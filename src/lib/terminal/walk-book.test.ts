/**
 * Every ping of the book walked on the live diagram: the simulator's real traces, each step's
 * places mapped onto data-ids the diagram of that moment really draws (hosts, namespaces, veths,
 * bridges, lab switches, the upstream), in every chapter's topology.
 */
import { describe, expect, it } from 'vitest';
import { loadLab } from '../book/labs.ts';
import { createLab } from '../netsim/index.ts';
import { loadBook } from '../runbook/load.ts';
import { chapterBookPrograms } from '../runbook/programs.ts';
import { loadPrograms, simPrograms } from '../simprograms/index.ts';
import { renderTopologySvg, toTopology } from '../topology/index.ts';
import type { LabState } from '../shared/lab-state.ts';
import { isPacketTrace } from '../shared/trace.ts';
import { walkOf } from './walk.ts';

describe('the packet walk over the book', () => {
	it('maps every step of every ping the simulator traces onto the diagram', async () => {
		await loadPrograms();
		let traces = 0;
		const kinds = new Set<string>();
		const misses: string[] = [];
		for (const chapter of loadBook()) {
			const definition = loadLab(chapter.lab);
			// With the book's own programs the chapter calls (chapter 15's CNI plugin), as the page's lab has them.
			const lab = createLab(structuredClone(definition), { programs: simPrograms(chapterBookPrograms(chapter).map((p) => p.path)) });
			for (const block of chapter.blocks.filter((b) => b.runnable))
				for (const command of block.commands) {
					const line = command.text.replace(/\s*\\\n\s*/g, ' ');
					const { trace } = lab.exec(block.host, line);
					if (!trace) continue;
					traces++;
					expect(isPacketTrace(trace), `${chapter.id}: ${line}`).toBe(true);
					const topology = toTopology(lab.state() as LabState, definition);
					const svg = renderTopologySvg(topology, { id: 't', title: 't' });
					const drawn = new Set([...svg.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]));
					for (const step of walkOf(trace, topology)) {
						kinds.add(step.kind);
						if (step.ids.length === 0) misses.push(`${chapter.id}: ${line}: ${step.label} has no place`);
						for (const id of step.ids) if (!drawn.has(id)) misses.push(`${chapter.id}: ${line}: ${step.label} → ${id}`);
					}
				}
		}
		expect(misses).toEqual([]);
		expect(traces).toBeGreaterThan(40);
		expect([...kinds].sort()).toEqual(['arp', 'bridge', 'deliver', 'drop', 'forward', 'nat', 'netfilter', 'route', 'send', 'wire']);
	});
});

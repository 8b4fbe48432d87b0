/**
 * Several candidate scenarios in one kernel run: the lab's hosts and switches copied once per
 * candidate (`alice`, `alice-c1`, `alice-c2`…, each copy on switches of its own), each candidate
 * run on its own copy, and the run cut back into one result per candidate, its hosts renamed
 * back. Every lab host is a machine of its own in the sandbox (its own namespaces), so the copies
 * cannot see each other. A lab with an upstream cannot be copied (the copies would share the
 * home router and its addresses): {@link canBatch} says so.
 */
import type { BlockResult, ChapterResult } from '../engines/engine.ts';
import type { Lab } from '../shared/lab.ts';
import type { LabState } from '../shared/lab-state.ts';
import type { ScenarioStep } from './scenario.ts';

/** The name of copy `j` of a host or switch (copy 0 keeps the name). */
export function copyName(name: string, j: number): string {
	return j === 0 ? name : `${name.slice(0, 11)}-c${j}`;
}

/** Whether candidates on `lab` can share a kernel run. */
export function canBatch(lab: Lab): boolean {
	return lab.upstream === undefined;
}

/** `lab` with every host and switch copied `k` times. */
export function replicateLab(lab: Lab, k: number): Lab {
	const copies = Array.from({ length: k }, (_, j) => j);
	return {
		...lab,
		hosts: copies.flatMap((j) =>
			lab.hosts.map((h) => ({ ...h, name: copyName(h.name, j), interfaces: h.interfaces.map((i) => (i.switch ? { ...i, switch: copyName(i.switch, j) } : i)) })),
		),
		switches: copies.flatMap((j) => lab.switches.map((s) => ({ name: copyName(s.name, j) }))),
	};
}

/** The steps of every candidate, each on its own copy of the hosts, one after the other. */
export function batchSteps(candidates: readonly (readonly ScenarioStep[])[]): ScenarioStep[] {
	return candidates.flatMap((steps, j) => steps.map((s) => ({ ...s, host: copyName(s.host, j) })));
}

/** Number of blocks a list of steps makes (one per run of steps on the same host). */
function blockCount(steps: readonly ScenarioStep[]): number {
	return steps.filter((s, i) => i === 0 || steps[i - 1]?.host !== s.host).length;
}

/** The hosts of copy `j` of `lab` in a state, renamed back to the lab's names. */
function stateOfCopy(state: LabState | undefined, lab: Lab, j: number): LabState | undefined {
	if (!state) return undefined;
	const out: LabState = {};
	for (const h of lab.hosts) {
		const s = state[copyName(h.name, j)];
		if (s) out[h.name] = s;
	}
	return out;
}

/**
 * One result per candidate from the result of their batch: the candidate's blocks, its hosts
 * named back, and the state of its copy on its last block (the state captured at the end).
 */
export function splitBatch(result: ChapterResult, lab: Lab, candidates: readonly (readonly ScenarioStep[])[]): ChapterResult[] {
	const state = result.blocks.at(-1)?.state;
	let at = 0;
	return candidates.map((steps, j) => {
		const blocks: BlockResult[] = result.blocks.slice(at, at + blockCount(steps)).map((b) => {
			const { state: _drop, ...rest } = b;
			return { ...rest, host: steps.find((s) => copyName(s.host, j) === b.host)?.host ?? b.host };
		});
		at += blocks.length;
		const last = blocks.at(-1);
		const own = stateOfCopy(state, lab, j);
		if (last && own) last.state = own;
		return { ...result, blocks };
	});
}

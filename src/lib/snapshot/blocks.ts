/**
 * Snapshot blocks as text for comparison: states one line per `ip -j` entry, blocks normalised
 * through one chapter-wide context, and run blocks paired with recorded ones by key.
 */
import type { LabState } from '../shared/lab-state.ts';
import { createNormaliseContext, normaliseOutput, type NormaliseContext } from './normalise.ts';
import type { SnapshotBlock } from './schema.ts';

/** Anything with steps and maybe a state: a run's block or a snapshot's block. */
interface StepsAndState {
	steps: { stdout: string; stderr: string; exit: number }[];
	state?: LabState | undefined;
}

function neighKey(entry: unknown): string {
	const e = entry as { dst?: unknown; dev?: unknown };
	return `${String(e.dst)} ${String(e.dev)}`;
}

/**
 * A state as text for comparison and diffs: one line per `ip -j` entry, prefixed with its host,
 * namespace and object, in a stable order.
 */
export function stateText(state: LabState | undefined): string {
	if (!state) return '';
	const lines: string[] = [];
	for (const host of Object.keys(state).sort())
		for (const ns of Object.keys(state[host] ?? {}).sort()) {
			const n = state[host]?.[ns];
			if (!n) continue;
			for (const kind of ['link', 'addr', 'route', 'neigh'] as const) {
				// The kernel lists neighbours in hash order: sort them by address and device.
				const entries = kind === 'neigh' ? [...n.neigh].sort((a, b) => neighKey(a).localeCompare(neighKey(b))) : n[kind];
				for (const entry of entries) lines.push(`${host} ${ns === '' ? '(host)' : ns} ${kind} ${JSON.stringify(entry)}`);
			}
		}
	return lines.join('\n');
}

/** Normalised texts of a block: per step [stdout, stderr], then the state, with one shared context. */
export interface NormalisedBlock {
	steps: { stdout: string; stderr: string; exit: number }[];
	state: string;
}

/**
 * A state normalised for comparison. States feed diagrams, so what matters is structure
 * (namespaces, interfaces, masters, peers, addresses, routes, neighbours), not which random MAC
 * is which: MACs become `<mac>` unnumbered (a bridge takes the lowest MAC of its ports, which
 * is random), and neighbour states that only say how long ago traffic flowed (REACHABLE, DELAY,
 * PROBE, STALE) become `<valid>`. INCOMPLETE, FAILED, PERMANENT and NOARP stay.
 */
export function normaliseState(state: LabState | undefined): string {
	return normaliseOutput(stateText(state), createNormaliseContext())
		.replace(/<mac\d+>/g, '<mac>')
		.replace(/<sn\d+>/g, '<sn>')
		.replace(/("state":\[)"(?:REACHABLE|DELAY|PROBE|STALE)"(\])/g, '$1"<valid>"$2');
}

/**
 * A normalised text with the neighbour states that only a clock decides folded into one per
 * family: REACHABLE, DELAY, PROBE and STALE (how long ago the neighbour was confirmed: DELAY for
 * 5 s after a STALE entry is used, then a probe makes it REACHABLE, which goes STALE after
 * 15-45 s) become `<nud>`, INCOMPLETE and FAILED (an unanswered resolution fails after three
 * probes, 3 s) become `<unresolved>`; in `ip neigh` lines and in `ip -j` neighbour states.
 * For comparing a run whose clock is not the recording's (the simulator's virtual clock with
 * a VM whose commands take seconds): both are right about their own time.
 */
export function foldNeighbourTiming(text: string): string {
	return text
		.replace(/^(\S+ (?:dev \S+ )?lladdr \S+(?: router)?(?: proxy)?) (?:REACHABLE|DELAY|PROBE|STALE)( ?)$/gm, '$1 <nud>$2')
		.replace(/^(\S+ (?:dev \S+ +)?)(?:INCOMPLETE|FAILED)( ?)$/gm, '$1<unresolved>$2')
		.replace(/("state":\[)"(?:REACHABLE|DELAY|PROBE|STALE|<valid>)"(\])/g, '$1"<nud>"$2')
		.replace(/("state":\[)"(?:INCOMPLETE|FAILED)"(\])/g, '$1"<unresolved>"$2');
}

/** Normalises a block's step texts in order through `context` (shared across a chapter), and its state. */
export function normaliseBlock(block: StepsAndState, context: NormaliseContext): NormalisedBlock {
	return {
		steps: block.steps.map((s) => ({ stdout: normaliseOutput(s.stdout, context), stderr: normaliseOutput(s.stderr, context), exit: s.exit })),
		state: normaliseState(block.state),
	};
}

/**
 * Pairs each run block with its snapshot block: same key, taken in order (a chapter may repeat
 * a block). Returns the partner of each run block (or undefined) and the snapshot blocks left over.
 */
export function matchBlocks(
	run: readonly { key: string }[],
	snapshot: readonly SnapshotBlock[],
): { partners: (SnapshotBlock | undefined)[]; unused: SnapshotBlock[] } {
	const used = new Set<number>();
	const partners = run.map((b, i) => {
		let j = snapshot[i]?.key === b.key && !used.has(i) ? i : snapshot.findIndex((s, k) => s.key === b.key && !used.has(k));
		if (j < 0) return undefined;
		used.add(j);
		return snapshot[j];
	});
	return { partners, unused: snapshot.filter((_, k) => !used.has(k)) };
}

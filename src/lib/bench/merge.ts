import type { BenchPart, BenchResults } from './run.ts';

/** When and at which commit each part of bench/results.json was measured. */
export type PartProvenance = Partial<Record<BenchPart, { date: string; commit: string }>>;

const PART_KEYS: Record<BenchPart, readonly (keyof BenchResults)[]> = {
	site: ['site'],
	lighthouse: ['lighthouse'],
	verify: ['verify'],
	// The page-terminal figures (clickToPromptMs, browserCommandMs) live under `sim` too.
	sim: ['sim'],
	targets: ['targets'],
};

/**
 * The results file after a run that measured only `measured`: those parts come from `fresh`, every
 * other part stays as `previous` had it, and `parts` says when and at which commit each one was
 * measured (a part `previous` held without a record keeps `previous`'s own date and commit). So
 * `npm run bench -- --only targets` adds its figures without dropping the site's. The ratio of
 * simulator to kernel time is kept only when both came from one run.
 */
export function mergeResults(previous: BenchResults | undefined, fresh: BenchResults, measured: readonly BenchPart[]): BenchResults {
	const parts: PartProvenance = {};
	const merged: BenchResults = { date: fresh.date, commit: fresh.commit, machine: fresh.machine };
	for (const part of Object.keys(PART_KEYS) as BenchPart[]) {
		const source = measured.includes(part) ? fresh : previous;
		const keys = PART_KEYS[part];
		if (!source || keys.every((k) => source[k] === undefined)) continue;
		for (const k of keys) if (source[k] !== undefined) Object.assign(merged, { [k]: source[k] });
		parts[part] = source === fresh ? { date: fresh.date, commit: fresh.commit } : (previous?.parts?.[part] ?? { date: previous!.date, commit: previous!.commit });
	}
	const sameRun = parts.sim && parts.verify && parts.sim.date === parts.verify.date;
	const ratio = measured.includes('sim') || measured.includes('verify') ? fresh.simOverKernel : previous?.simOverKernel;
	if (sameRun && ratio) merged.simOverKernel = ratio;
	merged.parts = parts;
	return merged;
}

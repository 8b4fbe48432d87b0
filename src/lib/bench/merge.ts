import { BENCH_PARTS, type BenchPart } from './parts.ts';
import type { BenchResults } from './run.ts';

/** When and at which commit each part of bench/results.json was measured. */
export type PartProvenance = Partial<Record<BenchPart, { date: string; commit: string }>>;

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
	for (const part of BENCH_PARTS) {
		const source = measured.includes(part) ? fresh : previous;
		if (source?.[part] === undefined) continue;
		Object.assign(merged, { [part]: source[part] });
		parts[part] = source === fresh ? { date: fresh.date, commit: fresh.commit } : (source.parts?.[part] ?? { date: source.date, commit: source.commit });
	}
	const sameRun = parts.sim && parts.verify && parts.sim.date === parts.verify.date;
	const ratio = measured.includes('sim') || measured.includes('verify') ? fresh.simOverKernel : previous?.simOverKernel;
	if (sameRun && ratio) merged.simOverKernel = ratio;
	merged.parts = parts;
	return merged;
}

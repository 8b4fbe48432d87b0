/** The parts of the bench. */
export type BenchPart = 'site' | 'lighthouse' | 'verify' | 'sim' | 'targets' | 'v86';

/** The parts a plain `npm run bench` runs: all but `targets`, which takes most of an hour. */
export const DEFAULT_PARTS: readonly BenchPart[] = ['site', 'lighthouse', 'verify', 'sim'];

/** Every part, `targets` and `v86` (run only when named: they take long) last. Each one's figures sit under its name in bench/results.json. */
export const BENCH_PARTS: readonly BenchPart[] = [...DEFAULT_PARTS, 'targets', 'v86'];

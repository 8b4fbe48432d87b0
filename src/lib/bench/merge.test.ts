import { describe, expect, it } from 'vitest';
import { mergeResults } from './merge.ts';
import type { BenchResults } from './run.ts';

const machine = { cpu: 'test', cores: 2 } as unknown as BenchResults['machine'];
const full: BenchResults = {
	date: '2026-12-01T10:00:00.000Z',
	commit: 'aaa',
	machine,
	site: { totalBytes: 1 } as unknown as NonNullable<BenchResults['site']>,
	verify: { wholeMs: 2 } as unknown as NonNullable<BenchResults['verify']>,
	sim: { wholeMs: 3 } as unknown as NonNullable<BenchResults['sim']>,
	simOverKernel: [{ chapter: '01', ratio: 0.5 }],
};

describe('mergeResults', () => {
	it('adds a part measured alone and keeps the others with their own date and commit', () => {
		const fresh: BenchResults = { date: '2026-12-03T17:00:00.000Z', commit: 'bbb', machine, targets: { books: [] } as unknown as NonNullable<BenchResults['targets']> };
		const merged = mergeResults(full, fresh, ['targets']);
		expect(merged).toEqual({
			date: fresh.date,
			commit: 'bbb',
			machine,
			site: full.site,
			verify: full.verify,
			sim: full.sim,
			targets: fresh.targets,
			simOverKernel: full.simOverKernel,
			parts: {
				site: { date: full.date, commit: 'aaa' },
				verify: { date: full.date, commit: 'aaa' },
				sim: { date: full.date, commit: 'aaa' },
				targets: { date: fresh.date, commit: 'bbb' },
			},
		});
		// merged again later: the kept parts still name the run that measured them
		const again = mergeResults(merged, { date: '2026-12-04T00:00:00.000Z', commit: 'ccc', machine }, []);
		expect(again.parts).toEqual(merged.parts);
		expect(again.targets).toBe(fresh.targets);
	});

	it('drops the simulator-over-kernel ratio when sim and verify come from different runs', () => {
		const fresh: BenchResults = { date: '2026-12-03T17:00:00.000Z', commit: 'bbb', machine, verify: { wholeMs: 9 } as unknown as NonNullable<BenchResults['verify']> };
		const merged = mergeResults(full, fresh, ['verify']);
		expect(merged.verify).toBe(fresh.verify);
		expect(merged.sim).toBe(full.sim);
		expect(merged.simOverKernel).toBeUndefined();
	});

	it('writes a fresh file whole when there was none', () => {
		const merged = mergeResults(undefined, full, ['site', 'verify', 'sim']);
		expect(merged.parts).toEqual({ site: { date: full.date, commit: 'aaa' }, verify: { date: full.date, commit: 'aaa' }, sim: { date: full.date, commit: 'aaa' } });
		expect(merged.simOverKernel).toEqual(full.simOverKernel);
	});
});

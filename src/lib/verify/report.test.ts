import { describe, expect, it } from 'vitest';
import type { Problem } from './judge.ts';
import { fidelity, formatSummary } from './report.ts';
import type { ChapterOutcome, VerifyReport } from './verify.ts';

const problem = (line: number, cmd?: string): Problem => ({
	kind: 'stdout',
	chapter: '05-veth-pairs',
	file: 'content/chapters/05-veth-pairs.mdx',
	line,
	...(cmd === undefined ? {} : { cmd }),
	message: 'differs',
});

function report(engine: string, mismatches: Problem[], failures: Problem[] = []): VerifyReport {
	const chapter: ChapterOutcome = { chapter: '05-veth-pairs', file: 'content/chapters/05-veth-pairs.mdx', commands: 32, ms: 100, mismatches, failures };
	return { mode: 'check', engine, chapters: [chapter], commands: 32, mismatches: mismatches.length, failures: failures.length, errors: 0, ms: 1234 };
}

describe('fidelity', () => {
	it('counts a command once however many of its streams differ, and not block-level problems', () => {
		const r = report('sim', [problem(10, 'ip link'), problem(10, 'ip link'), problem(12, 'ip addr'), problem(40)], [problem(20, 'ping -c 1 10.0.0.1')]);
		expect(fidelity(r)).toEqual({ matching: 29, verified: 32 });
	});

	it('counts no command of a chapter that had no snapshot to compare with', () => {
		expect(fidelity(report('sim', [{ ...problem(1), kind: 'missing-snapshot' }]))).toEqual({ matching: 0, verified: 32 });
	});

	it('says how many commands differ only in a neighbour state that time decides', () => {
		const r = report('sim', []);
		(r.chapters[0] as ChapterOutcome).timing = [{ ...problem(10, 'ip neigh'), kind: 'timing' }, { ...problem(14), kind: 'timing' }];
		expect(formatSummary(r)).toBe(
			'verify: 1 chapter, 32 commands, 0 mismatches (sim, 1.2 s)\nfidelity: 32/32 commands print what the kernel printed (100.0%); 1 command of them differs only in a neighbour state that time decides (~)',
		);
	});

	it('is printed under the simulator summary, not the kernel one', () => {
		expect(formatSummary(report('sim', []))).toBe(
			'verify: 1 chapter, 32 commands, 0 mismatches (sim, 1.2 s)\nfidelity: 32/32 commands print what the kernel printed (100.0%)',
		);
		expect(formatSummary(report('kernel', [problem(10, 'ip link')]))).toBe('verify: 1 chapter, 32 commands, 1 mismatch (kernel, 1.2 s)');
	});
});

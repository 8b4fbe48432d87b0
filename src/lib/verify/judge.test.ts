import { describe, expect, it } from 'vitest';
import { matchBlocks, normaliseState } from '../snapshot/blocks.ts';
import { checkRules, compareWithSnapshot } from './judge.ts';
import { snapshotFromRun } from './update.ts';
import { sampleRun } from './test-fixtures.ts';

describe('compareWithSnapshot', () => {
	it('finds nothing when only MACs, times and transient neighbour states differ', () => {
		const snapshot = snapshotFromRun(sampleRun());
		const run = sampleRun('b2:17:c0:99:00:ad', '9.999');
		(run.blocks[1]?.state?.['bob']?.['']?.neigh[0] as { state: string[] }).state = ['REACHABLE'];
		expect(compareWithSnapshot(run, snapshot)).toEqual([]);
	});

	it('reports a structural difference with file, line, host, command and a diff', () => {
		const snapshot = snapshotFromRun(sampleRun());
		const run = sampleRun();
		(run.blocks[0]?.steps[1] as { stdout: string }).stdout = '2: eth0: <DOWN>\n    link/ether 4e:8a:02:3b:12:34\n';
		const [problem, ...rest] = compareWithSnapshot(run, snapshot);
		expect(rest).toEqual([]);
		expect(problem).toMatchObject({ kind: 'stdout', file: 'content/chapters/01-test.mdx', line: 10, host: 'alice', cmd: 'ip link show eth0' });
		expect(problem?.diff).toContain('- 2: eth0: <UP>');
		expect(problem?.diff).toContain('+ 2: eth0: <DOWN>');
	});

	it('with its own clock (the simulator), notes a neighbour state that time decides instead of a mismatch', () => {
		const snapshot = snapshotFromRun(sampleRun());
		const run = sampleRun();
		(snapshot.blocks[0]?.steps[1] as { stdout: string }).stdout = '10.0.0.2 dev eth0 lladdr 4e:8a:02:3b:12:34 REACHABLE \n10.0.0.9 dev eth0  FAILED \n';
		(run.blocks[0]?.steps[1] as { stdout: string }).stdout = '10.0.0.2 dev eth0 lladdr 4e:8a:02:3b:12:34 DELAY \n10.0.0.9 dev eth0  INCOMPLETE \n';
		(run.blocks[1]?.state?.['bob']?.['']?.neigh as unknown[]).push({ dst: '10.0.0.9', dev: 'eth0', state: ['INCOMPLETE'] });
		(snapshot.blocks[1]?.state?.['bob']?.['']?.neigh as unknown[]).push({ dst: '10.0.0.9', dev: 'eth0', state: ['FAILED'] });
		expect(compareWithSnapshot(run, snapshot).map((p) => p.kind)).toEqual(['stdout', 'state']);
		expect(compareWithSnapshot(run, snapshot, { ownClock: true }).map((p) => [p.kind, p.line])).toEqual([['timing', 10], ['timing', 14]]);
		// Another state family, or anything else, is still a mismatch.
		(run.blocks[0]?.steps[1] as { stdout: string }).stdout = '10.0.0.2 dev eth0 lladdr 4e:8a:02:3b:12:34 PERMANENT \n10.0.0.9 dev eth0  INCOMPLETE \n';
		expect(compareWithSnapshot(run, snapshot, { ownClock: true }).map((p) => p.kind)).toEqual(['stdout', 'timing']);
	});

	it('reports exit codes, missing snapshots, new blocks and stale blocks', () => {
		const snapshot = snapshotFromRun(sampleRun());
		const run = sampleRun();
		(run.blocks[1]?.steps[1] as { exit: number }).exit = 2;
		expect(compareWithSnapshot(run, snapshot).map((p) => p.kind)).toEqual(['exit']);
		expect(compareWithSnapshot(run, undefined).map((p) => p.kind)).toEqual(['missing-snapshot']);
		const edited = sampleRun();
		(edited.blocks[0] as { key: string }).key = '00000000000000ff';
		expect(compareWithSnapshot(edited, snapshot).map((p) => p.kind)).toEqual(['new-block', 'stale-block']);
	});
});

describe('matchBlocks', () => {
	it('pairs repeated blocks in order and leaves unmatched ones', () => {
		const snap = [{ key: 'a' }, { key: 'b' }, { key: 'a' }].map((b, i) => ({ ...b, line: i + 1, host: 'h', steps: [] }));
		const { partners, unused } = matchBlocks([{ key: 'a' }, { key: 'a' }, { key: 'c' }], snap);
		expect(partners.map((p) => p?.line)).toEqual([1, 3, undefined]);
		expect(unused.map((u) => u.line)).toEqual([2]);
	});
});

describe('normaliseState', () => {
	it('sorts neighbours and keeps FAILED apart from a valid entry', () => {
		const state = (s: string) => ({ h: { '': { link: [], addr: [], route: [], neigh: [{ dst: '10.0.0.9', state: [s] }, { dst: '10.0.0.1', state: ['STALE'] }] } } });
		expect(normaliseState(state('FAILED'))).toMatch(/10\.0\.0\.1.*\n.*10\.0\.0\.9.*FAILED/);
		expect(normaliseState(state('FAILED'))).not.toBe(normaliseState(state('REACHABLE')));
	});
});

describe('checkRules', () => {
	it('accepts a fails block whose last command fails', () => {
		expect(checkRules(sampleRun())).toEqual([]);
	});

	it('reports a fails block that succeeded, a failed command and a timeout', () => {
		const run = sampleRun();
		(run.blocks[1]?.steps[1] as { exit: number }).exit = 0;
		(run.blocks[0]?.steps[0] as { exit: number; stderr: string }).exit = 2;
		(run.blocks[0]?.steps[0] as { stderr: string }).stderr = 'Error: ipv4: Address already assigned.\n';
		Object.assign(run.blocks[0]?.steps[1] ?? {}, { timedOut: true, exit: 124, ms: 5000 });
		const problems = checkRules(run);
		expect(problems.map((p) => [p.kind, p.line, p.host])).toEqual([
			['failed', 9, 'alice'],
			['timeout', 10, 'alice'],
			['succeeded', 16, 'bob'],
		]);
		expect(problems[0]?.diff).toContain('Address already assigned');
		expect(problems[1]?.message).toContain('timed out after 5 s');
	});

	describe('the chapter script', () => {
		const withScript = (script: Partial<NonNullable<ReturnType<typeof sampleRun>['script']>>) => {
			const run = sampleRun();
			const end = run.blocks.at(-1)!.state;
			return Object.assign(run, { script: { exit: 0, timedOut: false, ms: 900, stdout: '', stderr: '', ...(end ? { state: end } : {}), ...script } });
		};

		it('passes when it exits 0 and leaves the lab as the chapter left it', () => {
			expect(checkRules(withScript({}))).toEqual([]);
		});

		it('fails when it exits non-zero, naming the script and showing its last lines', () => {
			const [problem, ...rest] = checkRules(withScript({ exit: 2, stderr: 'root@alice:~# ip addr add 10.0.0.1/24 dev eth0\nError: ipv4: Address already assigned.\n' }));
			expect(rest).toEqual([]);
			expect(problem?.kind).toBe('script');
			expect(problem?.message).toMatch(/^the chapter script scripts\/.+\.sh failed \(exit 2\)$/);
			expect(problem?.diff).toContain('    | Error: ipv4: Address already assigned.');
		});

		it('fails when it leaves something behind', () => {
			const run = withScript({});
			run.script.state = { bob: { '': { link: [{ ifname: 'eth0' }, { ifname: 'veth-left' }], addr: [], route: [], neigh: [] } } };
			const [problem] = checkRules(run);
			expect(problem?.message).toContain("left the lab different from the chapter's cleanup");
			expect(problem?.diff).toContain('veth-left');
		});
	});
});

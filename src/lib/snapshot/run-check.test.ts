import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTERS_DIR, ROOT } from '../book/paths.ts';
import { loadChapter } from '../runbook/load.ts';
import { loadPrimarySnapshot } from './recordings.ts';
import { checkRecording, RunCheck, stepsText, summaryText, type BlockVerdict, type StepOutput } from './run-check.ts';

// The book's own chapter 4 and its primary recording stand in for a page's run and a target's recording.
const file = join(ROOT, CHAPTERS_DIR, '04-network-namespaces.mdx');
const chapter = loadChapter(file, ROOT);
const snapshot = loadPrimarySnapshot(file)!;
const runnable = chapter.blocks.filter((b) => b.runnable);

/** Every MAC of a text replaced by another one, the same one each time (a second run's random MACs). */
const otherMacs = (() => {
	const seen = new Map<string, string>();
	return (text: string) =>
		text.replace(/\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, (mac) => {
			if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return mac;
			if (!seen.has(mac)) seen.set(mac, `02:aa:bb:cc:dd:${seen.size.toString(16).padStart(2, '0')}`);
			return seen.get(mac)!;
		});
})();

/** Runs the check over the recording itself, each step passed through `change` first. */
function checkAgainstItself(change: (step: StepOutput, block: number, k: number) => StepOutput): BlockVerdict[] {
	const check = new RunCheck(checkRecording('v86', chapter.blocks, snapshot));
	return runnable.map((b) => check.compare(b.index, (check.recorded(b.index) ?? []).map((s, k) => change(s, b.index, k))));
}

describe('checking a chapter run in the page against a recording', () => {
	it('pairs every runnable block with its recording by key, and leaves norun blocks without one', () => {
		const recording = checkRecording('v86', chapter.blocks, snapshot);
		expect(recording.blocks).toHaveLength(chapter.blocks.length);
		expect(recording.recorded).toEqual(snapshot.recorded);
		for (const b of chapter.blocks) {
			const steps = recording.blocks[b.index];
			if (!b.runnable) expect(steps).toBeNull();
			else expect(steps?.map((s) => s.cmd)).toEqual(snapshot.blocks.find((s) => s.key === b.key)!.steps.map((s) => s.cmd));
		}
		expect(runnable.length).toBeGreaterThan(3);
	});

	it('matches a run that differs only in what the normaliser masks (other MACs, other ping times)', () => {
		const verdicts = checkAgainstItself((s) => ({
			...s,
			stdout: otherMacs(s.stdout).replace(/time=[\d.]+ ms/g, 'time=9.99 ms'),
			stderr: otherMacs(s.stderr),
		}));
		expect(verdicts.map((v) => v.status)).toEqual(runnable.map(() => 'match'));
		expect(verdicts.reduce((n, v) => n + (v.status === 'match' ? v.steps : 0), 0)).toBe(runnable.reduce((n, b) => n + b.commands.length, 0));
	});

	it('shows a changed line, a changed exit code and a missing newline as a compact diff', () => {
		const target = runnable.find((b) => snapshot.blocks.find((s) => s.key === b.key)!.steps.some((s) => s.stdout.split('\n').length > 3))!;
		const verdicts = checkAgainstItself((s, block, k) =>
			block === target.index && k === 0 ? { ...s, stdout: s.stdout.replace(/\n$/, '').replace(/^(.*)$/m, '$1 CHANGED'), exit: 3 } : s,
		);
		const verdict = verdicts[runnable.indexOf(target)]!;
		expect(verdict.status).toBe('differ');
		const recorded = snapshot.blocks.find((s) => s.key === target.key)!.steps[0]!;
		const first = recorded.stdout.split('\n')[0]!;
		const diff = (verdict as { diff: string }).diff.split('\n');
		expect(diff).toContain(`- ${first}`);
		expect(diff).toContain(`+ ${first} CHANGED`);
		expect(diff).toContain('+ [exit 3]');
		expect(diff).toContain('+ \\ no newline at the end');
		expect(verdicts.filter((v) => v.status !== 'match')).toHaveLength(1);
	});

	it('tells a difference in a neighbour state that only time decides (DELAY, REACHABLE) from any other', () => {
		const recording = { target: 'v86', blocks: [[{ cmd: 'ip neigh', stdout: '192.168.1.1 dev eth0 lladdr 02:00:00:00:00:01 DELAY \n', stderr: '', exit: 0 }]] };
		const run = (stdout: string) => new RunCheck(recording).compare(0, [{ cmd: 'ip neigh', stdout, stderr: '', exit: 0 }]);
		expect(run('192.168.1.1 dev eth0 lladdr 02:00:00:00:00:07 REACHABLE \n')).toEqual({
			status: 'differ',
			steps: 1,
			timing: true,
			// formatDiff's order (verify's): what this run added, then what the recording had.
			diff: ['  $ ip neigh', '+ 192.168.1.1 dev eth0 lladdr <mac1> REACHABLE ', '- 192.168.1.1 dev eth0 lladdr <mac1> DELAY '].join('\n').replace(/ $/gm, '·'),
		});
		expect(run('192.168.1.1 dev eth0 lladdr 02:00:00:00:00:07 FAILED \n')).toMatchObject({ status: 'differ', timing: false });
	});

	it('says a block was not recorded when the target has no block with its key, or no recording at all', () => {
		const edited = chapter.blocks.map((b, i) => (i === runnable[1]!.index ? { ...b, key: 'edited' } : b));
		const check = new RunCheck(checkRecording('v86', edited, snapshot));
		expect(check.compare(runnable[1]!.index, [])).toEqual({ status: 'unrecorded' });
		const none = new RunCheck(checkRecording('v86', chapter.blocks, undefined));
		expect(runnable.map((b) => none.compare(b.index, []).status)).toEqual(runnable.map(() => 'unrecorded'));
	});
});

describe('the words of a check', () => {
	it('writes a block as its commands, outputs, marked stderr and non-zero exits', () => {
		expect(
			stepsText([
				{ cmd: 'ip netns add red', stdout: '', stderr: '', exit: 0 },
				{ cmd: 'ip netns add red', stdout: '', stderr: 'Cannot create namespace file "/run/netns/red": File exists\n', exit: 1 },
				{ cmd: 'ip netns', stdout: 'red\nblue', stderr: '', exit: 0 },
			]),
		).toBe(['$ ip netns add red', '$ ip netns add red', 'stderr: Cannot create namespace file "/run/netns/red": File exists', '[exit 1]', '$ ip netns', 'red', 'blue', '\\ no newline at the end'].join('\n'));
	});

	it('sums up how many blocks match, and how many were not recorded', () => {
		expect(summaryText({ match: 11, differ: 1, timing: 0, unrecorded: 2 }, 'v86')).toBe('11 of 12 blocks match the recording made on v86; 2 not recorded on v86.');
		expect(summaryText({ match: 1, differ: 0, timing: 0, unrecorded: 0 }, 'v86')).toBe('1 of 1 block matches the recording made on v86.');
		expect(summaryText({ match: 0, differ: 0, timing: 0, unrecorded: 5 }, 'v86')).toBe('No block of this chapter has a recording made on v86 yet; 5 not recorded on v86.');
		expect(summaryText({ match: 18, differ: 1, timing: 1, unrecorded: 0 }, 'v86')).toBe(
			'18 of 19 blocks match the recording made on v86 (the other differs only in a neighbour state that time decides).',
		);
		expect(summaryText({ match: 10, differ: 3, timing: 2, unrecorded: 0 }, 'v86')).toBe(
			'10 of 13 blocks match the recording made on v86 (2 of the 3 that differ only in a neighbour state that time decides).',
		);
	});
});

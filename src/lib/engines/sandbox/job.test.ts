import { describe, expect, it } from 'vitest';
import { parseChapter } from '../../runbook/parse.ts';
import { servedScript } from '../../runbook/served.ts';
import { buildJob, readSandboxOutput } from './job.ts';
import type { Lab } from '../../shared/lab.ts';

const lab: Lab = { name: 'one', description: 'x', hosts: [{ name: 'pi', interfaces: [], routes: [], sysctls: {} }], switches: [] };
const chapter = parseChapter(
	['---', 'title: T', 'description: D', 'lab: one', '---', '', '```sh norun="later"', 'docker ps', '```', '', '```sh diagram', 'ip link', 'echo hi', '```', '', '```sh', 'true', '```', ''].join('\n'),
	{ file: 'content/chapters/02-t.mdx', lab: () => ({ hosts: ['pi'] }) },
);
const state = { pi: { '': { link: [{ ifname: 'lo' }], addr: [], route: [], neigh: [] } } };

describe('sandbox job', () => {
	it('holds runnable blocks only, with whole-second timeouts', () => {
		const job = buildJob(chapter, lab, 2.5);
		expect(job.timeout).toBe(3);
		expect(job.blocks).toEqual([
			{ index: 1, line: 11, host: 'pi', capture: true, commands: ['ip link', 'echo hi'] },
			{ index: 2, line: 16, host: 'pi', capture: true, commands: ['true'] },
		]);
	});

	it('carries the script it is given byte for byte, with its host on a one-machine lab', () => {
		const script = servedScript(chapter, lab, undefined);
		const job = buildJob(chapter, lab, 30, { script });
		expect(job.script).toEqual({ runs: [script], host: 'pi' });
		expect(buildJob(chapter, lab, 30).script).toBeUndefined();
	});

	it('reads the script run back with the state it left', () => {
		const result = readSandboxOutput(
			chapter,
			{
				steps: '',
				states: `${JSON.stringify({ after: 'end', state })}\n${JSON.stringify({ after: 'script', state })}\n`,
				recorded: JSON.stringify({ kernel: 'k', iproute2: 'i', iptables: 't', arch: 'a', os: 'o', date: 'd' }),
				output: () => '',
				script: { json: JSON.stringify({ exit: 0, timedOut: false, ms: 12 }), stdout: 'out\n', stderr: 'err\n' },
			},
			7,
		);
		expect(result.script).toEqual({ exit: 0, timedOut: false, ms: 12, stdout: 'out\n', stderr: 'err\n', state });
	});

	it('reads results back onto blocks, lines and states', () => {
		const outputs: Record<string, string> = { '0.0.out': 'links\n', '0.1.out': 'hi\n' };
		const step = (b: number, s: number) => JSON.stringify({ b, s, exit: 0, timedOut: false, ms: 3 });
		const result = readSandboxOutput(
			chapter,
			{
				steps: [step(0, 0), step(0, 1), step(1, 0)].join('\n'),
				states: `${JSON.stringify({ after: 0, state })}\n${JSON.stringify({ after: 'end', state })}\n`,
				recorded: JSON.stringify({ kernel: 'k', iproute2: 'i', iptables: 't', arch: 'a', os: 'o', date: 'd' }),
				output: (b, s, stream) => outputs[`${b}.${s}.${stream}`] ?? '',
			},
			7,
		);
		expect(result.blocks.map((b) => [b.line, b.steps.map((s) => [s.line, s.stdout]), b.state?.['pi']?.['']?.link])).toEqual([
			[11, [[12, 'links\n'], [13, 'hi\n']], [{ ifname: 'lo' }]],
			[16, [[17, '']], [{ ifname: 'lo' }]],
		]);
	});

	it('rejects output that does not fit the chapter', () => {
		const bad = JSON.stringify({ b: 5, s: 0, exit: 0, timedOut: false, ms: 1 });
		expect(() => readSandboxOutput(chapter, { steps: bad, states: '', recorded: '{}', output: () => '' }, 1)).toThrow(/unknown step 5.0/);
	});
});

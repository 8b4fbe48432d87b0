import { describe, expect, it } from 'vitest';
import { parseChapter } from '../../runbook/parse.ts';
import { createSimEngine, type ChapterSimLab } from './sim-engine.ts';
import type { Lab } from '../../shared/lab.ts';

const lab: Lab = { name: 'two', description: 'x', hosts: [{ name: 'alice', interfaces: [], routes: [], sysctls: {} }, { name: 'bob', interfaces: [], routes: [], sysctls: {} }], switches: [] };
const chapter = parseChapter(
	['---', 'title: T', 'description: D', 'lab: two', '---', '', '```sh diagram', 'ip link \\', '  show', 'true', '```', '', '```sh norun="no"', 'docker ps', '```', '', '```sh host=bob fails', 'false', '```', ''].join('\n'),
	{ file: 'content/chapters/01-t.mdx', lab: () => ({ hosts: ['alice', 'bob'] }) },
);

describe('the simulator as an engine', () => {
	it('runs runnable blocks through lab.exec, one line per command, and takes states', async () => {
		const calls: string[] = [];
		const fake: ChapterSimLab = {
			exec: (host, line) => {
				calls.push(`${host}: ${line}`);
				return { stdout: `${line}\n`, stderr: '', exit: line === 'false' ? 1 : 0 };
			},
			state: () => ({ alice: { '': { link: [], addr: [], route: [], neigh: [] } } }),
		};
		const profiles: string[] = [];
		const result = await createSimEngine(async () => (_lab, { profile }) => (profiles.push(`${profile.iproute2.join('.')} ${profile.uplink}`), fake)).run(chapter, lab);
		expect(profiles).toEqual(['6.1.0 veth']);
		expect(calls).toEqual(['alice: ip link show', 'alice: true', 'bob: false']);
		expect(result.engine).toBe('sim');
		expect(result.blocks.map((b) => [b.host, b.line, b.fails, b.steps.map((s) => [s.line, s.exit]), Boolean(b.state)])).toEqual([
			['alice', 7, false, [[8, 0], [10, 0]], true],
			['bob', 17, true, [[18, 1]], true],
		]);
		expect(result.blocks[0]?.steps[0]?.cmd).toBe('ip link \\\n  show');
	});

	it('imitates the machine of the snapshots it is compared with: their tool versions, a VM\'s NICs', async () => {
		const fake: ChapterSimLab = { exec: () => ({ stdout: '', stderr: '', exit: 0 }), state: () => ({}) };
		const seen: string[] = [];
		const engine = createSimEngine(async () => (_lab, { profile }) => (seen.push(`${profile.iproute2.join('.')} ${profile.iptables.join('.')} ${profile.uplink}`), fake));
		const recorded = { kernel: '6.12.118+deb13-arm64', iproute2: '6.15.0', iptables: '1.8.11 (nf_tables)', arch: 'aarch64', os: 'Debian GNU/Linux 13 (trixie)', date: '2026-12-03' };
		await engine.run(chapter, lab, { compared: { set: 'vm:arm64', recorded } });
		await engine.run(chapter, lab, { compared: { set: 'vm-arm64', recorded } });
		await engine.run(chapter, lab, { compared: { set: 'native-arm64', recorded } });
		expect(seen).toEqual(['6.15.0 1.8.11 nic', '6.15.0 1.8.11 nic', '6.15.0 1.8.11 veth']);
	});
});

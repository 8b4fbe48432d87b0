import type { BlockResult, ChapterResult } from '../engines/engine.ts';

/** A step that ran for 0 ms. */
const step = (cmd: string, stdout: string, exit = 0, line = 10): BlockResult['steps'][number] => ({ cmd, line, stdout, stderr: '', exit, timedOut: false });

/** A small run: alice adds an address and shows her link, bob's ping fails on purpose. */
export function sampleRun(mac = '4e:8a:02:3b:12:34', time = '0.087'): ChapterResult {
	return {
		chapter: '01-test',
		file: 'content/chapters/01-test.mdx',
		engine: 'kernel',
		recorded: { kernel: '6.18', iproute2: '6.1.0', iptables: '1.8.9', arch: 'x86_64', os: 'Debian', date: '2026-01-01' },
		ms: 1,
		blocks: [
			{
				key: '0000000000000001',
				index: 0,
				line: 8,
				host: 'alice',
				fails: false,
				steps: [step('ip addr add 10.0.0.1/24 dev eth0', '', 0, 9), step('ip link show eth0', `2: eth0: <UP>\n    link/ether ${mac}\n`, 0, 10)],
			},
			{
				key: '0000000000000002',
				index: 1,
				line: 14,
				host: 'bob',
				fails: true,
				steps: [step('ping -c 1 10.0.0.1', `64 bytes: time=${time} ms\n`, 0, 15), step('ping -c 1 -W 1 10.0.0.9', '100% packet loss\n', 1, 16)],
				state: { bob: { '': { link: [{ ifname: 'eth0', address: mac }], addr: [], route: [], neigh: [{ dst: '10.0.0.1', dev: 'eth0', state: ['DELAY'] }] } } },
			},
		],
	};
}

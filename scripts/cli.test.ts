import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/lib/lab/load.ts';

const tsx = (script: string, args: string[], input = '') =>
	spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], { cwd: ROOT, input, encoding: 'utf8' });

describe('scripts/check-node.mjs', () => {
	const run = (version?: string) =>
		spawnSync(
			process.execPath,
			[
				...(version ? ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`] : []),
				join(ROOT, 'scripts/check-node.mjs'),
			],
			{ encoding: 'utf8' },
		);

	it('lets the pinned Node 24 through silently', () => {
		const result = run();
		expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
	});

	it('stops an older Node with one clear message', () => {
		const result = run('20.20.2');
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(
			`error: this project needs Node 24 (found v${process.versions.node} at ${process.execPath}).\n` +
				'  hint: run it through npm (npm start, npm test, npm run …) after `npm ci`, which installs the pinned Node 24.\n',
		);
	});
});

describe('the transcript CLI (npm run -s netsim -- --lab LAB)', () => {
	it('runs one command per line, @HOST picks the host, blank and # lines are skipped', () => {
		const input = '# a comment\n\n@alice ip addr add 192.168.1.1/24 dev eth0\n@alice ip -br addr show dev eth0\n@bob hostname\nfoo\n@carol ip link\n';
		const result = tsx('netsim.ts', ['--lab', 'two-hosts'], input);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toBe(
			[
				{ host: 'alice', cmd: 'ip addr add 192.168.1.1/24 dev eth0', stdout: '', stderr: '', exit: 0 },
				{ host: 'alice', cmd: 'ip -br addr show dev eth0', stdout: 'eth0@if2         UP             192.168.1.1/24 fe80::ff:fe00:1/64 \n', stderr: '', exit: 0 },
				{ host: 'bob', cmd: 'hostname', stdout: 'bob\n', stderr: '', exit: 0 },
				{ host: 'alice', cmd: 'foo', stdout: '', stderr: 'bash: line 1: foo: command not found\n', exit: 127 },
				{ host: 'carol', cmd: 'ip link', stdout: '', stderr: 'netsim: no host "carol" in this lab\n', exit: 255 },
			]
				.map((o) => `${JSON.stringify(o)}\n`)
				.join(''),
		);
	});

	it('takes a lab file by path, and names an unknown lab', () => {
		const byPath = tsx('netsim.ts', ['--lab', join(ROOT, 'examples/labs/machine.json')], 'ip route\n');
		expect(byPath.stdout).toBe(
			`${JSON.stringify({ host: 'pi', cmd: 'ip route', stdout: 'default via 192.168.0.1 dev eth0 \n192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.10 \n', stderr: '', exit: 0 })}\n`,
		);
		const unknown = tsx('netsim.ts', ['--lab', 'nowhere']);
		expect(unknown.status).toBe(2);
		expect(unknown.stdout).toBe('');
		expect(unknown.stderr).toMatch(/^netsim: lab "nowhere": cannot read .*examples\/labs\/nowhere\.json: ENOENT/);
	});
});

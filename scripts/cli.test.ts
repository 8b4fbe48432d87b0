import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/lib/book/paths.ts';

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

	it('stops with one line when npm left out the native binding (node_modules installed by a Node too old)', () => {
		// Hide rolldown's platform packages from require(), as an install by npm on Node 18 does.
		const hide = `import M from 'node:module'; const r = M._resolveFilename; M._resolveFilename = function (q, ...a) { if (/^@rolldown\\/binding-/.test(q)) throw Object.assign(new Error('Cannot find module ' + q), { code: 'MODULE_NOT_FOUND' }); return r.call(this, q, ...a); };`;
		const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hide)}`, join(ROOT, 'scripts/check-node.mjs')], { encoding: 'utf8' });
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^error: node_modules is incomplete \(Cannot find native binding[^\n]*\)\. It was probably installed by npm on a Node older than 20\.19; install a newer Node\.js and npm \(see README\.md\), then run npm ci again\.\n$/);
	});
});

describe('scripts/check-installer.mjs (preinstall)', () => {
	const run = (agent: string) =>
		spawnSync(process.execPath, [join(ROOT, 'scripts/check-installer.mjs')], { encoding: 'utf8', env: { ...process.env, npm_config_user_agent: agent } });

	it.each(['npm/9.2.0 node/v20.19.2 linux x64 workspaces/false', 'npm/11.6.2 node/v22.12.0 linux arm64 workspaces/false', 'npm/11.6.2 node/v24.21.0 linux x64'])(
		'lets npm on a Node that can install the project through silently: %s',
		(agent) => {
			const result = run(agent);
			expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
		},
	);

	it.each([
		['npm/9.2.0 node/v18.20.4 linux x64 workspaces/false', '18.20.4'],
		['npm/10.8.2 node/v20.18.1 linux x64 workspaces/false', '20.18.1'],
		['npm/10.9.0 node/v22.11.0 linux x64 workspaces/false', '22.11.0'],
	])('stops npm on a Node too old with one line saying what to install: %s', (agent, version) => {
		const result = run(agent);
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(
			`error: npm runs on Node ${version}, too old to install this project (it needs Node ^20.19.0 || >=22.12.0 to run npm; ` +
				'the book itself then runs on the Node 24 it installs). Install a newer Node.js and npm (Debian 13: apt-get install nodejs npm; ' +
				'or Node 22 LTS from nodejs.org), then run npm ci again.\n',
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

	it('--like SET imitates the machine a snapshot set was recorded on', () => {
		const out = (args: string[]): string => (JSON.parse(tsx('netsim.ts', ['--lab', 'machine', ...args], 'ip link show eth0\n').stdout) as { stdout: string }).stdout;
		expect(out([])).toMatch(/^2: eth0@if2: .* qdisc noqueue /);
		expect(out(['--like', 'vm:arm64'])).toMatch(/^2: eth0: .* qdisc fq_codel /);
		const none = tsx('netsim.ts', ['--lab', 'machine', '--like', 'nope']);
		expect([none.status, none.stderr]).toEqual([2, 'netsim: --like nope: no snapshots in content/snapshots/nope/ to tell what it was recorded on\n']);
	});
});

describe('the command-line tools\' build (npm run -s simtools)', () => {
	it('builds the executables into --out and says where they are', () => {
		const out = mkdtempSync(join(tmpdir(), 'simtools-cli-'));
		const result = tsx('simtools.ts', ['--out', out]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/^simtools: 13 executables in \S+\/bin \(tool\.mjs \d+ KB, netsim-lab\.mjs \d+ KB\): ip bridge ping iptables sysctl conntrack tcpdump nsenter unshare hostname ss nstat netsim-lab\n$/);
		expect(readdirSync(join(out, 'bin')).sort()).toEqual(['bridge', 'conntrack', 'hostname', 'ip', 'iptables', 'netsim-lab', 'nsenter', 'nstat', 'ping', 'ss', 'sysctl', 'tcpdump', 'unshare']);
		expect(readdirSync(join(out, 'lib')).sort()).toEqual(['catalog.json', 'netsim-lab.mjs', 'tool.mjs']);
		rmSync(out, { recursive: true, force: true });
	});

	it('refuses an option it does not know, and a number of runs that is not one', () => {
		expect(tsx('simtools.ts', ['--nope'])).toMatchObject({ status: 2, stdout: '', stderr: expect.stringMatching(/^simtools: Unknown option '--nope'.*\nusage: npm run -s simtools /s) });
		expect(tsx('simtools.ts', ['--measure', '--runs', 'x'])).toMatchObject({ status: 2, stderr: 'simtools: --runs needs a positive whole number, not "x"\nusage: npm run -s simtools [-- --out DIR] [--measure [--runs N]]   (default DIR: dist-simtools, N: 50)\n' });
	});
});

describe('scripts/reline-snapshots.ts', () => {
	it('checks, changing nothing, that every snapshot line follows its chapter', () => {
		const result = tsx('reline-snapshots.ts', ['--check']);
		expect([result.status, result.stdout, result.stderr]).toEqual([0, 'reline: every snapshot line follows its chapter\n', '']);
	});

	it('refuses an unknown option with its usage', () => {
		const result = tsx('reline-snapshots.ts', ['--chec']);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/^reline: .*\n {2}usage: npm run -s reline -- \[--check\]\n$/);
	});
});

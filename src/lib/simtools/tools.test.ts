// The built executables, run as programs run them: each invocation a process of its own, the lab
// carried between them in the state file. What they print is compared with the simulator in one
// session (createLab), whole stdout, stderr and exit status.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed, sessionLab, buildTools, type Ran, type Tools } from './tools.test-helper.ts';

let tools: Tools;
beforeAll(async () => {
	tools = await buildTools();
});
afterAll(() => tools.dispose());

/** A state file with a lab started on it. */
function started(lab: string, like = 'local', extra: string[] = []): string {
	const state = tools.freshState();
	const r = tools.run(state, 'netsim-lab', ['init', '--lab', lab, '--like', like, ...extra]);
	expect(r.exit, r.stderr).toBe(0);
	return state;
}

describe('the simulator as command-line tools', () => {
	it('answers on PATH, from a shell and from execFile, exactly as the simulator in one session', () => {
		const state = started('machine');
		const session = sessionLab('machine', 'local');
		const shell = spawnSync('bash', ['-c', 'ip -br link; ip route'], { env: tools.env(state), encoding: 'utf8' });
		const one = printed(session.exec('pi', 'ip -br link'));
		const two = printed(session.exec('pi', 'ip route'));
		expect([shell.stdout, shell.stderr, shell.status]).toEqual([one.stdout + two.stdout, '', 0]);
		expect(one.stdout).toMatch(/^lo +UNKNOWN/);
		expect(tools.run(state, 'ip', ['-j', 'addr', 'show', 'eth0'])).toEqual(printed(session.exec('pi', 'ip -j addr show eth0')));
	});

	it('keeps the lab between processes: each command sees what the ones before it did', () => {
		const state = started('machine');
		const session = sessionLab('machine', 'local');
		const steps: [string[], string][] = [
			[['link', 'add', 'v-a', 'type', 'veth', 'peer', 'name', 'v-b'], 'ip link add v-a type veth peer name v-b'],
			[['addr', 'add', '10.9.0.1/24', 'dev', 'v-a'], 'ip addr add 10.9.0.1/24 dev v-a'],
			[['link', 'set', 'v-a', 'up'], 'ip link set v-a up'],
			[['link', 'set', 'v-b', 'up'], 'ip link set v-b up'],
			[['-br', 'addr'], 'ip -br addr'],
			[['route', 'get', '10.9.0.7'], 'ip route get 10.9.0.7'],
			[['addr', 'add', '10.9.0.1/24', 'dev', 'v-a'], 'ip addr add 10.9.0.1/24 dev v-a'],
			[['link', 'show', 'v-b'], 'ip link show v-b'],
		];
		for (const [argv, line] of steps) expect(tools.run(state, 'ip', argv), line).toEqual(printed(session.exec('pi', line)));
		expect(tools.run(state, 'ping', ['-c', '1', '10.9.0.1'])).toEqual(printed(session.exec('pi', 'ping -c 1 10.9.0.1')));
		expect(tools.run(state, 'sysctl', ['net.ipv4.ip_forward'])).toEqual(printed(session.exec('pi', 'sysctl net.ipv4.ip_forward')));
		expect(tools.run(state, 'netsim-lab', ['log']).stdout).toBe([...steps.map(([, line]) => line), 'ping -c 1 10.9.0.1', 'sysctl net.ipv4.ip_forward'].map((l) => `@pi ${l}\n`).join(''));
	});

	it('passes each argument exactly as execFile hands it over, whatever a shell would make of it', () => {
		const state = started('machine');
		const session = sessionLab('machine', 'local');
		const cases: [string, string[], string][] = [
			['ip', ['link', 'add', 'a b', 'type', 'veth'], 'ip link add "a b" type veth'],
			['ip', ['netns', 'add', '$(reboot)'], "ip netns add '$(reboot)'"],
			['ip', ['netns', 'add', "it's;x"], `ip netns add "it's;x"`],
			['ip', ['netns', 'list'], 'ip netns list'],
			['iptables', ['-A', 'INPUT', '-m', 'comment', '--comment', 'a "quoted" comment', '-j', 'ACCEPT'], `iptables -A INPUT -m comment --comment 'a "quoted" comment' -j ACCEPT`],
			['iptables', ['-S', 'INPUT'], 'iptables -S INPUT'],
			['ip', ['link', 'show', ''], "ip link show ''"],
		];
		for (const [program, argv, line] of cases) expect(tools.run(state, program, argv), line).toEqual(printed(session.exec('pi', line)));
	});

	it('runs `ip netns exec NAME CMD` and `ip -n` inside the namespace', () => {
		const state = started('machine');
		const session = sessionLab('machine', 'local');
		const steps: string[][] = [
			['netns', 'add', 'blue'],
			['netns', 'exec', 'blue', 'ip', '-br', 'link'],
			['netns', 'exec', 'blue', 'ping', '-c', '1', '127.0.0.1'],
			['-n', 'blue', 'link', 'set', 'lo', 'up'],
			['netns', 'exec', 'blue', 'ping', '-c', '1', '-W', '1', '127.0.0.1'],
			['netns', 'exec', 'blue', 'sysctl', 'net.ipv4.ip_forward'],
			['netns', 'exec', 'nosuch', 'ip', 'link'],
		];
		const results: Ran[] = [];
		for (const argv of steps) {
			const r = tools.run(state, 'ip', argv);
			expect(r, argv.join(' ')).toEqual(printed(session.exec('pi', `ip ${argv.join(' ')}`)));
			results.push(r);
		}
		expect(results.map((r) => r.exit)).toEqual([0, 0, 2, 0, 0, 0, 255]);
	});

	it('acts as the host NETSIM_HOST names, and refuses one the lab does not have', () => {
		const state = started('two-hosts', 'local', ['--host', 'bob']);
		expect(tools.run(state, 'hostname', [])).toEqual({ stdout: 'bob\n', stderr: '', exit: 0 });
		expect(tools.run(state, 'hostname', [], { host: 'alice' })).toEqual({ stdout: 'alice\n', stderr: '', exit: 0 });
		expect(tools.run(state, 'ip', ['-br', 'link'], { host: 'carol' })).toEqual({
			stdout: '',
			stderr: 'netsim: no host "carol" in lab two-hosts (NETSIM_HOST=carol); its hosts: alice, bob\n  set NETSIM_HOST to one of them\n',
			exit: 125,
		});
		expect(tools.run(state, 'netsim-lab', ['log']).stdout).toBe('@bob hostname\n@alice hostname\n');
	});

	it('says which state file is missing or unusable, and what to do', () => {
		const missing = tools.freshState();
		expect(tools.run(missing, 'ip', ['link'])).toEqual({ stdout: '', stderr: `netsim: no simulated lab at ${missing}\n  start one with \`netsim-lab init --lab machine\` (or set NETSIM_STATE to another file)\n`, exit: 125 });
		const garbage = started('machine');
		writeFileSync(garbage, 'not json');
		const r = tools.run(garbage, 'ip', ['link']);
		expect(r.exit).toBe(125);
		expect(r.stderr).toMatch(new RegExp(`^netsim: cannot use the state file ${garbage}: it is not JSON \\(.*\\)\\n  start the lab again with \`netsim-lab init --lab …\` \\(it replaces the file\\), or set NETSIM_STATE to another file\\n$`));
		// A journal that no longer replays as it ran (here: a digest altered by hand).
		const changed = started('machine');
		tools.run(changed, 'ip', ['link', 'add', 'br0', 'type', 'bridge']);
		writeFileSync(changed, readFileSync(changed, 'utf8').replace(/"out":"[0-9a-f]{8}"/, '"out":"00000000"'));
		expect(tools.run(changed, 'ip', ['link'])).toEqual({
			stdout: '',
			stderr: `netsim: the lab in ${changed} no longer replays: command 1 (\`ip link add br0 type bridge\` on pi) printed something else than when it ran, so the simulator has changed since\n  start the lab again with \`netsim-lab init --lab machine\` and run its commands again\n`,
			exit: 125,
		});
	});

	it('records every one of several invocations made at once', async () => {
		const state = started('machine');
		const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
		const results = await Promise.all(names.map((n) => tools.start(state, 'ip', ['link', 'add', `${n}-a`, 'type', 'veth', 'peer', 'name', `${n}-b`])));
		expect(results).toEqual(names.map(() => ({ stdout: '', stderr: '', exit: 0 })));
		const log = tools.run(state, 'netsim-lab', ['log']).stdout.trim().split('\n');
		expect(log.sort()).toEqual(names.map((n) => `@pi ip link add ${n}-a type veth peer name ${n}-b`).sort());
		const links = tools.run(state, 'ip', ['-br', 'link']).stdout.split('\n').filter(Boolean).map((l) => l.split(/[ @]/)[0]);
		expect(links.sort()).toEqual(['eth0', 'lo', ...names.flatMap((n) => [`${n}-a`, `${n}-b`])].sort());
		expect(existsSync(`${state}.lock`)).toBe(false);
	});

	it('runs any line of the simulated shell with netsim-lab exec, and hands it stdin with --stdin', () => {
		const state = started('machine');
		const conf = '{"cniVersion": "1.0.0",\n "name": "it\'s $HOME"}\n';
		expect(tools.run(state, 'netsim-lab', ['exec', '--stdin', 'tee /tmp/conf.json'], { input: conf })).toEqual({ stdout: conf, stderr: '', exit: 0 });
		// Replayed with its stdin, the file is there for the next command.
		expect(tools.run(state, 'netsim-lab', ['exec', 'cat', '/tmp/conf.json'])).toEqual({ stdout: conf, stderr: '', exit: 0 });
		expect(tools.run(state, 'netsim-lab', ['exec', 'cat /sys/class/net/eth0/operstate'])).toEqual({ stdout: 'up\n', stderr: '', exit: 0 });
		expect(tools.run(state, 'netsim-lab', ['exec', 'false'])).toEqual({ stdout: '', stderr: '', exit: 1 });
	});

	it('starts a lab by name or from a lab file, and says what it can start when asked for something else', () => {
		const state = tools.freshState();
		const init = (...args: string[]): Ran => tools.run(state, 'netsim-lab', ['init', ...args]);
		expect(init('--lab', 'nosuch')).toEqual({ stdout: '', stderr: expect.stringMatching(/^netsim: no lab named "nosuch"\n  the book's labs: .*\bmachine\b.*\btwo-hosts\b.*; or give a lab file, --lab my-lab.json\n$/), exit: 125 });
		expect(init('--lab', 'machine', '--like', 'vm:sparc')).toEqual({ stdout: '', stderr: expect.stringMatching(/^netsim: no machine "vm:sparc" to imitate\n  the snapshot sets with recordings: .*\blocal\b/), exit: 125 });
		expect(init('--lab', 'machine', '--host', 'bob')).toEqual({ stdout: '', stderr: 'netsim: no host "bob" in lab machine; its hosts: pi\n  choose one of them with --host\n', exit: 125 });
		expect(init('--like', 'local').stderr).toMatch(/^netsim-lab: init needs --lab NAME or --lab FILE.json\nusage: netsim-lab COMMAND/);
		expect(existsSync(state)).toBe(false);
		// A lab file of one's own, checked against the lab schema.
		const file = `${state.replace(/state\.json$/, '')}my-lab.json`;
		writeFileSync(file, JSON.stringify({ name: 'mine', description: 'x', hosts: [{ name: 'h1', interfaces: [{ name: 'eth0', switch: 'nope' }] }] }));
		expect(init('--lab', file)).toEqual({ stdout: '', stderr: `netsim: the lab file ${file} is not valid: (top): h1/eth0: unknown switch "nope"\n  fix it as the lab schema says (src/lib/shared/lab.ts)\n`, exit: 125 });
		writeFileSync(file, JSON.stringify({ name: 'mine', description: 'x', hosts: [{ name: 'h1', interfaces: [{ name: 'eth0', switch: 's1' }] }], switches: [{ name: 's1' }] }));
		expect(init('--lab', file, '--like', 'vm:arm64').stdout).toMatch(/^netsim-lab: lab mine \(hosts: h1\), imitating vm:arm64: Debian GNU\/Linux 13 \(trixie\), .*, in a VM; the tools act as h1; state in /);
		expect(tools.run(state, 'ip', ['-br', 'link', 'show', 'eth0'])).toEqual(printed(sessionLab(file, 'vm:arm64').exec('h1', 'ip -br link show eth0')));
		expect(tools.run(state, 'netsim-lab', ['status'], { host: 'h1' }).stdout).toMatch(
			new RegExp(`^lab      mine \\(hosts: h1\\)\nmachine  vm:arm64: Debian GNU/Linux 13 \\(trixie\\), kernel [^\n]+, in a VM\nhost     h1 \\(NETSIM_HOST; the state file's: h1\\)\njournal  1 command\nstate    ${state}\n$`),
		);
		// Another file that NETSIM_STATE names by mistake is never replaced.
		const other = tools.freshState();
		writeFileSync(other, '#!/bin/sh\n');
		expect(tools.run(other, 'netsim-lab', ['init', '--lab', 'machine'])).toEqual({ stdout: '', stderr: `netsim: ${other} exists and is not a netsim-lab state file\n  set NETSIM_STATE to another file, or remove this one\n`, exit: 125 });
		expect(readFileSync(other, 'utf8')).toBe('#!/bin/sh\n');
	});

	it('runs under the Node this machine has as well as the project\'s', () => {
		const state = started('machine');
		const nodes = [...new Set([process.execPath, '/usr/bin/node'].filter((p) => existsSync(p)))];
		const expected = printed(sessionLab('machine', 'local').exec('pi', 'ip -br addr'));
		for (const node of nodes) {
			const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
			const r = spawnSync(node, [`${tools.bin}/ip`, '-br', 'addr'], { env: tools.env(state), encoding: 'utf8' });
			expect({ stdout: r.stdout, stderr: r.stderr, exit: r.status }, `${node} ${version}`).toEqual(expected);
			tools.run(state, 'netsim-lab', ['init', '--lab', 'machine', '--like', 'local']);
		}
		expect(nodes.length).toBeGreaterThan(0);
	});
});

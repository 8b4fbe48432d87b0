import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLab } from '../book/labs.ts';
import { ROOT } from '../book/paths.ts';
import { chapterFiles, loadChapter } from './load.ts';
import { parseChapter } from './parse.ts';
import { changeOf, chapterScript, chapterTools } from './script.ts';
import type { Chapter } from './types.ts';

const FIXTURES = join(ROOT, 'tests/fixtures/book/chapters');

function scriptOf(chapter: Chapter): string {
	const lab = loadLab(chapter.lab);
	return chapterScript(chapter, {
		lab: { name: lab.name, description: lab.description, hosts: lab.hosts.map((h) => h.name) },
		url: `https://netbook.example/${chapter.id}/`,
		verified: 'verified on Linux 6.18 · iproute2 6.1 · x86_64 · 2026-11-26',
	});
}

describe('chapterTools', () => {
	it('lists a chapter\'s tools with their Debian packages', () => {
		const chapter = loadChapter(join(FIXTURES, '02-one-machine.mdx'));
		expect(chapterTools(chapter)).toEqual([
			{ name: 'ip', package: 'iproute2' },
			{ name: 'sysctl', package: 'procps' },
			{ name: 'iptables', package: 'iptables' },
			{ name: 'jq', package: 'jq' },
			{ name: 'conntrack', package: 'conntrack' },
		]);
	});
});

describe('changeOf', () => {
	it.each([
		['ip netns add red', 'adds network namespace red'],
		['ip link add veth-red type veth peer name eth0 netns red', 'adds veth link veth-red (peer eth0)'],
		['ip -n alice addr add 192.168.25.1/24 dev veth-alice', 'adds address 192.168.25.1/24 dev veth-alice in namespace alice'],
		['ip netns exec c1 ip route add default via 172.17.0.1', 'adds route default via 172.17.0.1 in namespace c1'],
		['sysctl -w net.ipv4.ip_forward=1', 'sets sysctl net.ipv4.ip_forward=1'],
		['iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE', 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE'],
		['echo 1 > /proc/sys/net/ipv4/conf/eth0/rp_filter', 'writes /proc/sys/net/ipv4/conf/eth0/rp_filter'],
		['ip -br addr', undefined],
		['ping -c 1 8.8.8.8', undefined],
	])('%s', (command, change) => {
		expect(changeOf(command)).toBe(change);
	});
});

describe('chapterScript', () => {
	it.each(['01-two-machines', '02-one-machine'])('writes %s.sh', async (id) => {
		const script = scriptOf(loadChapter(join(FIXTURES, `${id}.mdx`)));
		await expect(script).toMatchFileSnapshot(`./__snapshots__/script-${id}.sh`);
	});

	it.each(chapterFiles().map((f) => [f.replace(/^.*\//, ''), f]))('%s: the script is valid bash', (_, file) => {
		const script = scriptOf(loadChapter(file));
		const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});
});

/**
 * The fixture chapter's script with stub tools, run through NETBOOK_ENTER: every tool logs
 * "host: command args"; `ping` to 192.168.2.9 fails like the kernel's; with HAVE_ADDRESS set, bob
 * already has 192.168.1.2; with FAIL_FLUSH, alice's cleanup flush fails.
 */
function stubbedChapter() {
	const dir = mkdtempSync(join(tmpdir(), 'netbook-script-'));
	const log = join(dir, 'log');
	const stub = (name: string, body: string) => {
		writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
		chmodSync(join(dir, name), 0o755);
	};
	stub(
		'ip',
		[
			`echo "$NETBOOK_TEST_HOST: ip $*" >> ${log}`,
			'[[ "$*" != "neigh show 192.168.1.2" || -z $FAIL_NEIGH ]] || exit 1',
			'[[ "$NETBOOK_TEST_HOST $*" != "alice addr flush dev eth0" || -z $FAIL_FLUSH ]] || exit 2',
			'[[ "$NETBOOK_TEST_HOST $*" != "bob -o addr show to 192.168.1.2" || -z $HAVE_ADDRESS ]] || echo "2: eth0    inet 192.168.1.2/24"',
		].join('\n'),
	);
	stub('ping', `echo "$NETBOOK_TEST_HOST: ping $*" >> ${log}; [[ "$*" != *192.168.2.9* ]] || exit 2`);
	stub('enter', `NETBOOK_TEST_HOST=$1; shift; export NETBOOK_TEST_HOST PATH=${dir}:$PATH; exec "$@"`);
	const script = join(dir, 'chapter.sh');
	writeFileSync(script, scriptOf(loadChapter(join(FIXTURES, '01-two-machines.mdx'))));
	const run = (env: Record<string, string> = {}) => {
		writeFileSync(log, '');
		const r = spawnSync('bash', [script], { env: { ...process.env, NETBOOK_ENTER: join(dir, 'enter'), ...env }, encoding: 'utf8', input: '' });
		return { status: r.status, log: readFileSync(log, 'utf8').trim().split('\n'), stderr: r.stderr };
	};
	return { dir, log, stub, script, run };
}

const { dir, log, stub, script, run } = stubbedChapter();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture chapter's cleanup on both hosts, then the sweep for anything of the run it left behind. */
const CLEANUP_THEN_SWEEP = [
	'alice: ip addr flush dev eth0',
	'alice: ip link set eth0 down',
	'bob: ip addr flush dev eth0',
	'bob: ip link set eth0 down',
	'alice: ip -o addr show to 192.168.1.1',
	'bob: ip -o addr show to 192.168.1.2',
];

describe('a chapter script running (stub tools, through NETBOOK_ENTER): steps and cleanup', () => {
	it('runs every step in order on its host, then the cleanup', () => {
		const r = run();
		expect(r.status).toBe(0);
		expect(r.log).toEqual([
			// the survey: neither address may exist yet
			'alice: ip -o addr show to 192.168.1.1',
			'bob: ip -o addr show to 192.168.1.2',
			'alice: ip link show dev eth0',
			'alice: ip addr add 192.168.1.1/24 dev eth0',
			'alice: ip link set eth0 up',
			'bob: ip addr add 192.168.1.2/24 dev eth0',
			'bob: ip link set eth0 up',
			'alice: ping -c 1 192.168.1.2',
			'alice: ip neigh show 192.168.1.2',
			'alice: ping -c 1 -W 1 192.168.2.9',
			'alice: ip route show table local',
			...CLEANUP_THEN_SWEEP,
		]);
		expect(r.stderr).toContain('step 3 on bob: Bob joins the network');
	});

	it('runs the cleanup when a step fails, and exits with its status', () => {
		const r = run({ FAIL_NEIGH: '1' });
		expect(r.status).toBe(1);
		expect(r.log.slice(-7)).toEqual([
			'alice: ip neigh show 192.168.1.2',
			...CLEANUP_THEN_SWEEP,
		]);
		expect(r.stderr).toContain('stopped with exit status 1: running the cleanup');
	});

	it('refuses with one line and changes nothing when something it would create is there', () => {
		const r = run({ HAVE_ADDRESS: '1' });
		expect(r.status).toBe(2);
		expect(r.log).toEqual(['alice: ip -o addr show to 192.168.1.1', 'bob: ip -o addr show to 192.168.1.2']);
		expect(r.stderr).toBe(
			'01-two-machines.sh: refused, nothing changed: found address 192.168.1.2 on bob, which this script creates or removes by name (left over from an interrupted run? the Clean up block of the chapter removes them)\n',
		);
	});

	it('runs every cleanup command after a failure, even those that fail', () => {
		const r = run({ FAIL_NEIGH: '1', FAIL_FLUSH: '1' });
		expect(r.status).toBe(1);
		expect(r.log.slice(-6, -2)).toEqual(['alice: ip addr flush dev eth0', 'alice: ip link set eth0 down', 'bob: ip addr flush dev eth0', 'bob: ip link set eth0 down']);
		expect(r.stderr).toContain('netbook: this command failed (exit status 1): ip neigh show 192.168.1.2\n');
	});
});

describe('a chapter script running (stub tools, through NETBOOK_ENTER): tracing and listing', () => {
	it('traces each command after the host\'s prompt, nested ones with bash\'s +, and puts sysctls back as found', () => {
		const mdx = [
			'---\ntitle: T\ndescription: D\nlab: machine\n---\n',
			'```sh title="Forward"\nsysctl -w net.ipv4.ip_forward=1\necho "pid $(echo 42)"\n```\n',
			'```sh title="Clean up"\nsysctl -w net.ipv4.ip_forward=0\n```\n',
		].join('\n');
		const chapter = parseChapter(mdx, { file: 'content/chapters/99-t.mdx', lab: () => ({ hosts: ['pi'] }) });
		const file = join(dir, 'trace.sh');
		writeFileSync(file, scriptOf(chapter));
		stub('sysctl', `echo "$NETBOOK_TEST_HOST: sysctl $*" >> ${log}; [[ $1 != -n ]] || echo 1`);
		stub('iptables', 'echo "-P FORWARD ACCEPT"');
		writeFileSync(log, '');
		const r = spawnSync('bash', [file], { env: { ...process.env, NETBOOK_ENTER: join(dir, 'enter') }, encoding: 'utf8', input: '' });
		expect(r.status).toBe(0);
		expect(r.stderr).toContain('step 1 on pi: Forward\u001b[0m\nroot@pi:~# sysctl -w net.ipv4.ip_forward=1\n++ echo 42\nroot@pi:~# echo \'pid 42\'\n');
		expect(r.stdout).toBe('pid 42\n');
		expect(r.stderr).toContain('root@pi:~# sysctl_as_found net.ipv4.ip_forward\nroot@pi:~# sysctl -w net.ipv4.ip_forward=1\n');
		expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
			'pi: sysctl -n net.ipv4.ip_forward',
			'pi: sysctl -w net.ipv4.ip_forward=1',
			'pi: sysctl -w net.ipv4.ip_forward=1',
			'pi: sysctl -n net.ipv4.ip_forward',
		]);
	});

	it('lists its steps, and asks which machine it is on', () => {
		expect(execFileSync('bash', [script, '--list'], { encoding: 'utf8' })).toContain(' 3  bob      Bob joins the network');
		const r = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, NETBOOK_ENTER: '' } });
		expect(r.status).toBe(2);
		expect(r.stderr).toContain('which machine is this? run it with --host NAME, one of: alice bob');
	});
});

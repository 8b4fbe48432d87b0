import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBook } from '../../lib/runbook/load.ts';
import { programsOf } from '../../lib/runbook/programs.ts';
import { classifyLines } from './terminal.ts';
import { shellQuote, withSudo } from './sudo.ts';

describe('withSudo', () => {
	it.each([
		['ip link', 'sudo ip link'],
		['ip netns exec alice ping -c 1 192.168.25.2', 'sudo ip netns exec alice ping -c 1 192.168.25.2'],
		['ip link add a \\\n  type veth', 'sudo ip link add a \\\n  type veth'],
		['echo 1 > /proc/sys/net/ipv4/ip_forward', "sudo sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'"],
		["echo 'hello from c1' > /tmp/x", "sudo sh -c 'echo '\\''hello from c1'\\'' > /tmp/x'"],
		['ip -j addr | jq -r ".[0].ifname"', `sudo sh -c 'ip -j addr | jq -r ".[0].ifname"'`],
		['iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', 'sudo iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'],
		["jq '.cniVersion' conf.json", "sudo jq '.cniVersion' conf.json"],
		['CNI_COMMAND=VERSION /usr/lib/cni/bridge', "sudo sh -c 'CNI_COMMAND=VERSION /usr/lib/cni/bridge'"],
		['export CNI_PATH=/usr/lib/cni', 'export CNI_PATH=/usr/lib/cni'],
		['cd /tmp', 'cd /tmp'],
		['PID=$(cat /run/c1-web.pid)', 'PID=$(sudo cat /run/c1-web.pid)'],
		['n="$(ip netns pids a | wc -l)"', `n="$(sudo sh -c 'ip netns pids a | wc -l')"`],
		['for c in A B; do \\\n  iptables -t nat -F $c; done', "sudo sh -c 'for c in A B; do \\\n  iptables -t nat -F $c; done'"],
		['while ! ip link show x; do sleep 1; done', "sudo sh -c 'while ! ip link show x; do sleep 1; done'"],
		['if ip link show x; then ip link del x; fi', "sudo sh -c 'if ip link show x; then ip link del x; fi'"],
		['{ ip link; ip addr; } > /tmp/x', "sudo sh -c '{ ip link; ip addr; } > /tmp/x'"],
		['(ip link)', "sudo sh -c '(ip link)'"],
	])('%s', (command, expected) => {
		expect(withSudo(command)).toBe(expected);
	});
});

describe('withSudo on every command of the book', () => {
	it('runs every program as root: loops, pipes, substitutions and redirections included', () => {
		// Each program the book calls is a stub that logs whether it runs under the stub `sudo`; each
		// command's sudo variant runs in bash as nobody (in an empty network namespace when we are
		// root), so a redirection or a real program can change nothing.
		const commands = loadBook().flatMap((c) => c.blocks.flatMap((b) => b.commands.map((x) => x.text)));
		const dir = mkdtempSync(join(tmpdir(), 'netbook-sudo-'));
		try {
			chmodSync(dir, 0o777);
			const log = join(dir, 'log');
			writeFileSync(log, '');
			chmodSync(log, 0o666);
			const stub = (name: string, body: string) => {
				writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
				chmodSync(join(dir, name), 0o755);
			};
			const programs = new Set(commands.flatMap((c) => programsOf(c)).filter((p) => !p.includes('/') && p !== 'sudo' && p !== 'sh' && p !== 'bash'));
			for (const p of programs) stub(p, `echo "${p} \${NB_SUDO:-no}" >> ${log}`);
			stub('sudo', 'NB_SUDO=yes; export NB_SUDO; exec "$@"');
			symlinkSync('/bin/sh', join(dir, 'sh'));
			const variants = commands.map(withSudo);
			// one bash parses them all (a syntax error names its line), then runs each, as nobody
			const script = join(dir, 'all.sh');
			writeFileSync(script, variants.map((v) => `/usr/bin/timeout 5 /bin/bash -c ${shellQuote(v)} </dev/null >/dev/null 2>&1\n`).join(''));
			chmodSync(script, 0o644);
			expect(spawnSync('bash', ['-n', script], { encoding: 'utf8' }).stderr).toBe('');
			expect(spawnSync('bash', ['-n'], { input: variants.join('\n'), encoding: 'utf8' }).stderr).toBe('');
			const argv = process.getuid?.() === 0
				? ['/usr/bin/unshare', '--net', '/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', '/bin/bash', script]
				: ['/bin/bash', script];
			const r = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, env: { PATH: dir, HOME: dir }, timeout: 100_000 });
			expect(r.error).toBeUndefined();
			const calls = readFileSync(log, 'utf8').trim().split('\n');
			// Something ran for (about) every command that calls a stub: a program called by its path
			// (/usr/lib/cni/bridge, chapter 15's /opt/cni/bin/tsbridge) cannot be stubbed on PATH.
			const stubbed = commands.filter((c) => programsOf(c).some((p) => programs.has(p)));
			expect(stubbed.length).toBeGreaterThan(commands.length * 0.9);
			expect(calls.length).toBeGreaterThan(stubbed.length);
			expect(calls.filter((l) => !l.endsWith(' yes'))).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});

describe('classifyLines', () => {
	it('tells commands, continuations, comments and blanks apart', () => {
		expect(classifyLines(['# look', 'ip link add a \\', '  type veth', '', 'ip link', '  # indented comment'])).toEqual([
			{ kind: 'comment' },
			{ kind: 'start', command: 0 },
			{ kind: 'continuation', command: 0 },
			{ kind: 'blank' },
			{ kind: 'start', command: 1 },
			{ kind: 'comment' },
		]);
	});
});

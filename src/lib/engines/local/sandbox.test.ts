// Safety of the real-kernel engine. Mandatory: these tests need root on Linux and FAIL (never
// skip) without it, so CI cannot silently stop proving that the sandbox is safe.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChapter } from '../../runbook/load.ts';
import { EngineRefusedError } from '../engine.ts';
import { buildJob } from '../sandbox/job.ts';
import { SANDBOX_SCRIPT } from '../sandbox/script.ts';
import { createKernelEngine, sweepStaleRuns } from './local.ts';
import { loadLab } from '../../book/labs.ts';
import { ROOT } from '../../book/paths.ts';
import { chapterSource, descendants, fixtureBook, machineNetwork, namespacesInUse, namespacesOf, processes, type Proc } from './safety-helpers.ts';

const IS_ROOT_LINUX = process.platform === 'linux' && process.getuid?.() === 0;

/** Runs scripts/verify.ts in a child Node (no tsx wrapper, so a SIGKILL reaches the real process). */
/**
 * Runs a command as a non-root user that may still read every file: a clone under /root (mode
 * 0700, as on a fresh machine) stays readable, so the test sees the refusal, not "permission denied".
 */
const asUser = (uid: number): string[] => [
	'setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups',
	'--inh-caps=+dac_read_search', '--ambient-caps=+dac_read_search', '--',
];

function verifyCli(args: string[], options: { uid?: number } = {}) {
	const node = [process.execPath, '--import', 'tsx', join(ROOT, 'scripts/verify.ts'), ...args];
	const [cmd, ...rest] = options.uid === undefined ? node : [...asUser(options.uid), ...node];
	return spawn(cmd as string, rest, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
}

async function finished(child: ReturnType<typeof verifyCli>): Promise<{ code: number | null; stdout: string; stderr: string }> {
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
	const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
	return { code, stdout, stderr };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const book = {
	// Everything here would damage the real machine if it escaped the sandbox. These chapters have
	// no cleanup on purpose, so the tests run them with --no-scripts (a script would fail its rerun).
	'01-everything': chapterSource('machine', [
		{ commands: ['ip addr', 'ping -c 2 -i 0.2 8.8.8.8', 'ip netns add red', 'ip link add veth0 type veth peer name veth1 netns red', 'ip addr add 10.9.0.1/24 dev veth0', 'ip link set veth0 up'] },
		{ meta: 'diagram', commands: ['ip -n red addr add 10.9.0.2/24 dev veth1', 'ip -n red link set veth1 up', 'ip -n red link set lo up', 'ip -n red route add default via 10.9.0.1', 'ping -c 1 10.9.0.2'] },
		{ commands: ['sysctl -w net.ipv4.ip_forward=1', 'sysctl -w net.ipv4.conf.all.rp_filter=2', 'iptables -t nat -A POSTROUTING -s 10.9.0.0/24 -j MASQUERADE', 'iptables -P FORWARD ACCEPT', 'ip netns exec red ping -c 1 8.8.8.8'] },
		{ commands: ['ip link add br0 type bridge', 'ip link set br0 up', 'ip route add 10.99.0.0/16 dev br0', 'ip rule add to 10.98.0.0/16 table 100', 'nft add table inet lab'] },
		{ commands: ['mkdir -p /etc/cni/net.d /var/lib/cni/networks/lab', 'echo "{}" > /etc/cni/net.d/99-lab-test.conf', 'echo hi > /root/netbook-lab-test', 'hostname'] },
		{ meta: 'fails', commands: ['echo 1 > /proc/sys/kernel/sysrq'] },
	]),
	'02-slow': chapterSource('two-hosts', [{ meta: 'host=alice', commands: ['ip addr add 192.168.1.1/24 dev eth0', 'ip netns add red', 'sleep 30', 'echo never'] }]),
	'03-hang': chapterSource('two-hosts', [{ meta: 'host=bob', commands: ['echo before', 'sleep 100', 'echo after'] }]),
};

let root = '';
beforeAll(() => {
	if (!IS_ROOT_LINUX)
		throw new Error(
			'the sandbox safety tests need root on Linux (they prove verify never touches the real machine): run `npm test` as root, as CI does. They are never skipped.',
		);
	root = fixtureBook(book);
});
afterAll(() => {
	if (root) rmSync(root, { recursive: true, force: true });
});

describe('refusals', () => {
	it('refuses with one line when not root', async () => {
		const { code, stdout, stderr } = await finished(verifyCli(['--root', root, '--chapter', '01'], { uid: 65534 }));
		expect(stdout).toBe('');
		expect(stderr).toMatch(/^verify: the kernel engine needs root on Linux \(running as uid 65534\)[^\n]*\n$/);
		expect(code).toBe(2);
	});

	it('the sandbox script itself refuses when not root', () => {
		const r = spawnSync('setpriv', [...asUser(65534).slice(1), 'bash', SANDBOX_SCRIPT, '/nonexistent', '/nonexistent', '1', '2'], { encoding: 'utf8' });
		expect(r.status).toBe(3);
		expect(r.stderr).toBe('sandbox: refused: the lab sandbox needs root (uid 0) on Linux\n');
	});

	it('refuses when started outside any sandbox, before changing anything', () => {
		const before = machineNetwork();
		const dir = mkdtempSync(join(tmpdir(), 'netbook-unsealed-'));
		const chapter = loadChapter(join(root, 'content/chapters/01-everything.mdx'), root);
		writeFileSync(join(dir, 'job.json'), JSON.stringify(buildJob(chapter, loadLab('machine', root), 5)));
		const ino = (k: string): string => String(statSync(`/proc/self/ns/${k}`).ino);
		const r = spawnSync('bash', [SANDBOX_SCRIPT, join(dir, 'job.json'), dir, ino('net'), ino('mnt')], { encoding: 'utf8' });
		rmSync(dir, { recursive: true, force: true });
		expect(r.status).toBe(3);
		expect(r.stderr).toMatch(/^sandbox: refused: not sealed: [^\n]+\n$/);
		expect(machineNetwork()).toEqual(before);
	});

	it.each([
		['no network namespace', ['--mount', '--uts', '--ipc', '--pid', '--fork', '--mount-proc'], /the network namespace is the caller's/],
		['no PID namespace', ['--net', '--mount', '--uts', '--ipc'], /not PID 1 of a fresh PID namespace/],
		['no mount namespace', ['--net', '--uts', '--ipc', '--pid', '--fork'], /not sealed/],
	])('refuses with one line when the sandbox is not sealed (%s)', async (_, sealFlags, message) => {
		const before = machineNetwork();
		const chapter = loadChapter(join(root, 'content/chapters/01-everything.mdx'), root);
		const run = createKernelEngine({ sealFlags }).run(chapter, loadLab('machine', root), { timeoutSec: 5 });
		await expect(run).rejects.toThrow(EngineRefusedError);
		await expect(run).rejects.toThrow(message);
		await run.catch((e: Error) => expect(e.message).not.toContain('\n'));
		expect(machineNetwork()).toEqual(before);
	});
});

describe('the real machine', () => {
	it('is identical before and after a verify run that changes everything it can', async () => {
		const before = machineNetwork();
		const { code, stdout, stderr } = await finished(verifyCli(['--root', root, '--chapter', '01', '--update', '--no-scripts']));
		expect(stderr).toBe('');
		expect(stdout).toMatch(/✓ 01-everything \(26 commands/);
		expect(code).toBe(0);
		expect(machineNetwork()).toEqual(before);
		expect(existsSync('/etc/cni/net.d/99-lab-test.conf')).toBe(false);
		expect(existsSync('/root/netbook-lab-test')).toBe(false);
	}, 60_000);

	it('keeps nothing after a run killed with SIGKILL halfway', async () => {
		const before = machineNetwork();
		const child = verifyCli(['--root', root, '--chapter', '02']);
		const done = finished(child);
		const pid = child.pid ?? 0;
		// Wait until the chapter is inside `sleep 30`: the lab exists, with a lesson namespace.
		let tree: Proc[] = [];
		for (let i = 0; i < 150 && !tree.some((p) => p.comm === 'sleep'); i++) {
			await sleep(100);
			tree = descendants(pid);
		}
		expect(tree.some((p) => p.comm === 'sleep')).toBe(true);
		const sandboxNamespaces = new Set(tree.flatMap((p) => namespacesOf(p.pid)));
		const own = new Set(namespacesOf(process.pid));
		for (const ns of own) sandboxNamespaces.delete(ns);
		expect(sandboxNamespaces.size).toBeGreaterThan(10);
		const killedAt = Date.now();
		process.kill(pid, 'SIGKILL');
		await done;
		// The kernel tears the sandbox down asynchronously: give it a moment.
		const alive = (): Proc[] => {
			const now = new Map(processes().map((p) => [`${p.pid}/${p.start}`, p]));
			return tree.filter((p) => now.has(`${p.pid}/${p.start}`));
		};
		for (let i = 0; i < 50 && alive().length > 0; i++) await sleep(100);
		expect(alive()).toEqual([]);
		const inUse = namespacesInUse();
		const leftovers = [...sandboxNamespaces].filter((ns) => (inUse.get(ns) ?? []).length > 0);
		expect(leftovers).toEqual([]);
		expect(machineNetwork()).toEqual(before);
		expect(Date.now() - killedAt).toBeLessThan(5_000);
		// Only the killed run's temp folder (job + raw outputs) stays in /tmp; the next run sweeps it.
		expect(sweepStaleRuns().filter((d) => d.includes(`netbook-run-${pid}-02-slow-`))).toHaveLength(1);
	}, 60_000);
});

describe('timeouts', () => {
	it('stops a command that hangs and reports it with chapter, line and host', async () => {
		const started = Date.now();
		const { code, stdout } = await finished(verifyCli(['--root', root, '--chapter', '03', '--update', '--timeout', '2', '--no-scripts']));
		expect(code).toBe(1);
		expect(stdout).toContain('✗ content/chapters/03-hang.mdx:11 [bob] $ sleep 100\n  timed out after 2 s and was stopped');
		expect(stdout).toMatch(/1 failure/);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(descendants(process.pid).filter((p) => p.comm === 'sleep')).toEqual([]);
	}, 30_000);
});

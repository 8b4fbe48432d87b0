// The SSH target against a real sshd on 127.0.0.1 (started by the test, keys made for the run).
// The remote is this machine, so the test also proves what the target promises a reader's Pi:
// the sandbox seals itself there and the machine's own network is the same before and after.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab } from '../../book/labs.ts';
import { loadChapter } from '../../runbook/load.ts';
import { EngineRefusedError } from '../engine.ts';
import { chapterSource, fixtureBook, machineNetwork } from '../local/safety-helpers.ts';
import { createSshEngine, missingLine, remoteRunScript } from './ssh.ts';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd.ts';
import { parseSshTarget } from './target.ts';

describe('ssh targets', () => {
	it('read ssh://[user@]host[:port], and say how to write one otherwise', () => {
		expect(parseSshTarget('ssh://pi@raspberrypi.local')).toEqual({ user: 'pi', host: 'raspberrypi.local', label: 'ssh://pi@raspberrypi.local' });
		expect(parseSshTarget('ssh://10.0.0.7:2222')).toEqual({ host: '10.0.0.7', port: 2222, label: 'ssh://10.0.0.7:2222' });
		expect(parseSshTarget('ssh://root@[fe80::1]:22')).toEqual({ user: 'root', host: 'fe80::1', port: 22, label: 'ssh://root@[fe80::1]:22' });
		expect(() => parseSshTarget('pi@raspberrypi.local')).toThrow('--target pi@raspberrypi.local: write an SSH target as ssh://[user@]host[:port], e.g. ssh://pi@raspberrypi.local');
		expect(() => parseSshTarget('ssh://pi@host:70000')).toThrow('the port must be between 1 and 65535');
	});

	it('name what the remote lacks with the apt-get line that installs it', () => {
		expect(missingLine(parseSshTarget('ssh://pi@raspberrypi.local'), ['jq', 'conntrack', 'frobnicate'])).toBe(
			'ssh://pi@raspberrypi.local lacks jq, conntrack, frobnicate: on it, run: sudo apt-get install -y conntrack jq (no Debian package is known for frobnicate)',
		);
	});

	it('run the sandbox sealed there, as root or through sudo -n', () => {
		const script = remoteRunScript();
		expect(script).toContain('[ "$(id -u)" = 0 ] || sudo="sudo -n"');
		expect(script).toContain('$sudo setpriv --pdeathsig KILL -- unshare --kill-child=KILL --net --mount --uts --ipc --pid --fork --mount-proc --propagation private bash "$d/sandbox.sh"');
	});
});

describe('a chapter over SSH (sshd on 127.0.0.1)', () => {
	let sshd: LoopbackSshd;
	let root: string;
	beforeAll(async () => {
		sshd = await startLoopbackSshd();
		root = fixtureBook({
			'01-remote': chapterSource('machine', [
				{ commands: ['hostname', 'ip netns add red', 'ip link add veth-a type veth peer name veth-b', 'ip -br link show veth-a'] },
				{ commands: ['ip netns list', 'ip netns del red', 'ip link del veth-a'] },
			]),
			'02-missing': chapterSource('machine', [{ commands: ['frobnicate --now'] }]),
		});
	}, 120_000);
	afterAll(async () => {
		await sshd?.stop();
	});

	const engine = () => createSshEngine(sshd.target, { sshOptions: sshd.sshOptions });

	it('runs every command in the sandbox there, and leaves the machine’s network as it was', async () => {
		const before = machineNetwork();
		const chapter = loadChapter(join(root, 'content/chapters/01-remote.mdx'), root);
		let progress = 0;
		const result = await engine().run(chapter, loadLab('machine', root), { timeoutSec: 10, onProgress: () => progress++ });
		expect(result.engine).toBe(`ssh://root@127.0.0.1:${sshd.port}`);
		expect(result.blocks.flatMap((b) => b.steps.map((s) => [s.cmd, s.stdout, s.stderr, s.exit]))).toEqual([
			['hostname', 'pi\n', '', 0],
			['ip netns add red', '', '', 0],
			['ip link add veth-a type veth peer name veth-b', '', '', 0],
			['ip -br link show veth-a', result.blocks[0]!.steps[3]!.stdout, '', 0],
			['ip netns list', 'red\n', '', 0],
			['ip netns del red', '', '', 0],
			['ip link del veth-a', '', '', 0],
		]);
		expect(result.blocks[0]!.steps[3]!.stdout).toMatch(/^veth-a@veth-b +DOWN +([0-9a-f]{2}:){5}[0-9a-f]{2} <BROADCAST,MULTICAST,M-DOWN> \n$/);
		expect(result.recorded.kernel).toBe(result.recorded.kernel.trim());
		expect(progress).toBe(7);
		expect(machineNetwork()).toEqual(before);
	}, 120_000);

	it('refuses with one line naming what the remote lacks before anything runs', async () => {
		const chapter = loadChapter(join(root, 'content/chapters/02-missing.mdx'), root);
		const run = engine().run(chapter, loadLab('machine', root), { timeoutSec: 10 });
		await expect(run).rejects.toThrow(EngineRefusedError);
		await expect(run).rejects.toThrow(`ssh://root@127.0.0.1:${sshd.port} lacks frobnicate (no Debian package is known for it)`);
	}, 60_000);

	it('refuses with one line when it cannot log in', async () => {
		const chapter = loadChapter(join(root, 'content/chapters/01-remote.mdx'), root);
		const stranger = createSshEngine(parseSshTarget(`ssh://nobody@127.0.0.1:${sshd.port}`), { sshOptions: ['-F', sshd.config] });
		const run = stranger.run(chapter, loadLab('machine', root), { timeoutSec: 10 });
		await expect(run).rejects.toThrow(EngineRefusedError);
		await expect(run).rejects.toThrow(/^cannot run commands on ssh:\/\/nobody@127\.0\.0\.1:\d+ over ssh \(exit 255\): .*; check that "ssh nobody@127\.0\.0\.1" logs in without a password$/);
	}, 60_000);
});

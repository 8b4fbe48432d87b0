// The VM targets for real: builds the image (or reuses the cache), boots it under QEMU and runs a
// short chapter on the `machine` lab through createVmEngine, as verify does. Slow (a VM boot
// under TCG), never skipped: CI installs QEMU through the preflight (src/lib/book/packages.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../src/lib/book/labs.ts';
import { parseChapter } from '../src/lib/runbook/parse.ts';
import { requirementsOf } from '../src/lib/setup/requirements.ts';
import type { ChapterResult } from '../src/lib/engines/engine.ts';
import { createVmEngine, vmImage, type VmArch } from '../src/lib/engines/vm/vm.ts';

const lab = loadLab('machine');
const chapter = parseChapter(
	[
		'---',
		'title: T',
		'description: D',
		'lab: machine',
		'---',
		'',
		'```sh',
		'ip link',
		'ip -br addr show eth0',
		'ip route',
		'```',
		'',
		'```sh',
		'ping -c 1 -W 5 192.168.0.1 | head -n 2',
		'sysctl net.bridge.bridge-nf-call-iptables',
		'ip link add veth-a type veth peer name veth-b',
		'ip -br link show type veth',
		'uname -m',
		'x=42',
		'echo "x=$x"; ls -d /dev/fd/',
		'```',
		'',
	].join('\n'),
	{ file: 'content/chapters/01-vm.mdx', lab: () => ({ hosts: ['pi'] }) },
);

/** stdout of every command, by command. */
const outputs = (r: ChapterResult): Record<string, string> =>
	Object.fromEntries(r.blocks.flatMap((b) => b.steps.map((s) => [s.cmd, `${s.stdout}${s.stderr}(exit ${s.exit})`])));

const PI_LINK = [
	'1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
	'    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
	'2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000',
	'    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff',
	'(exit 0)',
].join('\n');

async function bootAndRun(arch: VmArch, machine: string) {
	const image = await vmImage(arch);
	// Every program the chapters and sandbox.sh call is in the image.
	const programs = new Set(readFileSync(join(image, 'programs.txt'), 'utf8').split('\n'));
	const absent = requirementsOf('lab')
		.map((r) => r.program)
		.filter((p) => (p.startsWith('/') ? !programs.has(p) : !programs.has(`/usr/bin/${p}`) && !programs.has(`/usr/sbin/${p}`)));
	expect(absent).toEqual([]);
	expect(programs.size).toBeGreaterThan(100);

	const progress: number[] = [];
	const logs: string[] = [];
	const engine = createVmEngine(arch, { onLog: (line) => logs.push(line) });
	const result = await engine.run(chapter, lab, { timeoutSec: 30, onProgress: (done) => progress.push(done) });
	expect(result.engine).toBe(`vm:${arch}`);
	expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	expect(result.recorded).toMatchObject({ arch: machine, os: 'Debian GNU/Linux 13 (trixie)' });
	expect(result.recorded.kernel).toMatch(/^6\.12\.\d+\+deb13-(arm64|amd64)$/);
	const out = outputs(result);
	// The pi's eth0 is a NIC of the VM, as on a Pi: no @ifN, no link-netnsid; its queue is fq_codel.
	expect(out['ip link']).toBe(PI_LINK);
	expect(out['ip -br addr show eth0']).toMatch(/^eth0 +UP +192\.168\.0\.10\/24 fe80::ff:fe00:1\/64 \n\(exit 0\)$/);
	expect(out['ip route']).toBe('default via 192.168.0.1 dev eth0 \n192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.10 \n(exit 0)');
	// Packets cross the QEMU hub to the upstream router and back.
	expect(out['ping -c 1 -W 5 192.168.0.1 | head -n 2']).toMatch(
		/^PING 192\.168\.0\.1 \(192\.168\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from 192\.168\.0\.1: icmp_seq=1 ttl=64 time=[\d.]+ ms\n\(exit 0\)$/,
	);
	// br_netfilter is loaded, as it is built into the lab kernel.
	expect(out['sysctl net.bridge.bridge-nf-call-iptables']).toBe('net.bridge.bridge-nf-call-iptables = 1\n(exit 0)');
	expect(out['ip -br link show type veth']).toMatch(
		/^veth-b@veth-a +DOWN +[0-9a-f:]{17} <BROADCAST,MULTICAST,M-DOWN> \nveth-a@veth-b +DOWN +[0-9a-f:]{17} <BROADCAST,MULTICAST,M-DOWN> \n\(exit 0\)$/,
	);
	expect(out['uname -m']).toBe(`${machine}\n(exit 0)`);
	// Shell state carries from one command to the next, as in a terminal (sandbox.sh keeps it through /dev/fd).
	expect(out['echo "x=$x"; ls -d /dev/fd/']).toBe('x=42\n/dev/fd/\n(exit 0)');

	// The next chapter runs in the same VM (booted once), in a fresh sandbox: the NICs came back
	// from the first sandbox's namespaces and were handed over again; nothing of the first lab is left.
	const again = outputs(await engine.run(chapter, lab, { timeoutSec: 30 }));
	expect(logs.filter((l) => l.startsWith('vm: booting'))).toHaveLength(1);
	for (const command of ['ip link', 'ip route', 'uname -m', 'echo "x=$x"; ls -d /dev/fd/']) expect(again[command]).toBe(out[command]);
	const veths = (text: string | undefined) => text?.replace(/[0-9a-f]{2}(:[0-9a-f]{2}){5}/g, '<mac>'); // a veth's MAC is random
	expect(veths(again['ip -br link show type veth'])).toBe(veths(out['ip -br link show type veth']));
}

describe('a VM target boots and runs a chapter', () => {
	it('on arm64 (the Pi\'s architecture)', () => bootAndRun('arm64', 'aarch64'), 300_000);
	it('on x86_64', () => bootAndRun('x86_64', 'x86_64'), 300_000);
});

// The targets part as text, from figures whose differences come from the book's real snapshot of
// chapter 1 with the differences Debian 13's iproute2 and a VM's NIC make (docs/targets.md).
import { describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../book/paths.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { formatTargets, shortPair } from './report-targets.ts';
import { compareSnapshots } from './target-diff.ts';
import type { TargetsFigures } from './targets.ts';

const CHAPTER = '01-two-machines-and-a-switch';
const local = loadSnapshot(snapshotPath(ROOT, CHAPTER))!;

/** Chapter 1 as Debian 13 in a VM would print it: address protocols shown, eth0 a NIC with fq_codel. */
function vmSnapshot(): Snapshot {
	const vm = JSON.parse(JSON.stringify(local)) as Snapshot;
	for (const block of vm.blocks)
		for (const step of block.steps) step.stdout = step.stdout.replace(/scope host \n/g, 'scope host proto kernel_lo \n').replace(/scope link \n/g, 'scope link proto kernel_ll \n');
	const eth0 = vm.blocks.at(-1)!.state!['alice']!['']!.link[1] as Record<string, unknown>;
	eth0['qdisc'] = 'fq_codel';
	return vm;
}

const figures = (): TargetsFigures => ({
	targets: ['local', 'vm:arm64', 'vm:x86_64', 'ssh'],
	books: [
		{ target: 'local', engine: 'kernel', wallMs: 104_213, commands: 645, commandsPerSecond: 6.19, overLocal: 1, failures: 0, errors: 0, snapshots: 'bench/targets/local',
			chapters: [{ chapter: CHAPTER, commands: 24, ms: 9_912, problems: 0 }, { chapter: '02-two-networks-and-a-router', commands: 48, ms: 15_801, problems: 0 }] },
		{ target: 'vm:arm64', engine: 'vm:arm64', wallMs: 1_903_000, commands: 645, commandsPerSecond: 0.34, overLocal: 18.26, failures: 1, errors: 0, snapshots: 'bench/targets/vm-arm64',
			chapters: [{ chapter: CHAPTER, commands: 24, ms: 164_020, problems: 0 }, { chapter: '02-two-networks-and-a-router', commands: 48, ms: 429_000, problems: 1 }] },
		{ target: 'vm:x86_64', engine: 'vm:x86_64', wallMs: 0, commands: 0, commandsPerSecond: 0, failures: 0, errors: 1, chapters: [], snapshots: '', error: 'the vm:x86_64 target needs qemu-system-x86_64 (Debian: apt-get install qemu-system-x86)' },
	],
	images: [{ arch: 'arm64', coldMs: 41_234, downloaded: { count: 0, of: 123 }, stages: [], cachedMs: 312, vmlinuzBytes: 37_749_248, initrdBytes: 56_623_104, packages: 123, kernelRelease: '6.12.118+deb13-arm64', folder: '/root/.cache/netbook/vm/trixie-arm64-30edb187d1d3' },
		{ arch: 'x86_64', error: 'image.sh x86_64 --rebuild failed (exit 1): vm-image: apt-get update failed: E: …' }],
	boot: [{ arch: 'arm64', readyMs: 14_020, firstCommandMs: 39_870, totalMs: 44_100 }],
	differences: [{ target: 'vm:arm64', local: 'this run', blocks: 36, differing: 3, chapters: [compareSnapshots(local, vmSnapshot()), { chapter: '02-two-networks-and-a-router', blocks: 23, differing: 0, differences: [] }] }],
	ssh: { engine: 'ssh://root@127.0.0.1:40022', network: 'unchanged' },
});

describe('formatTargets', () => {
	it('prints the targets side by side, the images, the boots, the differing blocks and the SSH check', () => {
		expect(formatTargets(figures()).split('\n')).toEqual([
			'Verify targets: the whole book per target (verify --update into a scratch copy of the book, 2 chapters at a time, chapter scripts included)',
			'target       engine  wall s  commands  commands/s  × local  failures  errors',
			'---------  --------  ------  --------  ----------  -------  --------  ------',
			'local        kernel   104.2       645        6.19     1.00         0       0',
			'vm:arm64   vm:arm64  1903.0       645        0.34    18.26         1       0',
			'vm:x86_64   not run       -         -           -        -         -       -',
			'vm:x86_64 not run: the vm:x86_64 target needs qemu-system-x86_64 (Debian: apt-get install qemu-system-x86)',
			'snapshots left in bench/targets/local, bench/targets/vm-arm64: review them, then copy a VM target\'s into content/snapshots/<target>/',
			'',
			'chapter (s)                   commands  local  vm:arm64',
			'----------------------------  --------  -----  --------',
			'01-two-machines-and-a-switch        24    9.9     164.0',
			'02-two-networks-and-a-router        48   15.8   429.0 ✗',
			'✗: the chapter had failures or errors (the log above names them)',
			'',
			'VM image     cold s  downloaded  cached s  vmlinuz MB  initrd MB  packages                kernel',
			'--------  ---------  ----------  --------  ----------  ---------  --------  --------------------',
			'arm64          41.2    0 of 123       0.3        37.7       56.6       123  6.12.118+deb13-arm64',
			'x86_64    not built           -         -           -          -         -                     -',
			'x86_64 not built: image.sh x86_64 --rebuild failed (exit 1): vm-image: apt-get update failed: E: …',
			'cold: image.sh --rebuild (apt index, resolve, unpack, modules, pack), the packages already in its download cache (downloaded: what it fetched all the same); cached: image.sh again, nothing changed',
			'',
			'VM boot  to ready s  to first command s  one-command chapter s',
			'-------  ----------  ------------------  ---------------------',
			'arm64          14.0                39.9                   44.1',
			'a fresh VM running `hostname` on the machine lab; ready: the guest\'s init takes jobs; first command: the sandbox sealed, the lab built, the command run',
			'',
			'Blocks whose outputs differ from local\'s, after normalisation (against local\'s snapshots from this run):',
			'blocks that differ            vm:arm64',
			'----------------------------  --------',
			`01-two-machines-and-a-switch   3 of ${local.blocks.length}`,
			'02-two-networks-and-a-router   0 of 23',
			'whole book                     3 of 36',
			'',
			'vm:arm64: the first differing line of each block (- local, + vm:arm64):',
			`  01-two-machines-and-a-switch:${local.blocks[2]!.line} [alice] $ ip addr show (stdout)`,
			'      -     inet6 ::1/128 scope host·',
			'      +     inet6 ::1/128 scope host proto kernel_lo·',
			`  01-two-machines-and-a-switch:${local.blocks[4]!.line} [alice] $ ip addr show dev eth0 (stdout)`,
			'      -     inet6 fe80::<mac1>/64 scope link·',
			'      +     inet6 fe80::<mac1>/64 scope link proto kernel_ll·',
			`  01-two-machines-and-a-switch:${local.blocks.at(-1)!.line} [bob] (state after the block, alice (host) link)`,
			'      - …"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","t…',
			'      + …"qdisc":"fq_codel","operstate":"UP","linkmode":"DEFAULT","group":"default","…',
			'',
			'SSH target ssh://root@127.0.0.1:40022 (this machine, loopback sshd): the machine\'s network (ip -j link, addr, route) after the book, against before: unchanged',
		]);
	});
});

describe('shortPair', () => {
	it('keeps short lines whole and shows trailing spaces', () => {
		expect(shortPair('    inet6 ::1/128 scope host ', '    inet6 ::1/128 scope host proto kernel_lo ')).toEqual({ local: '    inet6 ::1/128 scope host·', target: '    inet6 ::1/128 scope host proto kernel_lo·' });
	});

	it('cuts a long shared head at the comma before the difference, and a long tail', () => {
		const head = `{"ifindex":2,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,`;
		expect(shortPair(`${head}"qdisc":"noqueue","operstate":"UP"}`, `${head}"qdisc":"fq_codel","operstate":"UP"}`, 30)).toEqual({
			local: '…"qdisc":"noqueue","operstate…',
			target: '…"qdisc":"fq_codel","operstat…',
		});
		expect(shortPair(undefined, 'only here')).toEqual({ target: 'only here' });
	});
});

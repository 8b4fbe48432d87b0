// The book's TypeScript CNI plugin (examples/cni-plugin) on the real kernel, inside the sealed lab
// sandbox, run as chapter 9 runs the reference `bridge` plugin: the same calls go to both plugins,
// each on a fresh `machine` lab, and their outputs and the kernel's state are compared after
// normalisation (MACs, veth names). Mandatory like the sandbox's own tests: they need root on
// Linux and fail, never skip, without it. The plugin runs as the labs run it: bundled into one
// file, by Debian's Node.js.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from '../../examples/cni-plugin/build.ts';
import { createNormaliseContext, normaliseOutput } from '../../src/lib/snapshot/normalise.ts';
import { onPi, type PiRun, type Step } from './on-pi.ts';
import { BLOCK, REFERENCE_PLUGIN, scenario, TS_PLUGIN } from './scenario.ts';

let ours: PiRun;
let reference: PiRun;

beforeAll(async () => {
	if (process.platform !== 'linux' || process.getuid?.() !== 0)
		throw new Error('the CNI plugin\'s kernel tests need root on Linux (they run in the sealed lab sandbox): run `npm test` as root. They are never skipped.');
	const dir = mkdtempSync(join(tmpdir(), 'cni-plugin-'));
	try {
		await buildPlugin(join(dir, 'tsbridge'));
		const bundle = readFileSync(join(dir, 'tsbridge')).toString('base64');
		[ours, reference] = await Promise.all([onPi('cni-plugin-ts', scenario(TS_PLUGIN, bundle)), onPi('cni-plugin-reference', scenario(REFERENCE_PLUGIN, bundle))]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}, 120_000);

/**
 * A run's steps with MACs and veth names numbered in order of appearance, as verify compares runs
 * (times left out). Each block is numbered afresh: a MAC that one plugin leaves behind and the
 * other does not (a failed ADD's veth) must not shift the numbers of the blocks after it.
 */
function normalised(run: PiRun): Omit<Step, 'ms'>[][] {
	return run.blocks.map((steps) => {
		const context = createNormaliseContext();
		return steps.map((s) => ({ cmd: s.cmd, stdout: normaliseOutput(s.stdout, context), stderr: normaliseOutput(s.stderr, context), exit: s.exit }));
	});
}

/** The step of a block whose command starts with `prefix` (the n-th such step). */
function step(blocks: Step[][], block: number, prefix: string, n = 0): Step {
	const found = blocks[block]?.filter((s) => s.cmd.startsWith(prefix))[n];
	if (!found) throw new Error(`no step "${prefix}" (#${n}) in block ${block}`);
	return found;
}

const codeOf = (s: Step): number => (JSON.parse(s.stdout) as { code: number }).code;
const lines = (text: string): string[] => text.split('\n').filter(Boolean);
/** `ls` of an address folder as the TypeScript plugin leaves it: host-local's, less its `lock` file. */
const withoutLock = (s: Step): string => lines(s.stdout).filter((f) => f !== 'lock').join('\n');
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

describe('the sandbox ran everything', () => {
	it('every step of both runs, with nothing on stderr but where a plugin was meant to fail', () => {
		for (const run of [ours, reference]) {
			expect(run.blocks.map((b) => b.length)).toEqual(scenario(TS_PLUGIN, '').map((b) => b.commands.length));
			expect(run.blocks.flat().filter((s) => s.stderr !== '').map((s) => s.cmd)).toEqual([]);
		}
	});
});

describe('ADD', () => {
	it('prints a CNI 1.0.0 result: the bridge, the host\'s veth, the container\'s eth0, its address and route', () => {
		const add = step(ours.blocks, BLOCK.add, 'CNI_COMMAND=ADD');
		expect([add.exit, add.stdout]).toEqual([0, '']);
		const result = JSON.parse(step(ours.blocks, BLOCK.add, 'cat').stdout) as { interfaces: { mac: string }[] };
		expect(result).toEqual({
			cniVersion: '1.0.0',
			interfaces: [
				{ name: 'cni0', mac: expect.stringMatching(MAC) },
				{ name: expect.stringMatching(/^veth[0-9a-f]{8}$/), mac: expect.stringMatching(MAC) },
				{ name: 'eth0', mac: expect.stringMatching(MAC), sandbox: '/run/netns/pod1' },
			],
			ips: [{ interface: 2, address: '10.22.0.2/16', gateway: '10.22.0.1' }],
			routes: [{ dst: '0.0.0.0/0' }],
			dns: {},
		});
		expect(new Set(result.interfaces.map((i) => i.mac)).size).toBe(3);
	});

	it('prints the reference plugin\'s result, byte for byte once MACs and veth names are numbered', () => {
		const text = (run: PiRun) => normalised(run)[BLOCK.add]!.find((s) => s.cmd === 'cat /tmp/pod1.json')!.stdout;
		expect(text(ours)).toBe(text(reference));
		expect(text(ours)).toContain('"mac": "<mac3>"');
	});

	it('leaves the kernel as the reference plugin does: every namespace\'s links, addresses, routes, neighbours', () => {
		const state = (run: PiRun) => normaliseOutput(JSON.stringify(run.states.get(BLOCK.add), null, 1), createNormaliseContext());
		expect(Object.keys(ours.states.get(BLOCK.add)?.['pi'] ?? {})).toEqual(['', 'pod1', 'pod2', 'pod3', 'pod4']);
		expect(state(ours)).toBe(state(reference));
	});

	it('builds what the reference plugin builds, as chapter 9 reads it: addresses, routes, ports, forwarding, NAT, address files', () => {
		const [a, b] = [normalised(ours)[BLOCK.inspect]!, normalised(reference)[BLOCK.inspect]!];
		expect(a.map((s) => s.exit)).toEqual(a.map(() => 0));
		expect(a.filter((s) => !s.cmd.startsWith('ls '))).toEqual(b.filter((s) => !s.cmd.startsWith('ls ')));
		// host-local's `lock` is the one difference (ipam.ts: O_EXCL reservations need no lock).
		expect(step(ours.blocks, BLOCK.inspect, 'ls ').stdout).toBe('10.22.0.2\nlast_reserved_ip.0\n');
		expect(withoutLock(step(reference.blocks, BLOCK.inspect, 'ls '))).toBe('10.22.0.2\nlast_reserved_ip.0');
		expect(step(ours.blocks, BLOCK.inspect, 'iptables').stdout).toContain('-N CNI-9529d4a22b8902790e23f99c\n');
	});

	it('gives the next container the next address, and refuses a second ADD of the same container without changing anything', () => {
		const second = step(ours.blocks, BLOCK.second, 'CNI_COMMAND=ADD CNI_CONTAINERID=pod2');
		expect((JSON.parse(second.stdout) as { ips: unknown }).ips).toEqual([{ interface: 2, address: '10.22.0.3/16', gateway: '10.22.0.1' }]);
		const again = step(ours.blocks, BLOCK.second, 'CNI_COMMAND=ADD CNI_CONTAINERID=pod1');
		expect([again.exit, JSON.parse(again.stdout)]).toEqual([
			1,
			{ cniVersion: '1.0.0', code: 103, msg: 'eth0 already exists in /run/netns/pod1', details: 'a runtime sends DEL before it repeats an ADD' },
		]);
		expect([codeOf(step(reference.blocks, BLOCK.second, 'CNI_COMMAND=ADD CNI_CONTAINERID=pod1')), step(reference.blocks, BLOCK.second, 'CNI_COMMAND=ADD CNI_CONTAINERID=pod1').exit]).toEqual([999, 1]);
		expect(step(ours.blocks, BLOCK.second, 'ls ').stdout).toBe(withoutLock(step(reference.blocks, BLOCK.second, 'ls ')) + '\n');
	});
});

describe('CHECK', () => {
	it('passes after ADD, fails once the default route is gone, passes once it is back; it needs prevResult', () => {
		const checks = (run: PiRun) => run.blocks[BLOCK.check]!.filter((s) => s.cmd.startsWith('CNI_COMMAND=CHECK'));
		expect(checks(ours).map((s) => s.exit)).toEqual([0, 1, 1, 0]);
		expect(checks(reference).map((s) => s.exit)).toEqual([0, 1, 1, 0]);
		expect(checks(ours).map((s) => (s.exit ? JSON.parse(s.stdout) : s.stdout))).toEqual([
			'',
			{ cniVersion: '1.0.0', code: 7, msg: 'CHECK needs prevResult', details: 'add the result of the ADD to the configuration as "prevResult"' },
			{ cniVersion: '1.0.0', code: 102, msg: 'the route to 0.0.0.0/0 via 10.22.0.1 is missing', details: 'compared with prevResult for pod1 in /run/netns/pod1' },
			'',
		]);
	});
});

describe('errors', () => {
	it('prints the spec\'s error JSON with its codes and exits 1, where the reference prints the same codes or its catch-all 999', () => {
		const errors = (run: PiRun) => run.blocks[BLOCK.errors]!.filter((s) => s.cmd.includes('$P') && !s.cmd.includes('VERSION'));
		expect(errors(ours).map((s) => s.exit)).toEqual([1, 1, 1, 1, 1, 1]);
		// broken JSON, no CNI_NETNS, cniVersion 9.9.9, no such namespace, a container ID with a slash, address files that cannot be written
		expect(errors(ours).map(codeOf)).toEqual([6, 4, 1, 3, 4, 5]);
		expect(errors(reference).map(codeOf)).toEqual([6, 4, 1, 999, 4, 999]);
		expect(JSON.parse(errors(ours)[3]!.stdout)).toEqual({
			cniVersion: '1.0.0',
			code: 3,
			msg: 'cannot enter the network namespace /run/netns/nosuch',
			details: 'nsenter: cannot open /run/netns/nosuch: No such file or directory',
		});
		expect(JSON.parse(errors(ours)[5]!.stdout)).toEqual({
			cniVersion: '1.0.0',
			code: 5,
			msg: 'cannot use the address files (ipam.dataDir)',
			details: "ENOTDIR: not a directory, mkdir '/dev/null/cni/podnet'",
		});
		// The refusals came before anything was created; the last failure came after the veth pair,
		// which the TypeScript plugin removes again (the reference plugin leaves it).
		expect(step(ours.blocks, BLOCK.errors, 'ip -n pod3 link').stdout).toBe(step(reference.blocks, BLOCK.errors, 'ip -n pod3 link').stdout);
		expect(lines(step(ours.blocks, BLOCK.errors, 'ip -n pod3 link').stdout)).toHaveLength(2);
		const pod4 = (run: PiRun) => lines(step(run.blocks, BLOCK.errors, 'ip -n pod4 -br link').stdout).map((l) => l.split(/\s+/)[0]);
		expect(pod4(ours)).toEqual(['lo']);
		expect(pod4(reference)).toEqual(['lo', expect.stringMatching(/^eth0@if\d+$/)]);
	});

	it('answers VERSION with the one spec version it speaks', () => {
		expect(step(ours.blocks, BLOCK.errors, 'echo \'{"cniVersion":"1.0.0"}\' | CNI_COMMAND=VERSION').stdout).toBe('{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}\n');
	});
});

describe('DEL', () => {
	it('undoes what ADD did, succeeds again when there is nothing left, and also without CNI_NETNS', () => {
		const dels = ours.blocks[BLOCK.del]!.filter((s) => s.cmd.startsWith('CNI_COMMAND=DEL'));
		expect(dels.map((s) => [s.exit, s.stdout])).toEqual([[0, ''], [0, ''], [0, '']]);
		const after = (run: PiRun) => normalised(run)[BLOCK.del]!.filter((s) => !s.cmd.startsWith('CNI_COMMAND') && !s.cmd.startsWith('ls '));
		expect(after(ours)).toEqual(after(reference));
		expect(lines(step(ours.blocks, BLOCK.del, 'ip -n pod1 link').stdout)).toHaveLength(2); // lo alone
		expect(step(ours.blocks, BLOCK.del, 'iptables').stdout).not.toContain('pod1');
		expect(step(ours.blocks, BLOCK.del, 'ls ').stdout).toBe('10.22.0.3\nlast_reserved_ip.0\n');
	});

	it('of a container whose namespace is gone frees its address and removes its masquerade rules, which the reference plugin leaves', () => {
		const policies = '-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n';
		expect(step(ours.blocks, BLOCK.gone, 'CNI_COMMAND=DEL').exit).toBe(0);
		expect(step(ours.blocks, BLOCK.gone, 'iptables').stdout).toBe(policies);
		expect(step(ours.blocks, BLOCK.gone, 'ls ').stdout).toBe('last_reserved_ip.0\n');
		// The reference plugin reads the container's address from its eth0 to find the jump: with the
		// namespace gone, it cannot (chapter 9 says so, and why a runtime calls DEL first).
		expect(step(reference.blocks, BLOCK.gone, 'iptables').stdout).toMatch(/-A POSTROUTING -s 10\.22\.0\.3\/32 .*id: \\"pod2\\"/);
	});

	it('frees the address: in a range of one, a second container gets it once the first is deleted', () => {
		const tiny = (prefix: string, n = 0) => step(ours.blocks, BLOCK.tiny, prefix, n);
		const ips = (s: Step) => (JSON.parse(s.stdout) as { ips: unknown }).ips;
		expect(ips(tiny('CNI_COMMAND=ADD CNI_CONTAINERID=c1'))).toEqual([{ interface: 2, address: '10.23.0.2/30', gateway: '10.23.0.1' }]);
		const full = tiny('CNI_COMMAND=ADD CNI_CONTAINERID=c2');
		expect([full.exit, JSON.parse(full.stdout)]).toEqual([
			1,
			{ cniVersion: '1.0.0', code: 101, msg: 'no free address left in 10.23.0.1-10.23.0.2', details: 'allocations are files in /var/lib/cni/networks/tiny' },
		]);
		expect(tiny('CNI_COMMAND=DEL CNI_CONTAINERID=c1').exit).toBe(0);
		expect(ips(tiny('CNI_COMMAND=ADD CNI_CONTAINERID=c2', 1))).toEqual([{ interface: 2, address: '10.23.0.2/30', gateway: '10.23.0.1' }]);
		expect(tiny('ls ').stdout).toBe('10.23.0.2\nlast_reserved_ip.0\n');
	});

	it('isDefaultGateway gives the container a default route via the bridge, in the reference plugin\'s words', () => {
		const first = (run: PiRun) => normalised(run)[BLOCK.tiny]![0]!.stdout;
		expect(JSON.parse(first(ours)).routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.23.0.1' }]);
		expect(first(ours)).toBe(first(reference));
	});

	it('works on a namespace named by a process (/proc/PID/ns/net), as the reference plugin does', () => {
		const [a, b] = [normalised(ours)[BLOCK.pid]!, normalised(reference)[BLOCK.pid]!];
		expect(a).toEqual(b);
		const add = JSON.parse(a[2]!.stdout) as { interfaces: { sandbox?: string }[]; ips: { address: string }[] };
		expect([add.interfaces[2]?.sandbox, add.ips[0]?.address]).toEqual(['/proc/<pid>/ns/net', '10.22.0.4/16']);
		expect(a[3]!.stdout).toMatch(/^eth0@if\d+ +UP +10\.22\.0\.4\/16 /m);
		expect(lines(a[5]!.stdout).map((l) => l.split(/\s+/)[0])).toEqual(['lo']);
	});

	it('after a failed ADD nothing is left behind (the reference plugin leaves the veth pair, and its next ADD fails)', () => {
		const links = (run: PiRun) => lines(step(run.blocks, BLOCK.tiny, 'ip -n pod3 -br link').stdout).map((l) => l.split(/\s+/)[0]);
		expect(links(ours)).toEqual(['lo']);
		expect(links(reference)).toEqual(['lo', expect.stringMatching(/^eth0@if\d+$/)]);
		expect(step(reference.blocks, BLOCK.tiny, 'CNI_COMMAND=ADD CNI_CONTAINERID=c2', 1).exit).toBe(1);
	});
});

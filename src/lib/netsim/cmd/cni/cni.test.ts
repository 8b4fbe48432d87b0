/**
 * The CNI plugins against what the real ones printed: every CNI and jq step of chapters 9 and 10
 * (content/snapshots), and recorded.json (errors and edge cases recorded from Debian's plugins in
 * a sealed sandbox). Whole stdout, stderr and exit are compared, with the random veth names and
 * MACs numbered in order of appearance.
 */
import { describe, expect, it } from 'vitest';
import ch09 from '../../../../../content/snapshots/09-cni-by-hand.json' with { type: 'json' };
import ch10 from '../../../../../content/snapshots/10-cri-and-the-kubelet.json' with { type: 'json' };
import { loadLab } from '../../../book/labs.ts';
import { Stack } from '../../engine/stack.ts';
import { buildLab } from '../../sandbox/build.ts';
import { World } from '../../model/world.ts';
import { Shell, type ShellState } from '../../shell/exec.ts';
import { Vfs } from '../../shell/vfs.ts';
import { coreutils } from '../coreutils/index.ts';
import { ipTool } from '../ip/index.ts';
import { iptables } from '../iptables/index.ts';
import { jq } from '../jq/index.ts';
import { sysctl } from '../sysctl.ts';
import { utilLinux } from '../util-linux/index.ts';
import type { Context, ExecResult, Tool } from '../../tool/types.ts';
import { chainName } from './bridge.ts';
import { cniTools } from './index.ts';
import { installCniPlugins } from './files.ts';
import recorded from './recorded.json' with { type: 'json' };

/** A one-host lab whose shell runs these plugins (whatever the simulator's registry wires). */
function lab(): (line: string) => ExecResult {
	const world = new World(42);
	buildLab(world, loadLab('machine'));
	const stack = new Stack(world);
	const host = [...world.hosts.values()][0]!;
	const state: ShellState = { vfs: new Vfs(host.hostname), vars: {}, lastStatus: 0, lastBgPid: 0, nextPid: 4000 };
	installCniPlugins(state.vfs);
	const vfsOf = (): Vfs => state.vfs;
	let shell: Shell;
	const runLine = (ctx: Context, line: string, argv0: string): ExecResult => new Shell(state, registry, argv0).runLine(ctx, line);
	const tools: Record<string, Tool> = { ...coreutils(vfsOf, runLine), ...cniTools(vfsOf), ...utilLinux(vfsOf), jq: jq(vfsOf), ip: ipTool(vfsOf), iptables, sysctl };
	const registry = (name: string): Tool | undefined => (Object.prototype.hasOwnProperty.call(tools, name) ? tools[name] : undefined);
	shell = new Shell(state, registry);
	return (line) => {
		world.advance(world.now + 10);
		return shell.runLine({ world, stack, host, ns: host.root, stdin: '', env: {}, run: (c, argv) => shell.dispatch(c, argv) }, line);
	};
}

/** Numbers random identities in order of appearance. */
function normaliser(): (s: string) => string {
	const seen = new Map<string, string>();
	return (s) =>
		s.replace(/\/proc\/\d+\//g, '/proc/<pid>/').replace(/\bveth[0-9a-f]{8}\b|\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, (m) => {
			if (m === '00:00:00:00:00:00' || m === 'ff:ff:ff:ff:ff:ff') return m;
			const kind = m.startsWith('veth') ? 'veth' : 'mac';
			if (!seen.has(m)) seen.set(m, `<${kind}${[...seen.values()].filter((v) => v.startsWith(`<${kind}`)).length + 1}>`);
			return seen.get(m) as string;
		});
}

interface Step {
	cmd: string;
	stdout: string;
	stderr: string;
	exit: number;
	known?: string;
	/** Recorded in a fresh sandbox: start a fresh lab. */
	fresh?: boolean;
}

/** Replays recorded steps through a fresh simulated lab; returns how many it compared. */
function replay(steps: Step[], pick: (s: Step) => boolean, trim = false): number {
	let compared = 0;
	let run = lab();
	let nReal = normaliser();
	let nSim = normaliser();
	for (const s of steps) {
		if (s.fresh) {
			run = lab();
			nReal = normaliser();
			nSim = normaliser();
		}
		// The recorder masked one result with sed; mask the simulator's the same way.
		const sed = s.cmd.indexOf(' | sed -E ');
		const r = run(sed < 0 ? s.cmd : s.cmd.slice(0, sed));
		if (sed >= 0) r.stdout = r.stdout.replace(/veth[0-9a-f]{8}/, 'VETH').replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'MAC');
		if (!pick(s) || s.known) continue;
		const cut = (x: string): string => (trim ? x.replace(/\n+$/, '') : x);
		expect({ cmd: s.cmd, stdout: nSim(cut(r.stdout)), stderr: nSim(r.stderr), exit: r.exit }).toEqual({ cmd: s.cmd, stdout: nReal(s.stdout), stderr: nReal(s.stderr), exit: s.exit });
		compared++;
	}
	return compared;
}

const isCni = (s: Step): boolean => s.cmd.includes('/usr/lib/cni/') || s.cmd.startsWith('jq ') || s.cmd.includes('/var/lib/cni') || s.cmd.startsWith('iptables -t nat -S');

function steps(snapshot: { blocks: { steps: Step[] }[] }): Step[] {
	return snapshot.blocks.flatMap((b) => b.steps);
}

describe('CNI plugins', () => {
	it('name their chains like utils.FormatChainName (sha512 of name + id)', () => {
		expect(chainName('podnet', 'pod1')).toBe('CNI-9529d4a22b8902790e23f99c');
		expect(chainName('podnet', 'pod1', 'DN-')).toBe('CNI-DN-9529d4a22b8902790e23f');
	});

	it('replay chapter 9: bridge + host-local ADD, CHECK (with and without prevResult), DEL twice, VERSION', () => {
		// The whole chapter, the container started with no network included (unshare from the
		// util-linux tools, CNI_NETNS=/proc/$C/ns/net with its PID masked): later steps depend on
		// the address host-local handed out there. Every CNI step of the recording is compared.
		const ch = steps(ch09 as { blocks: { steps: Step[] }[] });
		const want = ch.filter(isCni).length;
		expect(want).toBeGreaterThan(20);
		expect(replay(ch, isCni)).toBe(want);
	});

	it('replay chapter 10: loopback, bridge, portmap chain ADD and DEL, the inputs built with jq', () => {
		// The block that starts a web server needs TCP; the CNI steps do not depend on it. Every
		// other CNI and jq step of the recording is compared (the jq calls build the inputs; the
		// cleanup's DELs count too).
		const ch = steps(ch10 as { blocks: { steps: Step[] }[] }).filter((s) => !/python3|curl|pid/.test(s.cmd));
		const want = ch.filter(isCni).length;
		expect(want).toBeGreaterThan(13);
		expect(replay(ch, isCni)).toBe(want);
	});

	it('match errors and edge cases recorded from the real plugins', () => {
		expect(replay(recorded.steps as Step[], () => true, true)).toBe(47);
	});

	it('answer a bare run with the about text on stderr, exit 0', () => {
		const run = lab();
		for (const p of ['bridge', 'portmap', 'static']) {
			expect(run(`/usr/lib/cni/${p}`)).toEqual({ stdout: '', stderr: `CNI ${p} plugin version unknown\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0\n`, exit: 0 });
		}
	});

	it('print a default route they cannot add with its /0 mask as Go does, 00000000', () => {
		const run = lab();
		const conf = '{"cniVersion":"1.0.0","name":"n","type":"bridge","ipam":{"type":"host-local","subnet":"10.22.0.0/16","routes":[{"dst":"0.0.0.0/0","gw":"10.99.0.1"}]}}';
		run(`echo '${conf}' > /tmp/c.json; ip netns add pod1`);
		const r = run('CNI_COMMAND=ADD CNI_CONTAINERID=pod1 CNI_NETNS=/run/netns/pod1 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge < /tmp/c.json');
		expect(r).toEqual({ stdout: '{\n    "code": 999,\n    "msg": "failed to add route \'{0.0.0.0 00000000} via 10.99.0.1 dev eth0\': network is unreachable"\n}', stderr: '', exit: 1 });
	});

	it('never throw on odd input', () => {
		const run = lab();
		const inputs = ['', '[]', '"x"', '{"name":"n","cniVersion":"1.0.0","ipam":{"type":"host-local","ranges":[[]]}}', '{"name":"n","cniVersion":"1.0.0","ipam":{"type":"host-local","subnet":"10.0.0.0/31"}}', '{"name":"n","cniVersion":"1.0.0","prevResult":{"ips":[{"address":"x"}]}}', '{"name":"n","cniVersion":"1.0.0","ipam":{"type":"dhcp"}}'];
		run('ip netns add p');
		for (const cmd of ['ADD', 'CHECK', 'DEL', 'VERSION', 'GC'])
			for (const p of ['bridge', 'host-local', 'loopback', 'portmap', 'dhcp'])
				for (const input of inputs) {
					run(`echo '${input}' > /tmp/in.json`);
					const r = run(`CNI_COMMAND=${cmd} CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/p CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/${p} < /tmp/in.json`);
					expect(r.stderr).not.toContain('internal error');
					expect([0, 1]).toContain(r.exit);
				}
	});
});

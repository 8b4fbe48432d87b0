import { describe, expect, it } from 'vitest';
import { loadBook } from '../runbook/load.ts';
import { chapterBookPrograms } from '../runbook/programs.ts';
import { loadLab } from '../book/labs.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { ROOT, snapshotPath } from '../book/paths.ts';
import { oneLine } from '../runbook/commands.ts';
import { createNormaliseContext, normaliseOutput } from '../snapshot/normalise.ts';
import type { OutputChunk } from './engine.ts';
import { PING_OK, TWO_HOSTS } from './fake-engine.test-helper.ts';
import { createSimTerminalEngine, loadNetsim, type TerminalSimLab } from './sim-engine.ts';
import type { PacketTrace } from '../shared/trace.ts';

const MACHINE_LAB = loadLab('machine');

const fake = (exec: TerminalSimLab['exec']) => async () => () => ({ exec, state: () => ({}) });

describe('the simulator engine (adapter)', () => {
	it('streams a ping line by line on the virtual clock', async () => {
		const waits: number[] = [];
		const engine = createSimTerminalEngine(TWO_HOSTS, { load: fake(() => ({ stdout: PING_OK, stderr: '', exit: 0 })), sleep: async (ms) => void waits.push(Math.round(ms)) });
		const chunks: OutputChunk[] = [];
		const result = await engine.run('alice', 'ping -c 3 -i 0.2 192.168.1.2', { onOutput: (c) => chunks.push(c) });
		expect(result).toEqual({ exit: 0 });
		expect(waits).toEqual([200, 200]);
		expect(chunks.map((c) => c.text).join('')).toBe(PING_OK);
	});

	it('passes a well-formed trace on and drops a broken one', async () => {
		const trace = { command: 'ping', host: 'alice', summary: 's', outcome: 'dropped', steps: [{ kind: 'drop', leg: 'request', at: { host: 'alice', netns: '' }, text: 'No route.' }] };
		let answer: unknown = trace;
		const engine = createSimTerminalEngine(TWO_HOSTS, { msPerSecond: 0, load: fake(() => ({ stdout: '', stderr: '', exit: 2, trace: answer as PacketTrace })) });
		expect((await engine.run('alice', 'ping 10.0.0.1')).trace).toEqual(trace);
		answer = { steps: 'no' };
		expect(await engine.run('alice', 'ping 10.0.0.1')).toEqual({ exit: 2 });
	});

	it('keeps the terminal alive when the simulator throws', async () => {
		const engine = createSimTerminalEngine(TWO_HOSTS, { load: fake(() => { throw new Error('boom'); }) });
		const chunks: OutputChunk[] = [];
		expect(await engine.run('alice', 'ip link', { onOutput: (c) => chunks.push(c) })).toEqual({ exit: 1 });
		expect(chunks).toEqual([{ stream: 'stderr', text: 'netsim: internal error: boom\n' }]);
	});

	it('builds each lab from its own copy of the definition', async () => {
		const seen: unknown[] = [];
		const engine = createSimTerminalEngine(TWO_HOSTS, {
			load: async () => (definition) => {
				seen.push(definition);
				return { exec: () => ({ stdout: '', stderr: '', exit: 0 }), state: () => ({}) };
			},
		});
		await engine.state();
		await engine.reset();
		expect(seen).toHaveLength(2);
		expect(seen[0]).toEqual(TWO_HOSTS);
		expect(seen[0]).not.toBe(TWO_HOSTS);
		expect(seen[1]).not.toBe(seen[0]);
		expect(engine.hosts()).toEqual(['alice', 'bob']);
	});

	it("imitates the machine whose recording the page shows, after a reset too", async () => {
		const recorded = { kernel: '6.12.118+deb13-arm64', iproute2: '6.15.0', iptables: '1.8.11 (nf_tables)', arch: 'aarch64', os: 'Debian GNU/Linux 13 (trixie)' };
		const engine = createSimTerminalEngine(MACHINE_LAB, { msPerSecond: 0, load: loadNetsim, machine: { recorded, kind: 'vm' } });
		const out = async (line: string): Promise<string> => {
			const chunks: OutputChunk[] = [];
			await engine.run('pi', line, { onOutput: (c) => chunks.push(c) });
			return chunks.map((c) => c.text).join('');
		};
		expect(await out('ip link show eth0')).toMatch(/^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel /);
		await engine.reset();
		expect(await out('ip addr show lo')).toContain('inet6 ::1/128 scope host proto kernel_lo \n');
		// Without a machine: the simulator's default, the book's own (Debian 12 in the sandbox).
		const plain = createSimTerminalEngine(MACHINE_LAB, { msPerSecond: 0, load: loadNetsim });
		const chunks: OutputChunk[] = [];
		await plain.run('pi', 'ip link show eth0', { onOutput: (c) => chunks.push(c) });
		expect(chunks.map((c) => c.text).join('')).toMatch(/^2: eth0@if2: /);
	});
});

// The real simulator behind the terminal: the book's chapters typed in, compared with the
// kernel's recordings. The simulator's own fidelity is `npm run verify -- --engine sim`; this
// checks that the terminal shows exactly what the simulator printed, and reports the figure.
describe('the simulator engine (real netsim)', () => {
	it('loads createLab lazily and runs a command', async () => {
		const engine = createSimTerminalEngine(TWO_HOSTS, { msPerSecond: 0 });
		let out = '';
		const result = await engine.run('alice', 'ip -br link show dev eth0', { onOutput: (c) => (out += c.text) });
		expect(result.exit).toBe(0);
		expect(out).toMatch(/^eth0@if\d+\s+UP/);
		expect(Object.keys(await engine.state())).toEqual(['alice', 'bob']);
		expect(typeof (await loadNetsim()).createLab).toBe('function');
	});

	it('completes every command the simulator runs, from its own list', async () => {
		const engine = createSimTerminalEngine(TWO_HOSTS, { msPerSecond: 0 });
		expect(engine.commands?.()).toEqual([]);
		await engine.state();
		const commands = engine.commands?.() ?? [];
		for (const name of ['ip', 'ping', 'curl', 'conntrack', 'jq', 'ss', 'python3', 'echo', 'grep', 'sysctl', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local'])
			expect(commands, name).toContain(name);
	});

	it('runs an interactive shell: bash names no line, an endless ping is stopped with a note', async () => {
		const engine = createSimTerminalEngine(TWO_HOSTS, { msPerSecond: 0 });
		let out = '';
		const result = await engine.run('alice', 'nosuch', { onOutput: (c) => (out += c.text) });
		expect([result.exit, out]).toEqual([127, 'bash: nosuch: command not found\n']);
		const ping = await engine.run('alice', 'ping 127.0.0.1');
		expect(ping.note).toMatch(/^Without -c, ping runs until Ctrl-C: the simulator stopped it after 4 packets/);
	});

	it('loads jq when a line runs it', async () => {
		const engine = createSimTerminalEngine(TWO_HOSTS, { msPerSecond: 0 });
		let out = '';
		const result = await engine.run('alice', `echo '{"a":[1,2]}' | jq -c .a`, { onOutput: (c) => (out += c.text) });
		expect([result.exit, out]).toEqual([0, '[1,2]\n']);
	});

	it('prints what the kernel printed, for every command of the book', async () => {
		const mismatches: string[] = [];
		let compared = 0;
		for (const chapter of loadBook()) {
			const snapshot = loadSnapshot(snapshotPath(ROOT, chapter.id));
			expect(snapshot, `${chapter.id} has no snapshot`).toBeDefined();
			// With the book's own programs the chapter calls, as the page hands them (TryIt.astro).
			const programs = chapterBookPrograms(chapter).map((p) => p.path);
			const engine = createSimTerminalEngine(loadLab(chapter.lab), { msPerSecond: 0, programs });
			const kernel = createNormaliseContext();
			const sim = createNormaliseContext();
			for (const block of chapter.blocks.filter((b) => b.runnable)) {
				const recorded = snapshot?.blocks.find((b) => b.key === block.key);
				for (const [i, command] of block.commands.entries()) {
					let stdout = '';
					let stderr = '';
					const { exit } = await engine.run(block.host, oneLine(command.text), {
						onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)),
					});
					const step = recorded?.steps[i];
					compared++;
					const theirs = step && [normaliseOutput(step.stdout, kernel), normaliseOutput(step.stderr, kernel), step.exit];
					const mine = [normaliseOutput(stdout, sim), normaliseOutput(stderr, sim), exit];
					if (JSON.stringify(theirs) !== JSON.stringify(mine)) mismatches.push(`${chapter.file}:${command.line} [${block.host}] ${command.text}`);
				}
			}
		}
		console.log(`[terminal] commands printing what the kernel printed: ${compared - mismatches.length}/${compared}`);
		expect(compared).toBeGreaterThan(600);
		expect(mismatches).toEqual([]);
	});
});

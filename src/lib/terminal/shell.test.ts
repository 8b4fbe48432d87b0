import { describe, expect, it } from 'vitest';
import type { OutputChunk } from './engine.ts';
import { fakeEngine, PING_OK, PING_SILENT } from './fake-engine.test-helper.ts';
import type { ScriptBlock } from './script.ts';
import { Shell, type CommandRecord, type ShellView } from './shell.ts';
import type { PacketTrace } from '../shared/trace.ts';

/** A view that records what the shell draws, as text lines. */
function recorder() {
	const log: string[] = [];
	let prompt = '';
	const traces: { trace: PacketTrace; open: boolean }[] = [];
	const view: ShellView = {
		echo: (p, line) => log.push(`${p}${line}`),
		output: (c: OutputChunk) => log.push(`${c.stream === 'stderr' ? '!' : ''}${c.text.replace(/\n$/, '')}`),
		notice: (text, tone) => log.push(`${tone === 'error' ? 'ERR ' : '# '}${text}`),
		exit: (code) => log.push(`[exit ${code}]`),
		clear: () => log.splice(0, log.length, '<clear>'),
		prompt: (p) => void (prompt = p),
		busy: () => {},
		trace: (trace, open) => void traces.push({ trace, open }),
	};
	return { view, log, traces, prompt: () => prompt };
}

const BLOCKS: ScriptBlock[] = [
	{ index: 0, line: 10, host: 'alice', commands: ['ip addr add 192.168.1.1/24 dev eth0'], fails: false, runnable: true },
	{ index: 1, line: 20, host: 'bob', commands: ['ip addr add 192.168.1.2/24 dev eth0'], fails: false, runnable: true },
	{ index: 2, line: 30, host: 'alice', commands: ['ip route', 'ping -c 1 -W 1 192.168.1.9'], fails: true, runnable: true },
	{ index: 3, line: 40, host: 'alice', commands: ['docker run x'], fails: false, runnable: false },
	{ index: 4, line: 50, host: 'alice', commands: ['ping -c 3 -i 0.2 192.168.1.2'], fails: false, runnable: true },
];

describe('Shell: prompt, hosts and its own commands', () => {
	it('shows a root prompt naming the host, runs commands there and reports non-zero exits', async () => {
		const { engine, calls } = fakeEngine();
		const r = recorder();
		const shell = new Shell(engine, r.view);
		expect(r.prompt()).toBe('root@alice:~# ');
		await shell.submit('hostname');
		await shell.submit('jq .');
		expect(r.log).toEqual(['root@alice:~# hostname', 'alice', 'root@alice:~# jq .', '!bash: jq: command not found', '[exit 127]']);
		expect(calls).toEqual([
			{ host: 'alice', line: 'hostname' },
			{ host: 'alice', line: 'jq .' },
		]);
	});

	it('switches hosts with ssh and exit, and runs one command elsewhere with @host', async () => {
		const { engine, calls } = fakeEngine();
		const r = recorder();
		const shell = new Shell(engine, r.view);
		await shell.submit('ssh bob');
		expect(r.prompt()).toBe('root@bob:~# ');
		await shell.submit('hostname');
		await shell.submit('@alice hostname');
		await shell.submit('exit');
		expect(r.prompt()).toBe('root@alice:~# ');
		await shell.submit('ssh carol');
		expect(calls.map((c) => c.host)).toEqual(['bob', 'alice']);
		expect(r.log).toContain('logout\nConnection to bob closed.');
		expect(r.log).toContain('!ssh: Could not resolve hostname carol: Name or service not known');
	});

	it('joins continued lines under a > prompt, strips sudo and skips comments', async () => {
		const { engine, calls } = fakeEngine();
		const r = recorder();
		const shell = new Shell(engine, r.view);
		await shell.submit('ip addr add 192.168.1.1/24 \\');
		expect(r.prompt()).toBe('> ');
		await shell.submit('  dev eth0');
		await shell.submit('# a comment');
		await shell.submit('sudo hostname');
		expect(calls.map((c) => c.line)).toEqual(['ip addr add 192.168.1.1/24 dev eth0', 'hostname']);
		expect(r.log.slice(0, 2)).toEqual(['root@alice:~# ip addr add 192.168.1.1/24 \\', '>   dev eth0']);
	});

	it('pastes several lines as several commands', async () => {
		const { engine, calls } = fakeEngine();
		const shell = new Shell(engine, recorder().view);
		await shell.paste('hostname\r\nip route\n');
		expect(calls.map((c) => c.line)).toEqual(['hostname', 'ip route']);
	});

	it('has help, clear, hosts, history and reset of its own', async () => {
		const { engine, labs } = fakeEngine();
		const r = recorder();
		const shell = new Shell(engine, r.view);
		await shell.submit('help');
		expect(r.log[1]).toMatch(/^# This terminal runs the chapter's lab/);
		await shell.submit('hosts');
		expect(r.log.at(-1)).toBe('# alice  bob');
		await shell.submit('clear');
		expect(r.log).toEqual(['<clear>']);
		await shell.submit('history');
		expect(r.log.at(-1)).toBe('#     1  help\n    2  hosts\n    3  clear\n    4  history');
		await shell.submit('ssh bob');
		await shell.submit('reset');
		expect(r.prompt()).toBe('root@alice:~# ');
		expect(labs()).toBe(1);
	});
});

describe('Shell: state and progress', () => {
	it('reports state changes only when the state changed', async () => {
		const { engine } = fakeEngine();
		const states: unknown[] = [];
		const shell = new Shell(engine, recorder().view, { onState: (s) => states.push(s) });
		await shell.start();
		await shell.submit('hostname');
		await shell.submit('ip addr add 192.168.1.1/24 dev eth0');
		expect(states).toHaveLength(2);
		expect(shell.state?.['alice']?.['']?.addr).toHaveLength(1);
	});

	it('tells the page about every command, for progress checks', async () => {
		const { engine } = fakeEngine();
		const records: CommandRecord[] = [];
		const shell = new Shell(engine, recorder().view, { onCommand: (c) => records.push(c) });
		await shell.submit('ping -c 3 -i 0.2 192.168.1.2');
		expect(records).toEqual([{ host: 'alice', line: 'ping -c 3 -i 0.2 192.168.1.2', exit: 0, stdout: PING_OK }]);
	});

	it('counts for progress only what the reader ran: Run up to here settles the lab instead', async () => {
		const { engine } = fakeEngine();
		const records: string[] = [];
		const settled: number[] = [];
		const shell = new Shell(engine, recorder().view, {
			blocks: BLOCKS,
			onCommand: (c) => records.push(`${c.host}: ${c.line}`),
			// The state is known by then: progress takes what holds as given.
			onSettle: (state) => settled.push(state['alice']!['']!.addr.length),
		});
		await shell.start();
		await shell.runUpTo(4);
		expect(records).toEqual([]);
		await shell.runBlock(4);
		await shell.submit('reset');
		expect(records).toEqual(['alice: ping -c 3 -i 0.2 192.168.1.2']);
		expect(settled).toEqual([0, 1, 0]);
	});
});

describe('Shell: running the chapter\'s blocks', () => {
	it('runs a block on its host, as if typed', async () => {
		const { engine, calls } = fakeEngine();
		const r = recorder();
		const shell = new Shell(engine, r.view, { blocks: BLOCKS });
		await shell.runBlock(1);
		expect(calls).toEqual([{ host: 'bob', line: 'ip addr add 192.168.1.2/24 dev eth0' }]);
		expect(r.log).toEqual(['# (now on bob)', 'root@bob:~# ip addr add 192.168.1.2/24 dev eth0']);
		expect(r.prompt()).toBe('root@bob:~# ');
		expect(shell.history.list()).toEqual(['ip addr add 192.168.1.2/24 dev eth0']);
	});

	it('runs up to a block: a fresh lab, every runnable block before it, quietly', async () => {
		const { engine, calls, labs } = fakeEngine({ msPerSecond: 60_000 });
		const r = recorder();
		const shell = new Shell(engine, r.view, { blocks: BLOCKS });
		const started = Date.now();
		await shell.runUpTo(4);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(labs()).toBe(1);
		expect(calls.map((c) => `${c.host}: ${c.line}`)).toEqual([
			'alice: ip addr add 192.168.1.1/24 dev eth0',
			'bob: ip addr add 192.168.1.2/24 dev eth0',
			'alice: ip route',
			'alice: ping -c 1 -W 1 192.168.1.9',
		]);
		expect(r.log).toEqual(['# Fresh lab; replayed 4 commands of 3 blocks. Ready for block 5.']);
		expect(r.prompt()).toBe('root@alice:~# ');
	});

	it('says which replayed commands did not do what the chapter expects', async () => {
		const { engine } = fakeEngine({ answer: (_, line) => (line === 'ip route' ? { stdout: '', stderr: 'boom\n', exit: 2 } : undefined) });
		const r = recorder();
		await new Shell(engine, r.view, { blocks: BLOCKS }).runUpTo(4);
		expect(r.log[1]).toBe('ERR Some commands did not do what the chapter expects:\n  block 3 on alice: ip route (exit 2)');
	});
});

describe('Shell: another engine, and checking the chapter', () => {
	it('hands the terminal to another engine: its fresh lab, the first host, the history kept', async () => {
		const first = fakeEngine();
		const second = fakeEngine();
		const r = recorder();
		const states: unknown[] = [];
		const shell = new Shell(first.engine, r.view, { onState: (s) => states.push(s) });
		await shell.submit('ssh bob');
		await shell.submit('ip addr add 192.168.1.2/24 dev eth0');
		await shell.setEngine(second.engine, 'Now on the other engine.');
		expect(r.prompt()).toBe('root@alice:~# ');
		await shell.submit('hostname');
		expect(first.calls.map((c) => c.line)).toEqual(['ip addr add 192.168.1.2/24 dev eth0']);
		expect(second.calls).toEqual([{ host: 'alice', line: 'hostname' }]);
		expect(r.log).toContain('# Now on the other engine.');
		expect(shell.history.list()).toEqual(['ssh bob', 'ip addr add 192.168.1.2/24 dev eth0', 'hostname']);
		// The new engine's state is drawn even though it equals a state seen before the switch.
		expect(states.at(-1)).toEqual(await second.engine.state());
	});

	it('checks the runnable blocks on a fresh lab, visibly, and credits no progress', async () => {
		const { engine, calls, labs } = fakeEngine();
		const r = recorder();
		const records: CommandRecord[] = [];
		const seen: string[] = [];
		const shell = new Shell(engine, r.view, { blocks: BLOCKS, onCommand: (c) => records.push(c) });
		await shell.submit('ip addr add 10.0.0.1/8 dev eth0');
		const blocks = BLOCKS.filter((b) => b.runnable).slice(0, 3);
		const done = await shell.check(
			blocks,
			{
				onBlock: (b, n, count) => seen.push(`block ${b.index + 1} (${n} of ${count})`),
				onBlockDone: (b, steps) => {
					seen.push(steps.map((s) => `${s.cmd} → ${s.exit} ${JSON.stringify(s.stdout)} ${JSON.stringify(s.stderr)}`).join('; '));
					return { text: `verdict ${b.index + 1}` };
				},
			},
			new AbortController().signal,
		);
		expect(done).toBe(true);
		expect(labs()).toBe(2);
		expect(calls.slice(1).map((c) => `${c.host}: ${c.line}`)).toEqual([
			'alice: ip addr add 192.168.1.1/24 dev eth0',
			'bob: ip addr add 192.168.1.2/24 dev eth0',
			'alice: ip route',
			'alice: ping -c 1 -W 1 192.168.1.9',
		]);
		expect(seen).toEqual([
			'block 1 (1 of 3)',
			'ip addr add 192.168.1.1/24 dev eth0 → 0 "" ""',
			'block 2 (2 of 3)',
			'ip addr add 192.168.1.2/24 dev eth0 → 0 "" ""',
			'block 3 (3 of 3)',
			`ip route → 0 "" ""; ping -c 1 -W 1 192.168.1.9 → 1 ${JSON.stringify(PING_SILENT)} ""`,
		]);
		expect(r.log.slice(1)).toEqual([
			"# Fresh lab: running the chapter's 3 blocks on the simulator.",
			'root@alice:~# ip addr add 192.168.1.1/24 dev eth0',
			'# verdict 1',
			'# (now on bob)',
			'root@bob:~# ip addr add 192.168.1.2/24 dev eth0',
			'# verdict 2',
			'# (now on alice)',
			'root@alice:~# ip route',
			'root@alice:~# ping -c 1 -W 1 192.168.1.9',
			// The simulator plays ping's output line by line.
			...PING_SILENT.split('\n').slice(0, -1),
			'[exit 1]',
			'# verdict 3',
		]);
		expect(records.map((c) => c.line)).toEqual(['ip addr add 10.0.0.1/8 dev eth0']);
	});

	it('stops a check after the running command when asked', async () => {
		const { engine, calls } = fakeEngine({ msPerSecond: 60_000 });
		const stop = new AbortController();
		const shell = new Shell(engine, recorder().view);
		const blocks = [BLOCKS[4]!, BLOCKS[0]!];
		const done = shell.check(blocks, { onBlockDone: () => ({ text: 'never' }) }, stop.signal);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(shell.busy).toBe(true);
		stop.abort();
		expect(await done).toBe(false);
		expect(calls.map((c) => c.line)).toEqual(['ping -c 3 -i 0.2 192.168.1.2']);
	});
});

describe('Shell: Ctrl-C and packet walks', () => {
	it('skips a paced ping to its end with Ctrl-C', async () => {
		const { engine } = fakeEngine({ msPerSecond: 60_000 });
		const r = recorder();
		const shell = new Shell(engine, r.view);
		const done = shell.submit('ping -c 3 -i 0.2 192.168.1.2');
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(shell.busy).toBe(true);
		shell.interrupt();
		await done;
		expect(r.log.slice(1).join('\n')).toBe(PING_OK.replace(/\n$/, ''));
	});

	it('drops the line being typed on Ctrl-C at the prompt', () => {
		const r = recorder();
		const shell = new Shell(fakeEngine().engine, r.view);
		shell.interrupt('ip li');
		expect(r.log).toEqual(['root@alice:~# ip li^C']);
	});

	it('strips --trace from ping, and opens the walk the engine recorded', async () => {
		const trace: PacketTrace = {
			command: 'ping -c 1 192.168.1.2',
			host: 'alice',
			summary: 'ok',
			outcome: 'replied',
			steps: [
				{ kind: 'send', leg: 'request', at: { host: 'alice', netns: '' }, text: 'Alice sends.' },
				{ kind: 'deliver', leg: 'request', at: { host: 'bob', netns: '' }, text: 'Bob gets it.' },
			],
		};
		const { engine, calls } = fakeEngine({ answer: () => ({ stdout: '', stderr: '', exit: 0, trace }) });
		const r = recorder();
		const shell = new Shell(engine, r.view);
		await shell.submit('ping --trace -c 1 192.168.1.2');
		await shell.submit('ping -c 1 192.168.1.2');
		expect(calls.map((c) => c.line)).toEqual(['ping -c 1 192.168.1.2', 'ping -c 1 192.168.1.2']);
		expect(r.traces.map((t) => t.open)).toEqual([true, false]);
	});

	it('offers no walk for a ping that sent nothing, and says why when asked for one', async () => {
		const at = { host: 'alice', netns: '' };
		const trace: PacketTrace = {
			command: 'ping -c 1 192.168.1.2',
			host: 'alice',
			summary: 'The echo request for 192.168.1.2 was never sent.',
			outcome: 'dropped',
			steps: [
				{ kind: 'send', leg: 'request', at, text: 'ping asks for a route.' },
				{ kind: 'route', leg: 'request', at, text: 'No route.' },
				{ kind: 'drop', leg: 'request', at, text: 'Never sent.', reason: 'no-route' },
			],
		};
		const { engine } = fakeEngine({ answer: () => ({ stdout: '', stderr: 'ping: connect: Network is unreachable\n', exit: 2, trace }) });
		const r = recorder();
		const shell = new Shell(engine, r.view);
		await shell.submit('ping -c 1 192.168.1.2');
		await shell.submit('ping --trace -c 1 192.168.1.2');
		expect(r.traces).toEqual([]);
		expect(r.log.at(-1)).toBe('# No packet left, so there is no walk to show.');
	});

	it('says so when --trace gets no walk from the engine', async () => {
		const r = recorder();
		await new Shell(fakeEngine().engine, r.view).submit('ping -c 1 -W 1 192.168.1.9 --trace');
		expect(r.log.at(-1)).toBe('# The simulator recorded no packet walk for this command.');
	});
});

describe('Shell: sudo, notes and completion', () => {
	it('runs sudo’s command as root, and starts no other shell for sudo -i', async () => {
		const { engine, calls } = fakeEngine();
		const r = recorder();
		const shell = new Shell(engine, r.view);
		await shell.submit('sudo -E hostname');
		await shell.submit('sudo -i');
		await shell.submit('sudo su -');
		expect(calls).toEqual([{ host: 'alice', line: 'hostname' }]);
		expect(r.log.slice(2)).toEqual([
			'root@alice:~# sudo -i',
			'# You are root already: this terminal’s shell is root’s, so sudo has no other shell to start.',
			'root@alice:~# sudo su -',
			'# You are root already: this terminal’s shell is root’s, so sudo has no other shell to start.',
		]);
	});

	it('shows the engine’s own note after a command’s output', async () => {
		const { engine } = fakeEngine({ answer: () => ({ stdout: 'out\n', stderr: '', exit: 0, note: 'The simulator stopped it.' }) });
		const r = recorder();
		await new Shell(engine, r.view).submit('ping 127.0.0.1');
		expect(r.log).toEqual(['root@alice:~# ping 127.0.0.1', 'out', '# The simulator stopped it.']);
	});

	it('completes from the current host and state', async () => {
		const { engine } = fakeEngine();
		const shell = new Shell(engine, recorder().view);
		await shell.start();
		expect(shell.complete('ip link set e', 13).candidates).toEqual(['eth0']);
		expect(shell.complete('ss', 2).candidates).toEqual(['ssh']);
	});
});

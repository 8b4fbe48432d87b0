// A chapter of the book run through the built tools as a program would run them: each command its
// own process, every simple command of a simulated tool straight through its executable with the
// argv a shell would give it (the rest, such as `setpriv … sh -c '…'` or `cat /sys/…`, through
// `netsim-lab exec`). What each prints must be what the simulator prints in one session, exactly,
// and, normalised as verify normalises, what the kernel printed when the chapter was recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../book/paths.ts';
import { builtStateBlock } from '../runbook/cleanup.ts';
import { oneLine } from '../runbook/commands.ts';
import { loadBook } from '../runbook/load.ts';
import { createNormaliseContext } from '../snapshot/normalise.ts';
import { normaliseBlock } from '../snapshot/blocks.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import type { LabState } from '../shared/lab-state.ts';
import { TOOLS } from './tool-command.ts';
import { buildTools, printed, sessionLab, simpleArgv, type Ran, type Tools } from './tools.test-helper.ts';

let tools: Tools;
beforeAll(async () => {
	tools = await buildTools();
});
afterAll(() => tools.dispose());

interface Step extends Ran {
	line: number;
	cmd: string;
}

describe('a chapter through the command-line tools', () => {
	it('reads argv as bash would, or leaves the line to the shell', () => {
		expect(simpleArgv(`ip netns exec alice ping -c 3 -i 0.2 192.168.25.2`)).toEqual(['ip', 'netns', 'exec', 'alice', 'ping', '-c', '3', '-i', '0.2', '192.168.25.2']);
		expect(simpleArgv(`ip link add "a b" type veth peer name 'c d'`)).toEqual(['ip', 'link', 'add', 'a b', 'type', 'veth', 'peer', 'name', 'c d']);
		expect(simpleArgv(`sh -c 'whoami; ip -br link'`)).toEqual(['sh', '-c', 'whoami; ip -br link']);
		for (const line of ['ip link | grep x', 'cat /x > /y', 'echo $HOME', 'a && b', 'echo "$X"']) expect(simpleArgv(line), line).toBeUndefined();
	});

	it.each(['05-veth-pairs', '06-bridges'])('%s prints what the simulator and the kernel printed', (id) => {
		const chapter = loadBook().find((c) => c.id === id);
		if (!chapter) throw new Error(`no chapter ${id} in the book`);
		const snapshot = loadSnapshot(snapshotPath(ROOT, id));
		if (!snapshot) throw new Error(`no snapshot of ${id}`);
		const state = tools.freshState();
		expect(tools.run(state, 'netsim-lab', ['init', '--lab', chapter.lab, '--like', 'local']).exit).toBe(0);
		const session = sessionLab(chapter.lab, 'local');
		const blocks = chapter.blocks.filter((b) => b.runnable);
		const built = builtStateBlock(chapter);
		const mismatches: string[] = [];
		let direct = 0;
		let viaExec = 0;
		let compared = 0;
		let states = 0;
		const mine = createNormaliseContext();
		const kernel = createNormaliseContext();
		for (const [i, block] of blocks.entries()) {
			const steps: Step[] = [];
			for (const command of block.commands) {
				const line = oneLine(command.text);
				const argv = simpleArgv(line);
				let r: Ran;
				if (argv && (TOOLS as readonly string[]).includes(argv[0] as string)) {
					r = tools.run(state, argv[0] as string, argv.slice(1), { host: block.host });
					direct++;
				} else {
					r = tools.run(state, 'netsim-lab', ['exec', line], { host: block.host });
					viaExec++;
				}
				const expected = printed(session.exec(block.host, line));
				if (JSON.stringify(r) !== JSON.stringify(expected)) mismatches.push(`${chapter.file}:${command.line} ${line}: ${JSON.stringify(r)} ≠ the session's ${JSON.stringify(expected)}`);
				steps.push({ ...r, line: command.line, cmd: command.text });
			}
			let captured: LabState | undefined;
			if (block.attributes.diagram || block === built || i === blocks.length - 1) {
				const out = tools.run(state, 'netsim-lab', ['state']);
				captured = JSON.parse(out.stdout) as LabState;
				expect(captured, `state after the block at line ${block.line}`).toEqual(session.state());
				states++;
			}
			// And the kernel's recording, normalised through one chapter-wide context on each side.
			const recorded = snapshot.blocks.find((b) => b.key === block.key);
			if (!recorded) throw new Error(`${chapter.file}:${block.line}: no recorded block`);
			const a = normaliseBlock(recorded, kernel);
			const b = normaliseBlock({ steps, state: captured }, mine);
			steps.forEach((step, k) => {
				compared++;
				if (JSON.stringify(a.steps[k]) !== JSON.stringify(b.steps[k]) || recorded.steps[k]?.exit !== step.exit)
					mismatches.push(`${chapter.file}:${step.line} ${step.cmd}: differs from the kernel's recording (normalised)`);
			});
			if (captured && a.state !== b.state) mismatches.push(`${chapter.file}:${block.line}: the state differs from the kernel's recording (normalised)`);
		}
		console.log(`[simtools] ${id}: ${compared - mismatches.length}/${compared} commands as the session and the kernel printed them (${direct} straight through a tool's executable, ${viaExec} through netsim-lab exec), ${states} states`);
		expect(mismatches).toEqual([]);
		expect(compared).toBe(blocks.reduce((n, b) => n + b.commands.length, 0));
		expect(direct).toBeGreaterThan(compared * 0.8);
		expect(states).toBeGreaterThan(0);
	});
});

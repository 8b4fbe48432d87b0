import { describe, expect, it } from 'vitest';
import type { LabState } from '../shared/lab-state.ts';
import {
	all,
	bridgeHasMembers,
	compileChecks,
	evaluate,
	failed,
	hasAddress,
	hasLink,
	hasNetns,
	hasRoute,
	knowsNeighbour,
	linkUp,
	not,
	ProgressTracker,
	ran,
	type Check,
	type CheckContext,
} from './progress.ts';
import { loadProgress, PROGRESS_KEY, recordProgress } from './progress-store.ts';

const state: LabState = {
	pi: {
		'': {
			link: [
				{ ifname: 'lo', flags: ['LOOPBACK', 'UP'] },
				{ ifname: 'br0', flags: ['BROADCAST', 'UP'] },
				{ ifname: 'veth-a-br', master: 'br0', flags: [] },
				{ ifname: 'veth-b-br', master: 'br0', flags: [] },
			],
			addr: [{ ifname: 'br0', addr_info: [{ family: 'inet', local: '10.0.0.1', prefixlen: 24 }] }],
			route: [{ dst: 'default', gateway: '192.168.0.1', dev: 'eth0' }, { dst: '10.0.0.0/24', dev: 'br0' }],
			neigh: [{ dst: '10.0.0.2', dev: 'br0', lladdr: '02:00:00:00:00:01', state: ['REACHABLE'] }, { dst: '10.0.0.3', dev: 'br0', state: ['FAILED'] }],
		},
		alice: { link: [], addr: [], route: [], neigh: [] },
	},
};
const ctx: CheckContext = { state, commands: [{ host: 'pi', line: 'ip netns exec alice ping -c 1 10.0.0.3', exit: 0, stdout: '' }] };

describe('check helpers', () => {
	it('read links, namespaces, addresses, routes, neighbours and bridge ports from the state', () => {
		expect(hasLink('pi', '', 'br0')(ctx)).toBe(true);
		expect(linkUp('pi', '', 'br0')(ctx)).toBe(true);
		expect(linkUp('pi', '', 'veth-a-br')(ctx)).toBe(false);
		expect(hasNetns('pi', 'alice')(ctx)).toBe(true);
		expect(hasNetns('pi', 'bob')(ctx)).toBe(false);
		expect(hasAddress('pi', '', '10.0.0.1/24')(ctx)).toBe(true);
		expect(hasAddress('pi', '', '10.0.0.1/24', 'eth0')(ctx)).toBe(false);
		expect(hasRoute('pi', '', 'default', '192.168.0.1')(ctx)).toBe(true);
		expect(hasRoute('pi', '', '10.0.0.0/24')(ctx)).toBe(true);
		expect(knowsNeighbour('pi', '', '10.0.0.2')(ctx)).toBe(true);
		expect(knowsNeighbour('pi', '', '10.0.0.3')(ctx)).toBe(false);
		expect(bridgeHasMembers('pi', '', 'br0', 2)(ctx)).toBe(true);
		expect(bridgeHasMembers('pi', '', 'br0', 3)(ctx)).toBe(false);
		expect(hasLink('nobody', 'x', 'y')(ctx)).toBe(false);
	});

	it('read the commands that ran', () => {
		expect(ran('pi', /ping .*10\.0\.0\.3$/)(ctx)).toBe(true);
		expect(ran('pi', /ping .*10\.0\.0\.3$/, 1)(ctx)).toBe(false);
		expect(all(ran('pi', /ping/), hasNetns('pi', 'alice'))(ctx)).toBe(true);
	});

	it('tell a broken lab: a condition that no longer holds, a command that failed', () => {
		expect(not(linkUp('pi', '', 'veth-a-br'))(ctx)).toBe(true);
		expect(not(linkUp('pi', '', 'br0'))(ctx)).toBe(false);
		const broken: CheckContext = { state, commands: [...ctx.commands, { host: 'pi', line: 'ping -c 1 -W 1 10.0.0.9', exit: 1, stdout: '' }] };
		expect(failed('pi', /^ping .*10\.0\.0\.9$/)(broken)).toBe(true);
		expect(failed('pi', /^ping .*10\.0\.0\.9$/)(ctx)).toBe(false);
		// a command that succeeded is no failure, and another host's failure is not this one's
		expect(failed('pi', /ping .*10\.0\.0\.3$/)(broken)).toBe(false);
		expect(failed('alice', /^ping/)(broken)).toBe(false);
		// as a chapter's frontmatter writes them
		const checks = compileChecks([
			{ id: 'down', label: 'a port is down', when: { not: { up: 'veth-a-br', host: 'pi' } } },
			{ id: 'broke', label: 'the ping failed', when: { all: [{ failed: '^ping .*10\\.0\\.0\\.9$', host: 'pi' }, { not: { link: 'eth9', host: 'pi' } }] } },
		]);
		expect(evaluate(checks, ctx)).toEqual(['down']);
		expect(evaluate(checks, broken)).toEqual(['down', 'broke']);
	});

	it('evaluates a chapter’s checks; one that throws does not pass', () => {
		const checks: Check[] = [
			{ id: 'bridge', label: 'the bridge has two members', passes: bridgeHasMembers('pi', '', 'br0', 2) },
			{ id: 'boom', label: 'throws', passes: () => { throw new Error('x'); } },
			{ id: 'no', label: 'fails', passes: hasNetns('pi', 'bob') },
		];
		expect(evaluate(checks, ctx)).toEqual(['bridge']);
	});
});

describe('progress storage', () => {
	const memory = () => {
		const data = new Map<string, string>();
		return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
	};

	it('keeps passes per chapter and never forgets one', () => {
		const store = memory();
		recordProgress(store, '06-bridges', ['a'], 3);
		expect(recordProgress(store, '06-bridges', ['b'], 3)).toEqual({ passed: ['a', 'b'], total: 3 });
		recordProgress(store, '01-two', ['x'], 2);
		expect(loadProgress(store)).toEqual({ '06-bridges': { passed: ['a', 'b'], total: 3 }, '01-two': { passed: ['x'], total: 2 } });
	});

	it('reads a broken or blocked store as empty', () => {
		const store = memory();
		store.setItem(PROGRESS_KEY, '{oops');
		expect(loadProgress(store)).toEqual({});
		const blocked = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('SecurityError'); } };
		expect(loadProgress(blocked)).toEqual({});
		expect(recordProgress(blocked, 'c', ['a'], 1)).toEqual({ passed: ['a'], total: 1 });
	});
});

describe('ProgressTracker', () => {
	const checks: Check[] = [
		{ id: 'bridge', label: 'br0 has two ports', passes: bridgeHasMembers('pi', '', 'br0', 2) },
		{ id: 'ping', label: 'pinged', passes: ran('pi', /^ping /) },
	];
	const empty: LabState = { pi: { '': { link: [], addr: [], route: [], neigh: [] } } };
	const cmd = (line: string) => ({ host: 'pi', line, exit: 0, stdout: '' });

	it('credits the reader’s command that makes a check pass', () => {
		const progress = new ProgressTracker(checks);
		progress.settle(empty);
		expect(progress.command(cmd('ip link set veth-b-br master br0'), state)).toEqual(['bridge']);
		expect(progress.command(cmd('ping -c 1 10.0.0.2'), state)).toEqual(['ping']);
		expect(progress.command(cmd('ip link'), state)).toEqual([]);
	});

	it('gives nothing for what a replay built, until the reader makes it hold again', () => {
		const progress = new ProgressTracker(checks);
		progress.settle(state);
		expect(progress.command(cmd('ip -br link'), state)).toEqual([]);
		expect(progress.command(cmd('ip link del br0'), empty)).toEqual([]);
		expect(progress.command(cmd('ip link set veth-b-br master br0'), state)).toEqual(['bridge']);
	});
});

import { describe, expect, it } from 'vitest';
import { loadLab } from '../book/labs.ts';
import { renderTopologySvg } from '../topology/index.ts';
import { initialState } from './initial-state.ts';
import { createSimTerminalEngine } from './sim-engine.ts';

const size = (svg: string) => /viewBox="([^"]+)"/.exec(svg)?.[1];

describe('initialState', () => {
	it('gives each host its lab interfaces, addresses and default route', () => {
		const state = initialState(loadLab('machine'));
		expect(Object.keys(state)).toEqual(['pi']);
		const ns = state['pi']!['']!;
		expect(ns.link.map((l) => (l as { ifname: string }).ifname)).toEqual(['lo', 'eth0']);
		expect(ns.addr[1]).toMatchObject({ ifname: 'eth0', addr_info: [{ local: '192.168.0.10', prefixlen: 24 }] });
		expect(ns.route).toEqual([{ dst: 'default', gateway: '192.168.0.1', dev: 'eth0' }]);
	});

	// The diagram drawn before the simulator loads must have the size of the real one.
	it.each(['machine', 'two-hosts', 'router', 'forwarding', 'nodes'])('draws the %s lab at the size the simulator’s state gives', async (name) => {
		const lab = loadLab(name);
		const real = await createSimTerminalEngine(lab).state();
		expect(size(renderTopologySvg({ state: initialState(lab), lab }))).toBe(size(renderTopologySvg({ state: real, lab })));
	});
});

/**
 * The state a lab starts in, read off its definition: enough for the diagram to appear the
 * moment the terminal opens, before the simulator has loaded, and at the size it will keep (so
 * nothing under it jumps when the real state arrives).
 */
import type { Lab } from '../shared/lab.ts';
import type { LabState, NetnsState } from '../shared/lab-state.ts';

const UP = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];

/** `ip -j` shaped state of every host's root namespace as the lab builds it (no named namespaces). */
export function initialState(lab: Lab): LabState {
	const state: LabState = {};
	for (const host of lab.hosts) {
		const ns: NetnsState = {
			link: [
				{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], operstate: 'UNKNOWN', link_type: 'loopback' },
				...host.interfaces.map((i, k) => ({ ifindex: k + 2, ifname: i.name, link_index: k + 2, link_netnsid: 99, flags: UP, operstate: 'UP', link_type: 'ether' })),
			],
			addr: [
				{ ifindex: 1, ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] },
				...host.interfaces.flatMap((i, k) => {
					if (!i.address) return [];
					const [local, len] = i.address.split('/');
					return [{ ifindex: k + 2, ifname: i.name, addr_info: [{ family: 'inet', local, prefixlen: Number(len), scope: 'global' }] }];
				}),
			],
			route: host.routes.filter((r) => r.to === 'default').map((r) => ({ dst: 'default', gateway: r.via, dev: host.interfaces[0]?.name })),
			neigh: [],
		};
		state[host.name] = { '': ns };
	}
	return state;
}

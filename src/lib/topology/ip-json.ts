/**
 * The recorded kernel state, as `ip -j` prints it. Only the fields the topology reads are typed;
 * everything else the kernel prints is allowed and ignored. No validation library: this module
 * also runs in the page, where every kilobyte counts, so the readers below are tolerant by hand.
 */
import type { LabState, NetnsState as SharedNetnsState } from '../shared/lab-state.ts';

/** One record of `ip -j link show` (with `-d`, `linkinfo` is present too). */
export interface IpLink {
	ifindex: number;
	ifname: string;
	flags?: string[];
	mtu?: number;
	operstate?: string;
	link_type?: string;
	address?: string;
	/** Peer or lower device's ifindex, when it lives in another namespace. */
	link_index?: number;
	/** Id of the namespace holding `link_index`, as seen from this namespace. */
	link_netnsid?: number;
	/** Peer or lower device's name, when it lives in the same namespace. */
	link?: string | null;
	/** Bridge this interface is a port of. */
	master?: string;
	/** Only with `ip -d`: the link kind and its details. */
	linkinfo?: {
		info_kind?: string;
		info_slave_kind?: string;
		info_data?: Record<string, unknown>;
	};
}

/** One address of `ip -j addr show`. */
export interface IpAddrInfo {
	family: string;
	local: string;
	prefixlen: number;
	scope?: string;
}

/** One record of `ip -j addr show`. */
export interface IpAddr {
	ifindex: number;
	ifname: string;
	addr_info?: IpAddrInfo[];
}

/** One record of `ip -j route show`. */
export interface IpRoute {
	dst: string;
	gateway?: string;
	dev?: string;
	protocol?: string;
	scope?: string;
	prefsrc?: string;
	flags?: string[];
}

/** One record of `ip -j neigh show`. */
export interface IpNeigh {
	dst: string;
	dev?: string;
	lladdr?: string;
	state?: string[];
}

/** The four captures of one network namespace, with the records the topology reads typed. */
export type NetnsState = SharedNetnsState<IpLink, IpAddr, IpRoute, IpNeigh>;

/**
 * Kernel state of a whole lab (src/lib/shared/lab-state.ts) with typed records: the `state` of a
 * snapshot block and what the simulator's `lab.state()` returns, once read by {@link readState}.
 */
export type KernelState = LabState<NetnsState>;

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const records = (v: unknown): Record<string, unknown>[] =>
	Array.isArray(v) ? v.filter(isObject) : [];

/**
 * Reads one namespace's captures, keeping only records with the fields the topology needs.
 * Never throws: a missing or malformed capture reads as empty.
 */
export function readNetns(raw: unknown): NetnsState {
	const o = isObject(raw) ? raw : {};
	const link = records(o['link']).filter(
		(r) => typeof r['ifindex'] === 'number' && typeof r['ifname'] === 'string',
	) as unknown as IpLink[];
	const addr = records(o['addr']).filter(
		(r) => typeof r['ifindex'] === 'number' && typeof r['ifname'] === 'string',
	) as unknown as IpAddr[];
	const route = records(o['route']).filter((r) => typeof r['dst'] === 'string') as unknown as IpRoute[];
	const neigh = records(o['neigh']).filter((r) => typeof r['dst'] === 'string') as unknown as IpNeigh[];
	return { link, addr, route, neigh };
}

/** Reads a whole lab's state (see {@link KernelState}); never throws. */
export function readState(raw: unknown): KernelState {
	const state: KernelState = {};
	if (!isObject(raw)) return state;
	for (const [host, spaces] of Object.entries(raw)) {
		if (!isObject(spaces)) continue;
		const h: Record<string, NetnsState> = {};
		for (const [ns, captures] of Object.entries(spaces)) h[ns] = readNetns(captures);
		state[host] = h;
	}
	return state;
}

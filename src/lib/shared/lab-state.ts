/**
 * The state of a lab as `ip -j` prints it: the one definition of its shape. The kernel engine
 * captures it into snapshots, the simulator's `lab.state()` returns it, the terminal reports it
 * and the topology draws it. Browser-safe: types only.
 */

/**
 * `ip -j` output of one network namespace. The record types default to `unknown` (raw, as
 * captured); a reader that has checked the records (src/lib/topology/ip-json.ts) names them.
 */
export interface NetnsState<Link = unknown, Addr = unknown, Route = unknown, Neigh = unknown> {
	/** `ip -j -d link show` */
	link: Link[];
	/** `ip -j addr show` */
	addr: Addr[];
	/** `ip -j route show` (main table, IPv4) */
	route: Route[];
	/** `ip -j neigh show` */
	neigh: Neigh[];
}

/**
 * Every namespace of every host: host → netns name (`''` for the host's own, otherwise a name
 * from `ip netns list`) → its `ip -j` output.
 */
export type LabState<Netns extends NetnsState<unknown, unknown, unknown, unknown> = NetnsState> = Record<string, Record<string, Netns>>;

/**
 * Bridge ports (br_add_if, br_del_if, br_setport): enslaving a device to a bridge, releasing it,
 * and the per-port flags (hairpin, learning, flooding…).
 */
import { defaultPortFlags, type Link, type PortFlag } from '../model/link.ts';
import { ok, refuse, type Result } from './errno.ts';

/**
 * Enslaves a device to a bridge, or releases it (master null). Its own MAC becomes a permanent
 * entry of the bridge's forwarding table, and a bridge without a fixed MAC takes its lowest
 * port's. The caller has checked that `master` is a bridge other than `link`.
 */
export function setMaster(link: Link, master: Link | null): void {
	const world = link.ns.world;
	const old = link.master;
	if (old === (master ?? undefined)) return;
	if (old) {
		link.master = undefined;
		old.fdb = old.fdb.filter((e) => e.port !== link);
		world.updateBridgeMac(old);
	}
	if (master) {
		link.master = master;
		// br_add_if gives the port the lowest number no other port of the bridge has (0 is reserved).
		const taken = new Set(master.ports().filter((p) => p !== link).map((p) => p.portNo));
		let no = 1;
		while (taken.has(no)) no++;
		link.portNo = no;
		// The port is a new net_bridge_port: its flags start from the defaults.
		link.portFlags = defaultPortFlags();
		link.hairpin = false;
		master.hadPorts = true;
		master.bridgeIdSet = true;
		master.fdb.push({ mac: link.mac, port: link, permanent: true, static: false, updated: world.now });
		world.updateBridgeMac(master);
		// A port's own IPv4 routes stop being usable; the kernel keeps addresses.
	}
	world.linkEvent(link);
}

/** Port flags `bridge link set` may change. */
export type PortFlags = { hairpin?: boolean | undefined } & Partial<Record<PortFlag, boolean>>;

/** Changes a bridge port's flags: EOPNOTSUPP for a device that is not a port. */
export function portSet(link: Link, flags: PortFlags): Result {
	if (!link.master) return refuse('EOPNOTSUPP');
	for (const [k, v] of Object.entries(flags)) {
		if (v === undefined) continue;
		if (k === 'hairpin') link.hairpin = v;
		else link.portFlags[k as PortFlag] = v;
	}
	return ok();
}

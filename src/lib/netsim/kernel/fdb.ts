/**
 * Forwarding entries a user adds (RTM_NEWNEIGH/RTM_DELNEIGH with AF_BRIDGE, `bridge fdb`): static
 * entries in a bridge's table for one of its ports, and a VXLAN device's remote endpoints; and the
 * ageing of learned entries.
 */
import { formatMac, type Mac } from '../addr/mac.ts';
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Link } from '../model/link.ts';
import { ok, refuse, type Result } from './errno.ts';

/** How long a learned entry lives without traffic (the bridge's ageing_time, 300 s). */
export const AGEING_MS = 300_000;

/** What `bridge fdb` asks (`replace` behaves as `add` without EEXIST). */
type FdbOp = 'add' | 'append' | 'del' | 'replace';

/** Adds or deletes a VXLAN device's entry: EINVAL without a destination, EEXIST for one it has. */
function vxlanFdb(dev: Link, mac: Mac, dst: Ipv4 | undefined, op: FdbOp): Result {
	const same = dev.vxlanFdb.filter((e) => formatMac(e.mac) === formatMac(mac));
	if (op === 'del') {
		if (same.length === 0) return refuse('ENOENT');
		dev.vxlanFdb = dev.vxlanFdb.filter((e) => !same.includes(e) || (dst !== undefined && e.dst !== dst));
		return ok();
	}
	if (dst === undefined) return refuse('EINVAL');
	if (op === 'add' && same.length > 0) return refuse('EEXIST');
	if (same.some((e) => e.dst === dst) && op === 'append') return refuse('EEXIST');
	dev.vxlanFdb.push({ mac, dst });
	return ok();
}

/**
 * Adds or deletes a forwarding entry through a device: a VXLAN device's own table, else the table
 * of the bridge the device is (or is a port of); a device with neither takes an entry silently
 * (its own address lists) and has none to delete.
 */
export function fdbUpdate(dev: Link, mac: Mac, dst: Ipv4 | undefined, op: FdbOp): Result {
	if (dev.kind === 'vxlan') return vxlanFdb(dev, mac, dst, op);
	const br = dev.master ?? (dev.kind === 'bridge' ? dev : undefined);
	// ndo_dflt_fdb_add/del: the device's own address lists, where a deletion finds nothing.
	if (!br) return op === 'del' ? refuse('ENOENT') : ok();
	const existing = br.fdb.find((e) => formatMac(e.mac) === formatMac(mac));
	if (op === 'del') {
		if (!existing) return refuse('ENOENT');
		br.fdb = br.fdb.filter((e) => e !== existing);
		return ok();
	}
	if (existing && op === 'add') return refuse('EEXIST');
	br.fdb = br.fdb.filter((e) => e !== existing);
	br.fdb.push({ mac, port: dev, permanent: false, static: true, updated: dev.ns.world.now });
	return ok();
}

/** Drops a bridge's learned entries older than the ageing time (the bridge's gc, run when someone looks). */
export function fdbExpire(br: Link): void {
	const now = br.ns.world.now;
	for (const e of br.fdb) if (now - e.updated > AGEING_MS && !e.permanent && !e.static) br.fdb = br.fdb.filter((x) => x !== e);
}

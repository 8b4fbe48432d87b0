/** Sysctls of a namespace, as /proc/sys/net and `sysctl -w` write them. */
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/** Keys whose handler takes integers only (proc_dointvec), which refuses anything else. */
function takesInteger(key: string): boolean {
	return key === 'net.ipv4.ip_forward' || /forwarding$/.test(key) || /_time|ttl|rp_filter|proxy_arp|route_localnet|disable_ipv6|accept_dad|ignore/.test(key);
}

/** Keys that only take writes (mode 0200): writing one acts (the route cache flush), reading shows nothing. */
const WRITE_ONLY = ['net.ipv4.route.flush'];

/** Whether a key only takes writes. */
export function sysctlWriteOnly(key: string): boolean {
	return WRITE_ONLY.includes(key);
}

/**
 * Writes a sysctl: ENOENT for a key the namespace does not have, EINVAL for a value an integer
 * key cannot take. `checked: false` skips the value check, as the simulator's /proc/sys files
 * have always done (a known gap: the kernel checks writes there too).
 */
export function sysctlWrite(ns: Netns, key: string, value: string, checked = true): Result {
	// There is no route cache to flush since Linux 3.6: the write is taken and does nothing.
	if (sysctlWriteOnly(key)) return ok();
	if (ns.get(key) === undefined) return refuse('ENOENT');
	if (checked && takesInteger(key) && !/^-?\d+$/.test(value)) return refuse('EINVAL');
	ns.setSysctl(key, value);
	return ok();
}

/** Sysctls of a namespace, as /proc/sys/net and `sysctl -w` write them. */
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/**
 * Keys whose handler takes integers only (proc_dointvec): the known ones, and any key whose value
 * is one integer (a vector such as ip_local_port_range is not).
 */
function takesInteger(ns: Netns, key: string): boolean {
	return key === 'net.ipv4.ip_forward' || /forwarding$/.test(key) || /_time|ttl|rp_filter|proxy_arp|route_localnet|disable_ipv6|accept_dad|ignore/.test(key) || /^-?\d+$/.test(ns.get(key) ?? '');
}

/**
 * An integer as proc_dointvec reads it (simple_strtoul, base 0: decimal, 0x hex, 0 octal, a
 * sign, white space around), within an int; undefined otherwise.
 */
function intValue(text: string): number | undefined {
	const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)\s*$/.exec(text);
	if (!m) return undefined;
	const digits = m[2]!;
	const n = /^0[xX]/.test(digits) ? parseInt(digits, 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
	const v = m[1] === '-' ? -n : n;
	return v >= -0x80000000 && v <= 0x7fffffff ? v : undefined;
}

/** Keys the kernel shows but does not let anyone write (mode 0444). */
const READ_ONLY = /^net\.ipv[46]\.conf\.[^.]+\.mc_forwarding$/;

/** Whether a key is read-only. */
export function sysctlReadOnly(key: string): boolean {
	return READ_ONLY.test(key);
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
	if (sysctlReadOnly(key)) return refuse('EINVAL');
	if (checked && takesInteger(ns, key)) {
		const n = intValue(value);
		if (n === undefined) return refuse('EINVAL');
		// The kernel keeps the number, not how it was written.
		ns.setSysctl(key, String(n));
		return ok();
	}
	ns.setSysctl(key, value);
	return ok();
}

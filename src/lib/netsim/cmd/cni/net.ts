/** IPv4 addresses and prefixes the Go way (net.ParseIP, types.ParseCIDR, net.IPNet's String and mask). */
import { formatIpv4, maskOf, parseIpv4Strict, type Ipv4 } from '../../addr/ipv4.ts';
import { CniError, ERR } from './errors.ts';

/** An IPv4 address and prefix as Go's net.IPNet keeps them (the host bits stay, as types.ParseCIDR does). */
export interface IpNet {
	ip: Ipv4;
	len: number;
}

/** net.ParseIP for IPv4 (Go ≥ 1.17 rejects leading zeros); undefined when invalid or IPv6. */
export function parseIp(s: string): Ipv4 | undefined {
	if (/(^|\.)0\d/.test(s)) return undefined;
	const v = parseIpv4Strict(s);
	return v === null ? undefined : v;
}

/** True when the text is an IPv6 address (the simulator does not allocate those). */
export function isIpv6Text(s: string): boolean {
	return s.includes(':');
}

/** types.ParseCIDR: `invalid CIDR address: X` on failure. */
export function parseCidr(s: string): IpNet {
	const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
	const ip = m ? parseIp(m[1] as string) : undefined;
	const len = m ? Number(m[2]) : 99;
	if (m && isIpv6Text(m[1] as string)) throw new CniError(ERR.internal, `netsim: IPv6 (${s}) is not simulated`);
	if (ip === undefined || len > 32) throw new CniError(ERR.internal, `invalid CIDR address: ${s}`);
	return { ip, len };
}

/** net.IPNet.String(): `10.22.0.2/16`. */
export function cidrText(n: IpNet): string {
	return `${formatIpv4(n.ip)}/${n.len}`;
}
/** Go's net.IPMask.String(): hex of the mask bytes. */
export function maskHex(len: number): string {
	return maskOf(len).toString(16).padStart(8, '0');
}

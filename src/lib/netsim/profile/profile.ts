/**
 * The machine the simulator imitates: its kernel, the versions of its tools and how its lab is
 * wired. The same kernel state prints differently through other tool versions (iproute2 6.15
 * shows an address's protocol, iproute2 6.1 does not), and a lab's uplink is a veth in the
 * sandbox but a real NIC in a VM or on a Pi; the printers and the lab builder ask the profile.
 *
 * A profile is chosen from what a snapshot set records (`profileFor`), so `verify --engine sim`
 * prints as the tools of the snapshots it is compared with, and the in-page terminal as the
 * tools of the snapshots the page shows.
 */
import type { MachineProvenance, TargetKind } from '../../shared/machine.ts';

/** A version as numbers: `6.15.0` → [6, 15, 0]. */
export type Version = readonly number[];

/** The machine the simulator imitates. */
export interface SimProfile {
	/** In words, for messages: `Debian GNU/Linux 12 (bookworm), kernel 6.18.44-fc-v657`. */
	readonly name: string;
	/** The kernel (what it sets in netlink: an address's protocol since 5.18). */
	readonly kernel: Version;
	/** iproute2 (`ip`, `bridge`, `ss`). */
	readonly iproute2: Version;
	/** iptables (nf_tables backend). */
	readonly iptables: Version;
	/** conntrack-tools, as the OS release ships it (snapshots do not record it). */
	readonly conntrack: Version;
	/** Python 3 (`python3 -m http.server` names it in its Server header), as the OS release ships it. */
	readonly python: Version;
	/** tcpdump and its libpcap (`tcpdump --version`). */
	readonly tcpdump: Version;
	readonly libpcap: Version;
	/**
	 * iputils (`ping`), as the OS release ships it: a date as one number (20240905). From
	 * 20240905 on, a send the kernel refuses with EMSGSIZE is reported from sendmsg's errno
	 * (`ping: sendmsg: Message too long`), no longer from the socket's error queue
	 * (`ping: local error: message too long, mtu=1450`).
	 */
	readonly iputils: Version;
	/** A lab interface marked `uplink`: a veth into the hidden wires (sandbox) or a real NIC (VM, Pi). */
	readonly uplink: 'veth' | 'nic';
	/**
	 * The kernel is built with bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING, as
	 * distributions build it): every bridge and port is in VLAN 1 (default_pvid) even with
	 * filtering off, so their own addresses have a second local fdb entry, `vlan 1`. The
	 * sandbox's Firecracker kernel (`-fc-`) is built without it.
	 */
	readonly bridgeVlans: boolean;
}

/** Parses the leading `N.N.N` of a version string (`6.12.118+deb13-arm64`, `1.8.11 (nf_tables)`). */
export function parseVersion(text: string): Version {
	const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(text);
	return m ? (m[1] as string).split('.').map(Number) : [];
}

/** True when `v` is `min` or newer (missing parts count as 0). */
export function atLeast(v: Version, ...min: number[]): boolean {
	for (let i = 0; i < Math.max(v.length, min.length); i++) {
		const a = v[i] ?? 0;
		const b = min[i] ?? 0;
		if (a !== b) return a > b;
	}
	return true;
}

/** conntrack-tools, Python, tcpdump and iputils by OS release (the snapshots record the OS, not these versions). */
const BY_OS: readonly { os: RegExp; conntrack: string; python: string; tcpdump: string; libpcap: string; iputils: string }[] = [
	{ os: /debian.* 12\b|bookworm/i, conntrack: '1.4.7', python: '3.11.2', tcpdump: '4.99.3', libpcap: '1.10.3', iputils: '20221126' },
	{ os: /debian.* 13\b|trixie/i, conntrack: '1.4.8', python: '3.13.5', tcpdump: '4.99.5', libpcap: '1.10.5', iputils: '20240905' },
	{ os: /ubuntu 24\.04|noble/i, conntrack: '1.4.8', python: '3.12.3', tcpdump: '4.99.4', libpcap: '1.10.4', iputils: '20240117' },
];

/** What the book's own snapshots were recorded with: Debian 12 in this machine's sandbox. */
export const DEBIAN_12_SANDBOX: MachineProvenance = {
	kernel: '6.18.44-fc-v657',
	iproute2: '6.1.0',
	iptables: '1.8.9 (nf_tables)',
	arch: 'x86_64',
	os: 'Debian GNU/Linux 12 (bookworm)',
};

/**
 * The profile of the machine a snapshot set was recorded on: its `recorded` provenance and the
 * kind of target (`vm`: uplinks are NICs). Without a provenance, the book's own machine.
 */
export function profileFor(recorded: MachineProvenance | undefined, kind: TargetKind = 'local'): SimProfile {
	const r = recorded ?? DEBIAN_12_SANDBOX;
	const release = BY_OS.find((x) => x.os.test(r.os)) ?? (BY_OS[0] as (typeof BY_OS)[number]);
	return {
		name: `${r.os}, kernel ${r.kernel}, iproute2 ${r.iproute2}, iptables ${r.iptables}${kind === 'vm' ? ', in a VM' : ''}`,
		kernel: parseVersion(r.kernel),
		iproute2: parseVersion(r.iproute2),
		iptables: parseVersion(r.iptables),
		conntrack: parseVersion(release.conntrack),
		python: parseVersion(release.python),
		tcpdump: parseVersion(release.tcpdump),
		libpcap: parseVersion(release.libpcap),
		iputils: parseVersion(release.iputils),
		uplink: kind === 'vm' ? 'nic' : 'veth',
		bridgeVlans: !/-fc\b/.test(r.kernel),
	};
}

/** The default: the machine the book's own snapshots come from (`local`). */
export const DEFAULT_PROFILE: SimProfile = profileFor(DEBIAN_12_SANDBOX, 'local');

/** Dotted text of a version (`1.4.8`). */
export function versionText(v: Version): string {
	return v.join('.');
}

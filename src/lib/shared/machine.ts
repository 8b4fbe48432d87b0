/**
 * The machine a set of recorded outputs comes from: the tool versions a snapshot records (its
 * `recorded` provenance, src/lib/snapshot/schema.ts) and the kind of target the kernel ran on.
 * The simulator imitates such a machine (src/lib/netsim/profile/), so that it prints as the tools
 * of the snapshots it is compared with print.
 */

/** What a snapshot records about the machine that printed it (its `recorded`, without the date). */
export interface MachineProvenance {
	/** `uname -r`, e.g. `6.12.118+deb13-arm64`. */
	kernel: string;
	/** iproute2's version, e.g. `6.15.0`. */
	iproute2: string;
	/** iptables' version and backend, e.g. `1.8.11 (nf_tables)`. */
	iptables: string;
	/** `uname -m`. */
	arch: string;
	/** PRETTY_NAME of /etc/os-release, e.g. `Debian GNU/Linux 13 (trixie)`. */
	os: string;
}

/**
 * Where the kernel ran, as far as it changes what the lab looks like: `local` (this machine's
 * sandbox: every lab wire is a veth), `vm` (a QEMU VM: a lab interface marked `uplink` is a real
 * NIC, as on a Pi), `ssh` (a machine over SSH, sandboxed as locally: veths).
 */
export type TargetKind = 'local' | 'vm' | 'ssh';

/**
 * The kind of a target (`local`, `vm:arm64`, `ssh://pi@host`) or of a snapshot set named after one
 * (`vm-arm64`). Other sets (`native-arm64`) are recorded with `--save-as` by the local target.
 */
export function targetKind(targetOrSet: string): TargetKind {
	if (/^vm[:-]/.test(targetOrSet)) return 'vm';
	if (targetOrSet.startsWith('ssh:')) return 'ssh';
	return 'local';
}

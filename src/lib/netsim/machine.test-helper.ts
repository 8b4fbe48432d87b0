/** What the simulator's profile tests share: the `machine` lab and the primary's machine. */
import { profileFor, type LabDefinition } from './index.ts';

/** Debian 13 in the arm64 VM, as the primary target's snapshots record it. */
export const DEBIAN_13_VM = profileFor(
	{ kernel: '6.12.118+deb13-arm64', iproute2: '6.15.0', iptables: '1.8.11 (nf_tables)', arch: 'aarch64', os: 'Debian GNU/Linux 13 (trixie)' },
	'vm',
);

/** The `machine` lab: the pi on a home network, its router playing the internet. */
export const MACHINE: LabDefinition = {
	name: 'machine',
	hosts: [{ name: 'pi', interfaces: [{ name: 'eth0', uplink: true, address: '192.168.0.10/24' }], routes: [{ to: 'default', via: '192.168.0.1' }] }],
	upstream: { gateway: '192.168.0.1/24', internet: ['8.8.8.8', '1.1.1.1'] },
};

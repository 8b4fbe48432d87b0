// The simulator prints as the tools of the machine it imitates (src/lib/netsim/profile/): the
// book's own snapshots (Debian 12 in the sandbox) and the primary's (Debian 13 in an arm64 VM).
import { describe, expect, it } from 'vitest';
import { createLab, DEFAULT_PROFILE, profileFor, type LabDefinition } from './index.ts';
import { DEBIAN_13_VM, MACHINE } from './machine.test-helper.ts';
import { atLeast, parseVersion } from './profile/profile.ts';

function pi(profile = DEFAULT_PROFILE) {
	const lab = createLab(MACHINE, { profile });
	return (line: string): string => {
		const r = lab.exec('pi', line);
		return r.stdout + r.stderr;
	};
}

describe('profiles', () => {
	it('read versions from what a snapshot records', () => {
		expect(parseVersion('6.12.118+deb13-arm64')).toEqual([6, 12, 118]);
		expect(parseVersion('1.8.11 (nf_tables)')).toEqual([1, 8, 11]);
		expect(atLeast([6, 15, 0], 6, 4)).toBe(true);
		expect(atLeast([6, 1, 0], 6, 4)).toBe(false);
		expect(atLeast([6, 4], 6, 4, 0)).toBe(true);
		expect(DEBIAN_13_VM).toMatchObject({ iproute2: [6, 15, 0], iptables: [1, 8, 11], conntrack: [1, 4, 8], python: [3, 13, 5], uplink: 'nic', bridgeVlans: true });
		expect(DEFAULT_PROFILE).toMatchObject({ iproute2: [6, 1, 0], iptables: [1, 8, 9], conntrack: [1, 4, 7], python: [3, 11, 2], uplink: 'veth', bridgeVlans: false });
		expect(profileFor(undefined)).toEqual(DEFAULT_PROFILE);
	});
});

describe('ip addr prints the address protocol from iproute2 6.4 on', () => {
	it('Debian 12 (iproute2 6.1): no proto, neither in text nor in JSON', () => {
		const run = pi();
		expect(run('ip addr show lo')).toContain('    inet6 ::1/128 scope host \n');
		expect(run('ip addr show eth0')).toMatch(/inet6 fe80::ff:fe00:1\/64 scope link \n/);
		expect(run('ip -j addr show lo')).not.toContain('protocol');
	});

	it('Debian 13 (iproute2 6.15): kernel_lo on ::1, kernel_ll on link-locals, none on IPv4 or added addresses', () => {
		const run = pi(DEBIAN_13_VM);
		expect(run('ip addr show lo')).toBe(
			'1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
				'    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
				'    inet 127.0.0.1/8 scope host lo\n' +
				'       valid_lft forever preferred_lft forever\n' +
				'    inet6 ::1/128 scope host proto kernel_lo \n' +
				'       valid_lft forever preferred_lft forever\n',
		);
		expect(run('ip addr show eth0')).toMatch(/inet6 fe80::ff:fe00:1\/64 scope link proto kernel_ll \n/);
		expect(run('ip -o addr show lo')).toContain('1: lo    inet6 ::1/128 scope host proto kernel_lo \\       valid_lft forever preferred_lft forever\n');
		const json = JSON.parse(run('ip -j addr show lo')) as { addr_info: Record<string, unknown>[] }[];
		expect(json[0]?.addr_info.map((a) => a['protocol'])).toEqual([undefined, 'kernel_lo']);
		run('ip addr add 10.9.9.9/24 dev eth0');
		expect(run('ip addr show eth0')).toContain('    inet 10.9.9.9/24 scope global eth0\n');
	});
});

describe("the machine lab's uplink", () => {
	it('is a veth into the hidden wires in the sandbox', () => {
		expect(pi()('ip link show eth0')).toBe(
			'2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
				'    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 99\n',
		);
	});

	it('is a real NIC in a VM: no peer, no link-netnsid, the default qdisc, no link kind; still reaches the internet', () => {
		const run = pi(DEBIAN_13_VM);
		expect(run('ip link show eth0')).toBe(
			'2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\n' +
				'    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n',
		);
		expect(run('ip -j link show eth0')).not.toMatch(/link_index|link_netnsid/);
		expect(run('ip -d link show eth0')).not.toMatch(/veth|nic/);
		expect(run('ping -c 1 8.8.8.8')).toContain('1 packets transmitted, 1 received');
		expect(run('ip link del eth0')).toBe('RTNETLINK answers: Operation not supported\n');
	});
});

describe('bridge fdb with VLAN support built into the kernel', () => {
	const ports = (profile = DEFAULT_PROFILE): string => {
		const run = pi(profile);
		run('ip link add br0 address 02:00:00:00:aa:01 type bridge');
		run('ip link add p0 address 02:00:00:00:aa:02 type veth peer name q0');
		run('ip link set p0 master br0');
		return run('bridge fdb show br br0 brport p0') + run('bridge fdb show dev br0');
	};

	it('lists local entries once without it (the sandbox kernel)', () => {
		expect(ports()).toBe('02:00:00:00:aa:02 master br0 permanent\n33:33:00:00:00:01 self permanent\n33:33:00:00:00:01 self permanent\n02:00:00:00:aa:01 master br0 permanent\n');
	});

	it('adds a `vlan 1` entry before each (a distribution kernel)', () => {
		expect(ports(DEBIAN_13_VM)).toBe(
			'02:00:00:00:aa:02 vlan 1 master br0 permanent\n02:00:00:00:aa:02 master br0 permanent\n33:33:00:00:00:01 self permanent\n' +
				'33:33:00:00:00:01 self permanent\n02:00:00:00:aa:01 vlan 1 master br0 permanent\n02:00:00:00:aa:01 master br0 permanent\n',
		);
	});
});

const NODES: LabDefinition = {
	name: 'nodes',
	hosts: [{ name: 'node1', interfaces: [{ name: 'eth0', switch: 'lan', address: '192.168.56.11/24' }] }],
	switches: [{ name: 'lan' }],
};

function node1(profile = DEFAULT_PROFILE) {
	const lab = createLab(NODES, { profile });
	return (line: string): string => {
		const r = lab.exec('node1', line);
		return r.stdout + r.stderr;
	};
}

describe('the tools of Debian 12 and of Debian 13', () => {
	it('iptables -L -n: 1.8.9 prints the protocol as a number, 1.8.10 and later by name', () => {
		const rules = (profile = DEFAULT_PROFILE): string => {
			const run = node1(profile);
			run('iptables -A FORWARD -s 10.0.0.0/8 -p tcp -j ACCEPT');
			run('iptables -A FORWARD -d 10.0.0.0/8');
			return run('iptables -L FORWARD -n');
		};
		const head = 'Chain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination         \n';
		expect(rules()).toBe(`${head}ACCEPT     6    --  10.0.0.0/8           0.0.0.0/0           \n           0    --  0.0.0.0/0            10.0.0.0/8          \n`);
		expect(rules(DEBIAN_13_VM)).toBe(`${head}ACCEPT     tcp  --  10.0.0.0/8           0.0.0.0/0           \n           all  --  0.0.0.0/0            10.0.0.0/8          \n`);
	});

	it('conntrack names its own version', () => {
		expect(node1()('conntrack -L')).toBe('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n');
		expect(node1(DEBIAN_13_VM)('conntrack -L')).toBe('conntrack v1.4.8 (conntrack-tools): 0 flow entries have been shown.\n');
	});

	it('ss has a Process column without -p only before iproute2 6.8', () => {
		const listen = (profile = DEFAULT_PROFILE): string => {
			const run = node1(profile);
			run('python3 -m http.server 80 >/dev/null 2>&1 &');
			return run('ss -ltn');
		};
		expect(listen()).toBe('State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0      5            0.0.0.0:80        0.0.0.0:*          \n');
		expect(listen(DEBIAN_13_VM)).toBe('State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0      5            0.0.0.0:80        0.0.0.0:*   \n');
	});

	it('ping: a packet over the route’s MTU with DF set, as iputils 20221126 and 20240905 report it', () => {
		const tooBig = (profile = DEFAULT_PROFILE) => {
			const lab = createLab(MACHINE, { profile });
			lab.exec('pi', 'ip link set eth0 mtu 1400');
			return lab.exec('pi', 'ping -c 1 -M do -s 1472 192.168.0.1');
		};
		const stats = '\n--- 192.168.0.1 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n';
		expect(tooBig()).toMatchObject({ stdout: `PING 192.168.0.1 (192.168.0.1) 1472(1500) bytes of data.\n${stats}`, stderr: 'ping: local error: message too long, mtu=1400\n', exit: 1 });
		expect(tooBig(DEBIAN_13_VM)).toMatchObject({ stdout: `PING 192.168.0.1 (192.168.0.1) 1472(1500) bytes of data.\n${stats}`, stderr: 'ping: sendmsg: Message too long\n', exit: 1 });
		expect(DEFAULT_PROFILE.iputils).toEqual([20221126]);
		expect(DEBIAN_13_VM.iputils).toEqual([20240905]);
	});

	it('ip -d link: a VXLAN device as iproute2 6.1 and 6.15 print it', () => {
		const details = (profile = DEFAULT_PROFILE): string => {
			const run = node1(profile);
			run('ip link add flannel.1 address 02:00:00:00:bb:01 type vxlan id 1 local 192.168.56.11 dev eth0 dstport 8472 nolearning');
			return run('ip -d link show flannel.1').split('\n').slice(1).join('\n');
		};
		expect(details()).toBe(
			'    link/ether 02:00:00:00:bb:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
				'    vxlan id 1 local 192.168.56.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
		);
		expect(details(DEBIAN_13_VM)).toBe(
			'    link/ether 02:00:00:00:bb:01 brd ff:ff:ff:ff:ff:ff promiscuity 0 allmulti 0 minmtu 68 maxmtu 65535 \n' +
				'    vxlan id 1 local 192.168.56.11 dev eth0 srcport 0 0 dstport 8472 ttl auto ageing 300 nolearning addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 gso_ipv4_max_size 65536 gro_ipv4_max_size 65536 \n',
		);
	});
});

describe('ip link set DEV netns PID', () => {
	// iproute2 6.12 (a597ab15) opens /proc/PID/ns/net itself instead of sending the PID: a PID it
	// cannot open is a bad value, before the kernel is asked (chapter 5's rootless block on the VM).
	const rootless = "setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user --net sh -c 'ip link add v-a type veth peer name v-b; ip link set v-b netns 1'";
	it('iproute2 6.1 sends the PID: ESRCH for none, EPERM for the host as a user namespace', () => {
		expect(pi()('ip link set eth0 netns 12345')).toBe('RTNETLINK answers: No such process\n');
		expect(pi()(rootless)).toBe('RTNETLINK answers: Operation not permitted\n');
	});

	it('iproute2 6.15 opens /proc/PID/ns/net: an invalid value when it cannot', () => {
		expect(pi(DEBIAN_13_VM)('ip link set eth0 netns 12345')).toBe('Error: argument "12345" is wrong: Invalid "netns" value\n\n');
		expect(pi(DEBIAN_13_VM)(rootless)).toBe('Error: argument "1" is wrong: Invalid "netns" value\n\n');
		const run = pi(DEBIAN_13_VM);
		run('ip link add v-a type veth peer name v-b');
		expect(run('ip link set v-b netns 1')).toBe('');
	});
});

describe('iptables -L -v: policy counters', () => {
	const policy = (profile = DEFAULT_PROFILE): string => {
		const run = pi(profile);
		run('iptables -A INPUT -s 10.9.9.9 -j DROP');
		run('ping -c 1 8.8.8.8');
		return run('iptables -L INPUT -n -v').split('\n')[0] as string;
	};

	it('read 0 through iptables-nft 1.8.9, the packets the policy decided from 1.8.10 on', () => {
		expect(policy()).toBe('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)');
		expect(policy(DEBIAN_13_VM)).toBe('Chain INPUT (policy ACCEPT 1 packets, 84 bytes)');
	});
});

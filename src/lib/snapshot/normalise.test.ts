import { describe, expect, it } from 'vitest';
import { createNormaliseContext, normaliseOutput, normaliseVolatile } from './normalise.ts';

const IP_LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 99
3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 4e:8a:02:3b:12:34 brd ff:ff:ff:ff:ff:ff link-netns red
`;

describe('MAC addresses', () => {
	it('numbers MACs by first appearance and keeps the all-zero and broadcast ones', () => {
		expect(normaliseOutput(IP_LINK)).toBe(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether <mac1> brd ff:ff:ff:ff:ff:ff link-netnsid 99
3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether <mac2> brd ff:ff:ff:ff:ff:ff link-netns red
`);
	});

	it('gives the same MAC the same token, in any case', () => {
		expect(normaliseOutput('a 4e:8a:02:3b:12:34 b 0a:0b:0c:0d:0e:0f c 4E:8A:02:3B:12:34')).toBe('a <mac1> b <mac2> c <mac1>');
	});

	it('makes two runs with different random MACs but the same structure equal', () => {
		const other = IP_LINK.replace('4e:8a:02:3b:12:34', 'b2:17:c0:99:00:ad');
		expect(normaliseOutput(other)).toBe(normaliseOutput(IP_LINK));
	});

	it('keeps a different relationship between MACs different', () => {
		const same = 'veth0 4e:8a:02:3b:12:34\nbr0 4e:8a:02:3b:12:34\n';
		const notSame = 'veth0 4e:8a:02:3b:12:34\nbr0 b2:17:c0:99:00:ad\n';
		expect(normaliseOutput(same)).not.toBe(normaliseOutput(notSame));
	});

	it('shares numbering across texts through a context', () => {
		const ctx = createNormaliseContext();
		expect(normaliseOutput('lladdr 4e:8a:02:3b:12:34', ctx)).toBe('lladdr <mac1>');
		expect(normaliseOutput('lladdr b2:17:c0:99:00:ad lladdr 4e:8a:02:3b:12:34', ctx)).toBe('lladdr <mac2> lladdr <mac1>');
		expect(normaliseOutput('lladdr b2:17:c0:99:00:ad')).toBe('lladdr <mac1>');
	});

	it('masks MACs inside ip -j JSON', () => {
		expect(normaliseOutput('[{"ifname":"eth0","address":"4e:8a:02:3b:12:34","broadcast":"ff:ff:ff:ff:ff:ff"}]')).toBe(
			'[{"ifname":"eth0","address":"<mac1>","broadcast":"ff:ff:ff:ff:ff:ff"}]',
		);
	});

	it('keeps multicast MACs that stand for a fixed group', () => {
		const fdb = '33:33:00:00:00:01 dev veth0 self permanent\n01:00:5e:00:00:01 dev veth0 self permanent\n01:80:c2:00:00:00 dev br0\n';
		expect(normaliseOutput(fdb)).toBe(fdb);
	});

	it('ties solicited-node multicast MACs to the MAC they derive from', () => {
		const fdb = '4e:8a:02:3b:12:34 dev veth0 master br0 permanent \n33:33:ff:3b:12:34 dev veth0 self permanent \n';
		expect(normaliseOutput(fdb)).toBe('<mac1> dev veth0 master br0 permanent \n33:33:ff:<mac1> dev veth0 self permanent \n');
		expect(normaliseOutput('33:33:ff:aa:bb:cc self\n33:33:ff:aa:bb:cc again')).toBe('33:33:ff:<sn1> self\n33:33:ff:<sn1> again');
	});
});

describe('addresses derived from MACs', () => {
	it('masks EUI-64 link-local addresses with the token of their MAC', () => {
		const text = '    link/ether 4e:8a:02:3b:12:34 brd ff:ff:ff:ff:ff:ff\n    inet6 fe80::4c8a:2ff:fe3b:1234/64 scope link \n';
		expect(normaliseOutput(text)).toBe('    link/ether <mac1> brd ff:ff:ff:ff:ff:ff\n    inet6 fe80::<mac1>/64 scope link \n');
	});

	it('numbers a link-local seen before its MAC as that MAC', () => {
		expect(normaliseOutput('fe80::4c8a:2ff:fe3b:1234 then 4e:8a:02:3b:12:34')).toBe('fe80::<mac1> then <mac1>');
	});

	it('handles the infrastructure MACs and their compressed link-locals', () => {
		expect(normaliseOutput('02:00:00:00:00:01 fe80::ff:fe00:1/64')).toBe('<mac1> fe80::<mac1>/64');
	});

	it('masks the solicited-node IPv6 address too', () => {
		expect(normaliseOutput('4e:8a:02:3b:12:34 ff02::1:ff3b:1234')).toBe('<mac1> ff02::1:ff<mac1>');
	});

	it('keeps IPv6 addresses that are not derived from a MAC', () => {
		const text = 'inet6 ::1/128 scope host \ninet6 fe80::1/64 scope link \ninet6 2001:db8::10/64 scope global \nff02::1 ff02::2\n';
		expect(normaliseOutput(text)).toBe(text);
	});

	it('masks EUI-64 addresses outside fe80::/64, keeping the prefix', () => {
		expect(normaliseOutput('2001:db8:1:0:4c8a:2ff:fe3b:1234/64')).toBe('2001:db8:1:0:<mac1>/64');
	});

	it('masks bridge ids from ip -d link and brctl', () => {
		const ipd = 'bridge_id 8000.4e:8a:2:3b:12:34 designated_root 8000.4e:8a:2:3b:12:34 root_port 0';
		expect(normaliseOutput(ipd)).toBe('bridge_id 8000.<mac1> designated_root 8000.<mac1> root_port 0');
		expect(normaliseOutput('br0\t\t8000.4e8a023b1234\tno\t\tveth0')).toBe('br0\t\t8000.<mac1>\tno\t\tveth0');
	});

	it('numbers random CNI veth names', () => {
		expect(normaliseOutput('4: veth16e76a13@if2: …\n"name": "veth16e76a13"\nveth0a1b2c3d\nveth-alice')).toBe(
			'4: <veth1>@if2: …\n"name": "<veth1>"\n<veth2>\nveth-alice',
		);
	});
});

describe('per-run values', () => {
	it('masks ping times, the summary time and the rtt line', () => {
		const ping = `PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.
64 bytes from 192.168.1.2: icmp_seq=1 ttl=64 time=0.087 ms
64 bytes from 192.168.1.2: icmp_seq=2 ttl=64 time=12.3 ms

--- 192.168.1.2 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1002ms
rtt min/avg/max/mdev = 0.087/6.193/12.300/6.106 ms
`;
		expect(normaliseOutput(ping)).toBe(`PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.
64 bytes from 192.168.1.2: icmp_seq=1 ttl=64 time=<time> ms
64 bytes from 192.168.1.2: icmp_seq=2 ttl=64 time=<time> ms

--- 192.168.1.2 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time <time>ms
rtt min/avg/max/mdev = <rtt> ms
`);
	});

	it('keeps what ping says about loss, errors, ttl and sequence', () => {
		const lost = `From 192.168.1.1 icmp_seq=1 Destination Host Unreachable

--- 192.168.1.9 ping statistics ---
1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms

`;
		expect(normaliseOutput(lost)).toBe(lost.replace('time 0ms', 'time <time>ms'));
	});

	it('masks conntrack timeouts, ICMP ids and ephemeral ports, not service ports', () => {
		const ct = `icmp     1 29 src=192.168.25.1 dst=8.8.8.8 type=8 code=0 id=105 src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=105 mark=0 use=1
tcp      6 119 TIME_WAIT src=192.168.0.10 dst=192.168.0.10 sport=58700 dport=8080 src=172.17.0.2 dst=192.168.0.10 sport=80 dport=58700 [ASSURED] mark=0 use=1
udp      17 28 src=10.0.0.2 dst=10.96.0.10 sport=53 dport=30080 [UNREPLIED] src=10.96.0.10 dst=10.0.0.2 sport=30080 dport=53 mark=0 use=1
`;
		expect(normaliseOutput(ct)).toBe(`icmp     1 <timeout> src=192.168.25.1 dst=8.8.8.8 type=8 code=0 id=<id> src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=<id> mark=0 use=1
tcp      6 <timeout> TIME_WAIT src=192.168.0.10 dst=192.168.0.10 sport=<port> dport=8080 src=172.17.0.2 dst=192.168.0.10 sport=80 dport=<port> [ASSURED] mark=0 use=1
udp      17 <timeout> src=10.0.0.2 dst=10.96.0.10 sport=53 dport=30080 [UNREPLIED] src=10.96.0.10 dst=10.0.0.2 sport=30080 dport=53 mark=0 use=1
`);
	});

	it('keeps the conntrack summary (it counts flows)', () => {
		const s = 'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n';
		expect(normaliseOutput(s)).toBe(s);
	});

	it('masks iptables-save timestamps', () => {
		expect(normaliseOutput('# Generated by iptables-save v1.8.9 (nf_tables) on Thu Nov 26 06:42:49 2026\n*nat\nCOMMIT\n# Completed on Thu Nov 26 06:42:49 2026\n')).toBe(
			'# Generated by iptables-save v1.8.9 (nf_tables) on <date>\n*nat\nCOMMIT\n# Completed on <date>\n',
		);
	});

	it('masks tcpdump timestamps, ids and ephemeral ports', () => {
		expect(normaliseVolatile('06:42:49.123456 IP 10.0.0.2.45678 > 10.0.0.1.80: Flags [S]\n06:42:49.123999 IP 10.0.0.1 > 10.0.0.2: ICMP echo reply, id 4242, seq 1, length 64\n')).toBe(
			'<time> IP 10.0.0.2.<port> > 10.0.0.1.80: Flags [S]\n<time> IP 10.0.0.1 > 10.0.0.2: ICMP echo reply, id <id>, seq 1, length 64\n',
		);
	});

	it('masks bridge timers and curl timeouts', () => {
		expect(normaliseOutput('hello_timer    0.00 tcn_timer    0.00 gc_timer  235.34 ')).toBe('hello_timer <timer> tcn_timer <timer> gc_timer <timer> ');
		expect(normaliseOutput('"gc_timer":23534,"hello_timer":0')).toBe('"gc_timer":"<timer>","hello_timer":"<timer>"');
		expect(normaliseOutput('curl: (28) Connection timed out after 2001 milliseconds')).toBe('curl: (28) Connection timed out after <ms> milliseconds');
	});
});

describe('nothing structural is masked', () => {
	it.each([
		['ip route', 'default via 192.168.0.1 dev eth0 \n192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.10 \n'],
		['ip neigh', '192.168.1.2 dev eth0 FAILED \n192.168.1.3 dev eth0 INCOMPLETE \n'],
		['iptables -L -n -v', 'Chain FORWARD (policy DROP 3 packets, 252 bytes)\n pkts bytes target     prot opt in     out     source               destination\n    2   168 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0\n'],
		['ip netns list', 'blue (id: 1)\nred (id: 0)\n'],
		['errors', 'Cannot find device "eth9"\nRTNETLINK answers: File exists\nError: Unknown device type.\n\n'],
		['times of day', 'up 12:34:56, load average 0.00\n'],
		['sysctl', 'net.ipv4.ip_forward = 1\n'],
	])('%s stays as printed', (_, text) => {
		expect(normaliseOutput(text)).toBe(text);
	});

	it('tells a changed flag, state, count or ifindex apart', () => {
		const base = '3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n    link/ether 4e:8a:02:3b:12:34\n';
		for (const changed of [
			base.replace('UP,LOWER_UP', 'UP'),
			base.replace('state UP', 'state DOWN'),
			base.replace('3:', '4:'),
			base.replace('@if2', '@if3'),
			base.replace('mtu 1500', 'mtu 1450'),
			`${base}    inet 10.0.0.1/24 scope global veth0\n`,
		])
			expect(normaliseOutput(changed)).not.toBe(normaliseOutput(base));
	});

	it('keeps trailing spaces and empty lines', () => {
		expect(normaliseOutput('a \n\nb\n')).toBe('a \n\nb\n');
	});

	it('numbers namespace inodes by first appearance, so the same namespace keeps its number, and masks /proc PIDs', () => {
		const ctx = createNormaliseContext();
		expect(normaliseOutput('net:[4026532379]\n', ctx)).toBe('net:[<ns1>]\n');
		expect(normaliseOutput('net:[4026532444]\n', ctx)).toBe('net:[<ns2>]\n');
		expect(normaliseOutput('4026532444 net       1 unassigned      sleep 600\n', ctx)).toBe('<ns2> net       1 unassigned      sleep 600\n');
		expect(normaliseOutput('net:[4026532379]\n', ctx)).toBe('net:[<ns1>]\n');
		expect(normaliseOutput('"sandbox": "/proc/347/ns/net"')).toBe('"sandbox": "/proc/<pid>/ns/net"');
		// Two different namespaces never read as one, and other numbers stay.
		expect(normaliseOutput('net:[4026532379] net:[4026532380]')).toBe('net:[<ns1>] net:[<ns2>]');
		expect(normaliseOutput('1 packets, 84 bytes; pid 347')).toBe('1 packets, 84 bytes; pid 347');
	});
});

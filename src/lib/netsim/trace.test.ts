import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const TWO_HOSTS: LabDefinition = {
	name: 'two-hosts',
	hosts: [
		{ name: 'alice', interfaces: [{ name: 'eth0', switch: 'switch1' }] },
		{ name: 'bob', interfaces: [{ name: 'eth0', switch: 'switch1' }] },
	],
	switches: [{ name: 'switch1' }],
};

describe('packet traces of ping between hosts and routers', () => {
	it('walks an echo request through the lab switch, ARP first, and its reply back', () => {
		const lab = createLab(TWO_HOSTS);
		lab.exec('alice', 'ip addr add 192.168.1.1/24 dev eth0');
		lab.exec('bob', 'ip addr add 192.168.1.2/24 dev eth0');
		const r = lab.exec('alice', 'ping -c 1 192.168.1.2');
		expect(r.trace?.outcome).toBe('replied');
		expect(r.trace?.steps.map((s) => `${s.kind}/${s.leg}`)).toEqual([
			'send/request', 'route/request', 'arp/arp', 'wire/arp', 'bridge/arp', 'arp/arp', 'wire/arp', 'bridge/arp',
			'wire/request', 'bridge/request', 'deliver/request', 'route/reply', 'arp/reply', 'wire/reply', 'bridge/reply', 'deliver/reply',
		]);
		expect(r.trace?.steps[4]).toMatchObject({ at: { switch: 'switch1' }, to: { host: 'bob', netns: '', dev: 'eth0' } });
		expect(r.trace?.steps[1]?.route?.matched).toBe('192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1');
		// Frames carry their MACs: the ARP broadcast, then the echo request to bob's MAC.
		expect(r.trace?.steps[3]?.packet).toEqual({ what: 'arp request', src: '192.168.1.1', dst: '192.168.1.2', srcMac: '02:00:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff' });
		expect(r.trace?.steps[9]?.packet).toMatchObject({ what: 'icmp echo-request', srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02' });
	});

	it('says where a packet dies: no route, and a silent router with forwarding off', () => {
		const lab = createLab(TWO_HOSTS);
		lab.exec('alice', 'ip addr add 192.168.1.1/24 dev eth0');
		const none = lab.exec('alice', 'ping -c 1 -W 1 10.9.9.9');
		expect(none.exit).toBe(2);
		expect(none.trace?.steps.at(-1)).toMatchObject({ kind: 'drop', reason: 'no-route' });
		expect(none.trace?.summary).toBe('No echo request was sent: connect() failed (Network is unreachable) before ping built one.');
		lab.exec('bob', 'ip addr add 192.168.1.2/24 dev eth0');
		lab.exec('alice', 'ip route add 10.0.0.0/8 via 192.168.1.2');
		const fwd = lab.exec('alice', 'ping -c 1 -W 1 10.9.9.9');
		expect(fwd.trace?.outcome).toBe('dropped');
		expect(fwd.trace?.steps.at(-1)).toMatchObject({ kind: 'drop', reason: 'forwarding-off', at: { host: 'bob' } });
	});

	it('tags the drop at a router with forwarding off as the echo request’s, after the ARP exchange', () => {
		const lab = createLab(FORWARDING);
		const r = lab.exec('alice', 'ping -c 1 -W 1 192.168.2.2');
		expect(r.trace?.steps.map((s) => `${s.kind}/${s.leg}`)).toEqual([
			'send/request', 'route/request', 'arp/arp', 'wire/arp', 'bridge/arp', 'arp/arp', 'wire/arp', 'bridge/arp', 'wire/request', 'bridge/request', 'drop/request',
		]);
		expect(r.trace?.steps.at(-1)).toMatchObject({ kind: 'drop', leg: 'request', reason: 'forwarding-off', at: { host: 'eve', netns: '', dev: 'eth0' } });
	});

	it('says that reverse-path filtering dropped a reply whose way back is another interface, and where that way leads', () => {
		const lab = createLab(FORWARDING);
		lab.exec('eve', 'sysctl -w net.ipv4.conf.all.rp_filter=1');
		lab.exec('alice', 'ip addr add 10.9.9.1/24 dev eth0');
		lab.exec('eve', 'ip route add 10.9.9.0/24 via 192.168.2.2');
		const r = lab.exec('eve', 'ping -c 1 -W 1 -I eth0 10.9.9.1');
		expect(r.exit).toBe(1);
		// The request reached Alice; her reply died on the way back in.
		expect(r.trace?.outcome).toBe('delivered');
		expect(r.trace?.steps.at(-1)).toMatchObject({
			kind: 'drop',
			leg: 'reply',
			reason: 'rp-filter',
			at: { host: 'eve', netns: '', dev: 'eth0' },
			text: 'Eve would send a packet back to 10.9.9.1 out of eth1, not eth0 where this one arrived: reverse-path filtering (net.ipv4.conf.eth0.rp_filter is in effect as 1) drops it silently.',
		});
		lab.exec('eve', 'sysctl -w net.ipv4.conf.eth0.rp_filter=2');
		expect(lab.exec('eve', 'ping -c 1 -W 1 -I eth0 10.9.9.1').trace?.outcome).toBe('replied');
	});

	it('checks forwarding on the interface a packet comes in on: eth1 alone off drops the replies', () => {
		const lab = createLab(FORWARDING);
		lab.exec('eve', 'sysctl -w net.ipv4.ip_forward=1');
		expect(lab.exec('eve', 'sysctl -w net.ipv4.conf.eth1.forwarding=0').stdout).toBe('net.ipv4.conf.eth1.forwarding = 0\n');
		expect(lab.exec('eve', 'sysctl net.ipv4.conf.eth0.forwarding').stdout).toBe('net.ipv4.conf.eth0.forwarding = 1\n');
		expect(lab.exec('eve', 'ip route get 192.168.2.2 from 192.168.1.1 iif eth0').exit).toBe(0);
		expect(lab.exec('eve', 'ip route get 192.168.1.1 from 192.168.2.2 iif eth1').stderr).toBe('RTNETLINK answers: No route to host\n');
		const r = lab.exec('alice', 'ping -c 1 -W 1 192.168.2.2');
		expect(r.exit).toBe(1);
		// The request went out through eth0; Bob's reply died coming in on eth1, without an error.
		expect(r.trace?.steps.at(-1)).toMatchObject({
			kind: 'drop',
			leg: 'reply',
			reason: 'forwarding-off',
			at: { host: 'eve', netns: '', dev: 'eth1' },
			text: 'Eve is not the destination and does not forward what arrives on eth1 (net.ipv4.conf.eth1.forwarding = 0): it drops the packet silently.',
		});
		lab.exec('eve', 'sysctl -w net.ipv4.conf.eth1.forwarding=1');
		expect(lab.exec('alice', 'ping -c 1 192.168.2.2').exit).toBe(0);
	});
});

describe('packet traces of ping through bridges, NAT, STP and filters', () => {
	it('walks a namespace behind a bridge out through MASQUERADE: the bridge’s own address, the rule, the rewrite, the reply to the namespace', () => {
		const lab = createLab(MACHINE);
		for (const line of CHAPTER_7) expect(lab.exec('pi', line).exit, line).toBe(0);
		const r = lab.exec('pi', 'ip netns exec alice ping -c 1 8.8.8.8');
		const steps = r.trace?.steps ?? [];
		expect(steps.map((s) => `${s.kind}/${s.leg}`)).toEqual([
			'send/request', 'route/request', 'arp/arp', 'wire/arp', 'bridge/arp', 'arp/arp', 'bridge/arp', 'wire/arp',
			'wire/request', 'bridge/request', 'route/request', 'forward/request', 'nat/request', 'arp/arp', 'wire/arp', 'wire/arp', 'wire/request', 'deliver/request',
			'wire/reply', 'nat/reply', 'route/reply', 'forward/reply', 'arp/reply', 'bridge/reply', 'wire/reply', 'deliver/reply',
		]);
		expect(r.trace?.summary).toBe('The echo request reached 8.8.8.8 and the reply came back to the namespace alice on pi.');
		// The frame for the gateway is addressed to v-br-0 itself: up to pi's IP stack, not out of a port.
		const up = steps[9]!;
		expect(up).toMatchObject({ kind: 'bridge', at: { host: 'pi', netns: '', dev: 'v-br-0' }, packet: { what: 'icmp echo-request', src: '192.168.25.1', dst: '8.8.8.8' } });
		expect(up.to).toBeUndefined();
		expect(up.text).toMatch(/v-br-0’s own address .* delivered up to the bridge’s own IP stack in pi/);
		expect(up.packet?.dstMac).toBe(steps[5]!.text.match(/its own, ([0-9a-f:]{17})/)![1]);
		expect(steps[4]).toMatchObject({ kind: 'bridge', at: { dev: 'v-br-0' }, text: 'The bridge v-br-0 has no other port to flood the broadcast to: it delivers it up to its own stack in pi.' });
		expect(steps[12]).toMatchObject({
			kind: 'nat',
			text: 'MASQUERADE: source 192.168.25.1 → 192.168.0.10 (the address of eth0), remembered by conntrack.',
			netfilter: { table: 'nat', chain: 'POSTROUTING', rule: '-A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE', verdict: 'MASQUERADE' },
			rewrite: { field: 'src', from: '192.168.25.1', to: '192.168.0.10' },
			packet: { src: '192.168.0.10', dst: '8.8.8.8', ttl: 63 },
		});
		expect(steps[19]?.netfilter).toBeUndefined();
		expect(steps[19]).toMatchObject({ kind: 'nat', text: 'Conntrack recognises the reply and undoes the NAT: destination 192.168.0.10 → 192.168.25.1.', rewrite: { field: 'dst', from: '192.168.0.10', to: '192.168.25.1' } });
		// The rule text is iptables -S's own.
		expect(lab.exec('pi', 'iptables -t nat -S POSTROUTING').stdout).toContain(`${steps[12]!.netfilter!.rule}\n`);
	});

	it('says where STP holds a frame back: a listening port takes nothing in, a learning one learns and drops', () => {
		const lab = createLab(MACHINE);
		for (const line of ['ip link add br0 type bridge stp_state 1', 'ip link set br0 up', 'ip addr add 192.168.77.1/24 dev br0', 'ip netns add a', 'ip link add vx type veth peer name vy netns a', 'ip -n a addr add 192.168.77.2/24 dev vy', 'ip -n a link set vy up', 'ip link set vx master br0 up'])
			expect(lab.exec('pi', line).exit, line).toBe(0);
		const listening = lab.exec('pi', 'ip netns exec a ping -c 1 -W 1 192.168.77.1');
		expect(listening.exit).toBe(1);
		const held = (r: typeof listening) => r.trace?.steps.find((s) => s.kind === 'drop' && s.reason === 'other');
		expect(held(listening)).toMatchObject({
			leg: 'arp',
			at: { host: 'pi', netns: '', dev: 'vx' },
			text: 'STP holds the frame back at vx: the port is listening, and the bridge br0 takes nothing in from it until it forwards (after listening, then learning, for forward_delay each).',
		});
		lab.exec('pi', 'sleep 16');
		expect(held(lab.exec('pi', 'ip netns exec a ping -c 1 -W 1 192.168.77.1'))?.text).toMatch(/^STP holds the frame back at vx: the port is learning, so the bridge br0 learns where [0-9a-f:]{17} is but forwards nothing from it yet\.$/);
		lab.exec('pi', 'sleep 15');
		expect(lab.exec('pi', 'ip netns exec a ping -c 1 -W 1 192.168.77.1').trace?.outcome).toBe('replied');
	});

	it('walks a ping between macvlan siblings: the broadcast copied, then frames handed across without the wire', () => {
		const lab = createLab(MACHINE);
		for (const line of ['ip netns add charlie', 'ip link add mv-charlie link eth0 type macvlan mode bridge', 'ip link set mv-charlie netns charlie', 'ip -n charlie addr add 192.168.0.50/24 dev mv-charlie', 'ip -n charlie link set mv-charlie up'])
			expect(lab.exec('pi', line).exit, line).toBe(0);
		// From the parent itself: out to the wire, where nobody answers for 192.168.0.50.
		const parent = lab.exec('pi', 'ping -c 1 -W 5 192.168.0.50');
		expect(parent.trace?.steps.map((s) => `${s.kind}/${s.leg}`)).toEqual(['send/request', 'route/request', 'arp/arp', 'wire/arp', 'drop/request']);
		for (const line of ['ip link add mv-host link eth0 type macvlan mode bridge', 'ip addr add 192.168.0.51/32 dev mv-host', 'ip link set mv-host up', 'ip route add 192.168.0.50 dev mv-host'])
			expect(lab.exec('pi', line).exit, line).toBe(0);
		const r = lab.exec('pi', 'ping -c 1 192.168.0.50');
		expect(r.trace?.outcome).toBe('replied');
		const steps = r.trace?.steps ?? [];
		expect(steps.map((s) => `${s.kind}/${s.leg}`)).toEqual([
			'send/request', 'route/request', 'arp/arp', 'bridge/arp', 'arp/arp', 'bridge/arp', 'bridge/request', 'deliver/request', 'route/reply', 'arp/reply', 'bridge/reply', 'deliver/reply',
		]);
		expect(steps[3]).toMatchObject({ at: { host: 'pi', netns: '', dev: 'mv-host' }, to: { host: 'pi', netns: 'charlie', dev: 'mv-charlie' }, text: 'The ARP request is a broadcast: it goes out of eth0 to the wire, and the macvlan driver hands a copy to every other macvlan on eth0 in bridge mode (mv-charlie in charlie).' });
		expect(steps[6]).toMatchObject({ at: { dev: 'mv-host' }, to: { netns: 'charlie', dev: 'mv-charlie' }, packet: { what: 'icmp echo-request', src: '192.168.0.51', dst: '192.168.0.50' } });
		expect(steps[6]?.text).toMatch(/^The echo request is for [0-9a-f:]{17}, the address of mv-charlie, another macvlan on eth0 in bridge mode: the macvlan driver hands it straight across to mv-charlie in charlie, without putting it on eth0’s wire\.$/);
	});

	it('names the rule a filter chain dropped the packet by, or its policy, as iptables -S prints them', () => {
		const lab = createLab(MACHINE);
		for (const line of CHAPTER_7) lab.exec('pi', line);
		lab.exec('pi', 'iptables -N BLOCK');
		lab.exec('pi', 'iptables -A BLOCK -d 1.1.1.1 -j DROP');
		lab.exec('pi', 'iptables -A FORWARD -j BLOCK');
		const byRule = lab.exec('pi', 'ip netns exec alice ping -c 1 -W 1 1.1.1.1').trace?.steps ?? [];
		expect(byRule.slice(-2).map((s) => `${s.kind}/${s.leg}`)).toEqual(['netfilter/request', 'drop/request']);
		expect(byRule.at(-2)).toMatchObject({ text: 'The FORWARD chain of pi’s filter table jumps to BLOCK, whose rule says DROP.', netfilter: { table: 'filter', chain: 'BLOCK', rule: '-A BLOCK -d 1.1.1.1/32 -j DROP', verdict: 'DROP' } });
		lab.exec('pi', 'iptables -F FORWARD');
		lab.exec('pi', 'iptables -P FORWARD DROP');
		const byPolicy = lab.exec('pi', 'ip netns exec alice ping -c 1 -W 1 1.1.1.1').trace?.steps ?? [];
		expect(byPolicy.at(-2)).toMatchObject({ kind: 'netfilter', netfilter: { table: 'filter', chain: 'FORWARD', rule: '-P FORWARD DROP', verdict: 'DROP' } });
	});
});

const FORWARDING: LabDefinition = {
	name: 'forwarding',
	hosts: [
		{ name: 'alice', interfaces: [{ name: 'eth0', switch: 'switch1', address: '192.168.1.1/24' }], routes: [{ to: 'default', via: '192.168.1.3' }] },
		{ name: 'eve', interfaces: [{ name: 'eth0', switch: 'switch1', address: '192.168.1.3/24' }, { name: 'eth1', switch: 'switch2', address: '192.168.2.3/24' }] },
		{ name: 'bob', interfaces: [{ name: 'eth0', switch: 'switch2', address: '192.168.2.2/24' }], routes: [{ to: 'default', via: '192.168.2.3' }] },
	],
	switches: [{ name: 'switch1' }, { name: 'switch2' }],
};

const MACHINE: LabDefinition = {
	name: 'machine',
	hosts: [{ name: 'pi', interfaces: [{ name: 'eth0', uplink: true, address: '192.168.0.10/24' }], routes: [{ to: 'default', via: '192.168.0.1' }] }],
	upstream: { gateway: '192.168.0.1/24', internet: ['8.8.8.8', '1.1.1.1'] },
};

/** Chapter 7 up to its MASQUERADE rule: alice behind pi's bridge v-br-0, pi routing and masquerading. */
const CHAPTER_7 = [
	'ip netns add alice',
	'ip link add v-br-0 type bridge',
	'ip link set v-br-0 up',
	'ip link add veth-alice type veth peer name veth-alice-br',
	'ip link set veth-alice netns alice',
	'ip link set veth-alice-br master v-br-0',
	'ip link set veth-alice-br up',
	'ip -n alice link set veth-alice up',
	'ip -n alice addr add 192.168.25.1/24 dev veth-alice',
	'ip addr add 192.168.25.5/24 dev v-br-0',
	'ip -n alice route add default via 192.168.25.5',
	'sysctl -w net.ipv4.ip_forward=1',
	'iptables -t nat -A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE',
];

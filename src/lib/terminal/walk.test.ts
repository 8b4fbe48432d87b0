import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLab } from '../netsim/index.ts';
import { toTopology } from '../topology/index.ts';
import { TWO_HOSTS } from './fake-engine.test-helper.ts';
import type { PacketTrace } from '../shared/trace.ts';
import { isPacketTrace } from '../shared/trace.ts';
import { packetLeft, placeIds, stepText, walkOf, walkTitle } from './walk.ts';

const snapshot = JSON.parse(readFileSync(new URL('../../../content/snapshots/01-two-machines-and-a-switch.json', import.meta.url), 'utf8')) as {
	blocks: { state?: unknown }[];
};
const state = snapshot.blocks.find((b) => b.state)!.state;
const topology = toTopology(state, TWO_HOSTS);

/** What the simulator should record for `ping -c 1 192.168.1.2` on alice (docs/terminal.md). */
const ALICE_PINGS_BOB: PacketTrace = {
	command: 'ping -c 1 192.168.1.2',
	host: 'alice',
	summary: 'The echo request reached bob, and his reply came back to alice.',
	outcome: 'replied',
	steps: [
		{ kind: 'send', leg: 'request', at: { host: 'alice', netns: '' }, text: 'ping hands an ICMP echo request for 192.168.1.2 to the kernel.', packet: { what: 'icmp echo-request', src: '192.168.1.1', dst: '192.168.1.2', ttl: 64 } },
		{ kind: 'route', leg: 'request', at: { host: 'alice', netns: '', dev: 'eth0' }, text: 'Route lookup for 192.168.1.2: directly connected on eth0.', route: { table: 'main', matched: '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1 ', alsoMatched: ['default via 192.168.1.254 dev eth0'] } },
		{ kind: 'arp', leg: 'arp', at: { host: 'alice', netns: '', dev: 'eth0' }, text: 'No neighbour entry for 192.168.1.2: alice broadcasts "who has 192.168.1.2?"' },
		{ kind: 'wire', leg: 'arp', at: { host: 'alice', netns: '', dev: 'eth0' }, to: { switch: 'switch1' }, text: 'The broadcast goes down the cable into switch1.' },
		{ kind: 'bridge', leg: 'arp', at: { switch: 'switch1' }, to: { host: 'bob', netns: '', dev: 'eth0' }, text: 'switch1 floods it to every other port.' },
		{ kind: 'deliver', leg: 'request', at: { host: 'bob', netns: '', dev: 'eth0' }, text: 'bob answers the echo request.' },
		{ kind: 'drop', leg: 'reply', at: { host: 'alice', netns: '' }, text: 'example drop', reason: 'netfilter', ids: ['host:alice'] },
	],
};

describe('the packet walk', () => {
	it('accepts a well-formed trace and refuses a broken one', () => {
		expect(isPacketTrace(ALICE_PINGS_BOB)).toBe(true);
		expect(isPacketTrace({ ...ALICE_PINGS_BOB, outcome: 'maybe' })).toBe(false);
		expect(isPacketTrace({ ...ALICE_PINGS_BOB, steps: [{ kind: 'send', text: 'x', at: { host: 'alice' } }] })).toBe(false);
		expect(isPacketTrace(undefined)).toBe(false);
	});

	it('names the diagram elements of each place', () => {
		expect(placeIds({ host: 'alice', netns: '' })).toEqual(['host:alice']);
		expect(placeIds({ host: 'pi', netns: 'alice' })).toEqual(['pi/alice']);
		expect(placeIds({ host: 'pi', netns: 'alice', dev: 'veth-alice' })).toEqual(['pi/alice/veth-alice']);
		expect(placeIds({ switch: 'switch1' })).toEqual(['switch:switch1']);
		expect(placeIds({ node: 'internet' })).toEqual(['internet']);
		// lo is a line of its namespace's box, not an element of its own.
		expect(placeIds({ host: 'alice', netns: '', dev: 'lo' }, topology)).toEqual(['host:alice']);
		expect(placeIds({ host: 'alice', netns: '', dev: 'eth0' }, topology)).toEqual(['alice//eth0']);
	});

	it('highlights each step where it happens, wires included, and says it in words', () => {
		const walk = walkOf(ALICE_PINGS_BOB, topology);
		expect(walk.map((s) => s.ids)).toEqual([
			['host:alice'],
			['alice//eth0'],
			['alice//eth0'],
			['alice//eth0', 'cable:alice//eth0', 'switch:switch1'],
			['switch:switch1', 'cable:bob//eth0', 'bob//eth0'],
			['bob//eth0'],
			['host:alice'],
		]);
		expect(walk[1]!.text).toBe(
			'Route lookup for 192.168.1.2: directly connected on eth0. Matched in table main: 192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1. Also covering the address, but with a shorter prefix: default via 192.168.1.254 dev eth0.',
		);
		expect(walk[0]!.text).toBe('ping hands an ICMP echo request for 192.168.1.2 to the kernel. Packet: icmp echo-request from 192.168.1.1 to 192.168.1.2, ttl 64.');
		expect(walk.map((s) => s.label)).toEqual(['send', 'route', 'ARP', 'wire', 'bridge', 'deliver', 'drop']);
	});

	it('spells out the netfilter rule as iptables -S prints it, the NAT rewrite, ARP messages and MACs', () => {
		const at = { host: 'pi', netns: '' };
		const nat = stepText({ kind: 'nat', leg: 'request', at, text: 'MASQUERADE rewrites the source.', netfilter: { table: 'nat', chain: 'POSTROUTING', rule: '-A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE', verdict: 'MASQUERADE' }, rewrite: { field: 'src', from: '192.168.25.1', to: '192.168.0.10' }, packet: { what: 'icmp echo-request', src: '192.168.0.10', dst: '8.8.8.8', ttl: 63 } });
		expect(nat).toBe('MASQUERADE rewrites the source. Rule (iptables -t nat -S): -A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE. Rewritten: source 192.168.25.1 → 192.168.0.10. Packet: icmp echo-request from 192.168.0.10 to 8.8.8.8, ttl 63.');
		// The rewrite is not said twice when the words already have it.
		expect(stepText({ kind: 'nat', leg: 'reply', at, text: 'Conntrack undoes the NAT: destination 192.168.0.10 → 192.168.25.1.', rewrite: { field: 'dst', from: '192.168.0.10', to: '192.168.25.1' } })).toBe('Conntrack undoes the NAT: destination 192.168.0.10 → 192.168.25.1.');
		expect(stepText({ kind: 'netfilter', leg: 'request', at, text: 'The FORWARD chain says DROP (its policy).', netfilter: { table: 'filter', chain: 'FORWARD', rule: '-P FORWARD DROP', verdict: 'DROP' } })).toBe('The FORWARD chain says DROP (its policy). No rule matched; the chain’s policy (iptables -S): -P FORWARD DROP.');
		expect(stepText({ kind: 'wire', leg: 'arp', at, text: 'The ARP request leaves eth0.', packet: { what: 'arp request', src: '192.168.1.1', dst: '192.168.1.2', srcMac: '02:00:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff' } })).toBe(
			'The ARP request leaves eth0. Packet: arp request, sender 192.168.1.1, target 192.168.1.2. Ethernet: from 02:00:00:00:00:01 to ff:ff:ff:ff:ff:ff.',
		);
	});

	it('uses ids the diagram really has', () => {
		const ids = new Set(topology.links.map((l) => l.id));
		expect(ids.has('cable:alice//eth0')).toBe(true);
		expect(ids.has('cable:bob//eth0')).toBe(true);
	});
});

describe('which pings have a walk, and where they ran', () => {
	const MACHINE = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

	it('has none for a ping that sent nothing, and one for a ping that did, locally too', () => {
		const lab = createLab(TWO_HOSTS);
		const unreachable = lab.exec('alice', 'ping -c 1 192.168.1.2');
		expect(unreachable.stderr).toBe('ping: connect: Network is unreachable\n');
		expect(packetLeft(unreachable.trace!)).toBe(false);
		expect(packetLeft(lab.exec('alice', 'ping -c 1 127.0.0.1').trace!)).toBe(true);
		lab.exec('alice', 'ip addr add 192.168.1.1/24 dev eth0');
		// Nobody answers ARP: the echo request stays home, but the ARP broadcast left to look for it.
		const silent = lab.exec('alice', 'ping -c 1 -W 1 192.168.1.9');
		expect(packetLeft(silent.trace!)).toBe(true);
	});

	it('names the namespace of ip netns exec in its title', () => {
		const lab = createLab(MACHINE);
		lab.exec('pi', 'ip netns add alice');
		lab.exec('pi', 'ip -n alice link set lo up');
		expect(walkTitle(lab.exec('pi', 'ip netns exec alice ping -c 1 127.0.0.1').trace!)).toBe('Packet walk: ping -c 1 127.0.0.1 in the namespace alice on pi');
		expect(walkTitle(lab.exec('pi', 'ping -c 1 127.0.0.1').trace!)).toBe('Packet walk: ping -c 1 127.0.0.1 on pi');
	});
});

import type { PacketTrace } from '../../src/lib/shared/trace.ts';

/**
 * A trace as docs/terminal.md asks the simulator to record it, for `ping -c 1 192.168.1.2` on
 * alice in chapter 1's lab once both have addresses: what the packet-walk UI is tested with.
 */
export const PING_TRACE: PacketTrace = {
	command: 'ping -c 1 192.168.1.2',
	host: 'alice',
	summary: 'The echo request reached bob through switch1, and his reply came back to alice.',
	outcome: 'replied',
	steps: [
		{ kind: 'send', leg: 'request', at: { host: 'alice', netns: '' }, text: 'ping hands an ICMP echo request for 192.168.1.2 to alice’s kernel.', packet: { what: 'icmp echo-request', src: '192.168.1.1', dst: '192.168.1.2', ttl: 64 } },
		{ kind: 'route', leg: 'request', at: { host: 'alice', netns: '', dev: 'eth0' }, text: 'Route lookup for 192.168.1.2: the connected route says it is on the link, out of eth0.', route: { table: 'main', matched: '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1' } },
		{ kind: 'arp', leg: 'arp', at: { host: 'alice', netns: '', dev: 'eth0' }, text: 'No neighbour entry for 192.168.1.2: alice broadcasts an ARP request “who has 192.168.1.2?”.' },
		{ kind: 'wire', leg: 'arp', at: { host: 'alice', netns: '', dev: 'eth0' }, to: { switch: 'switch1' }, text: 'The broadcast goes down alice’s cable into switch1.', packet: { what: 'arp request', src: '192.168.1.1', dst: '192.168.1.2', srcMac: '02:00:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff' } },
		{ kind: 'bridge', leg: 'arp', at: { switch: 'switch1' }, to: { host: 'bob', netns: '', dev: 'eth0' }, text: 'switch1 has no entry for the broadcast address: it floods the frame to every other port, bob’s included.' },
		{ kind: 'arp', leg: 'arp', at: { host: 'bob', netns: '', dev: 'eth0' }, text: 'bob owns 192.168.1.2: he notes alice’s MAC and answers with his own.' },
		{ kind: 'wire', leg: 'request', at: { host: 'alice', netns: '', dev: 'eth0' }, to: { switch: 'switch1' }, text: 'The echo request leaves alice in a frame addressed to bob’s MAC.', packet: { what: 'icmp echo-request', src: '192.168.1.1', dst: '192.168.1.2', ttl: 64, srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02' } },
		{ kind: 'bridge', leg: 'request', at: { switch: 'switch1' }, to: { host: 'bob', netns: '', dev: 'eth0' }, text: 'switch1 learned bob’s MAC from his reply: it forwards the frame to his port only.' },
		{ kind: 'deliver', leg: 'request', at: { host: 'bob', netns: '', dev: 'eth0' }, text: 'The packet is for bob: his kernel answers the echo request.' },
		{ kind: 'wire', leg: 'reply', at: { host: 'bob', netns: '', dev: 'eth0' }, to: { switch: 'switch1' }, text: 'The echo reply goes back into switch1.' },
		{ kind: 'bridge', leg: 'reply', at: { switch: 'switch1' }, to: { host: 'alice', netns: '', dev: 'eth0' }, text: 'switch1 forwards it to alice’s port.' },
		{ kind: 'deliver', leg: 'reply', at: { host: 'alice', netns: '', dev: 'eth0' }, text: 'alice receives the echo reply: ping prints its line.' },
	],
};

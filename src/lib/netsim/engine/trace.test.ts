import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from '../index.ts';

const TWO_HOSTS: LabDefinition = {
	name: 'two-hosts',
	hosts: [
		{ name: 'alice', interfaces: [{ name: 'eth0', switch: 'switch1' }] },
		{ name: 'bob', interfaces: [{ name: 'eth0', switch: 'switch1' }] },
	],
	switches: [{ name: 'switch1' }],
};

describe('packet traces of ping', () => {
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
	});

	it('says where a packet dies: no route, and a silent router with forwarding off', () => {
		const lab = createLab(TWO_HOSTS);
		lab.exec('alice', 'ip addr add 192.168.1.1/24 dev eth0');
		const none = lab.exec('alice', 'ping -c 1 -W 1 10.9.9.9');
		expect(none.exit).toBe(2);
		expect(none.trace?.steps.at(-1)).toMatchObject({ kind: 'drop', reason: 'no-route' });
		lab.exec('bob', 'ip addr add 192.168.1.2/24 dev eth0');
		lab.exec('alice', 'ip route add 10.0.0.0/8 via 192.168.1.2');
		const fwd = lab.exec('alice', 'ping -c 1 -W 1 10.9.9.9');
		expect(fwd.trace?.outcome).toBe('dropped');
		expect(fwd.trace?.steps.at(-1)).toMatchObject({ kind: 'drop', reason: 'forwarding-off', at: { host: 'bob' } });
	});
});

// The simulator's packet walk meets netfilter's hooks in the order src/lib/shared/netfilter.ts
// gives, the one the book's diagram of the hooks draws.
import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const TWO_HOSTS: LabDefinition = {
	name: 'two-hosts',
	hosts: [
		{ name: 'alice', interfaces: [{ name: 'eth0', switch: 'switch1', address: '192.168.1.1/24' }] },
		{ name: 'bob', interfaces: [{ name: 'eth0', switch: 'switch1', address: '192.168.1.2/24' }] },
	],
	switches: [{ name: 'switch1' }],
};

const run = (lab: ReturnType<typeof createLab>, host: string, lines: string[]): void => {
	for (const line of lines) expect(lab.exec(host, line).exit, line).toBe(0);
};

describe('the hooks in the simulator', () => {
	it('creates each table with the built-in chains of the hooks it is registered at', () => {
		const lab = createLab(TWO_HOSTS);
		const chains = (table: string) => lab.exec('alice', `iptables -t ${table} -S`).stdout;
		expect(chains('raw')).toBe('-P PREROUTING ACCEPT\n-P OUTPUT ACCEPT\n');
		expect(chains('nat')).toBe('-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n');
		expect(chains('filter')).toBe('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n');
	});

	it('runs OUTPUT’s nat chain before its filter chain: the filter sees the DNATed destination', () => {
		const lab = createLab(TWO_HOSTS);
		// The route comes first (a socket needs one), then OUTPUT's hooks.
		run(lab, 'alice', ['ip route add 10.1.1.1 dev eth0', 'iptables -t nat -A OUTPUT -d 10.1.1.1 -j DNAT --to-destination 192.168.1.2', 'iptables -A OUTPUT -d 192.168.1.2 -j DROP']);
		expect(lab.exec('alice', 'ping -c 1 -W 1 10.1.1.1').exit).toBe(1);
		expect(lab.exec('alice', 'iptables -L OUTPUT -n -v -x').stdout).toMatch(/^ +1 +84 DROP .* 192\.168\.1\.2 *$/m);
		run(lab, 'alice', ['iptables -D OUTPUT -d 192.168.1.2 -j DROP']);
		// Routed again after the DNAT, and the reply un-NATed by conntrack.
		expect(lab.exec('alice', 'ping -c 1 -W 1 10.1.1.1').stdout).toContain('64 bytes from 10.1.1.1: icmp_seq=1 ttl=64');
	});

	it('runs INPUT’s nat chain after its filter chain, for a new connection’s first packet only', () => {
		const lab = createLab(TWO_HOSTS);
		// Bob's reply is routed to 10.9.9.9 before OUTPUT's conntrack undoes the SNAT: it needs a route.
		run(lab, 'bob', ['ip route add 10.9.9.9 dev eth0', 'iptables -t nat -A INPUT -p icmp -j SNAT --to-source 10.9.9.9', 'iptables -A INPUT -s 10.9.9.9 -j DROP']);
		// INPUT's filter chain ran before the source was rewritten: the DROP rule saw alice's address.
		expect(lab.exec('alice', 'ping -c 3 -i 0.2 192.168.1.2').stdout).toContain('3 packets transmitted, 3 received');
		expect(lab.exec('bob', 'iptables -t nat -L INPUT -n -v -x').stdout).toMatch(/^ +1 +84 SNAT .* to:10\.9\.9\.9$/m);
		expect(lab.exec('bob', 'conntrack -L -p icmp').stdout).toMatch(/src=192\.168\.1\.1 dst=192\.168\.1\.2 .* src=192\.168\.1\.2 dst=10\.9\.9\.9 /);
	});
});

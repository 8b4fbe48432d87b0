// Malformed commands fail as the real tools do. The recorded fixtures (tests/fixtures/netsim/
// errors-*.json) hold Debian 12's answers; these tests hold what the fixtures cannot: wording that
// depends on the version of the tools imitated (the profile), known from iproute2's sources.
import { describe, expect, it } from 'vitest';
import { createLab, DEFAULT_PROFILE } from './index.ts';
import { DEBIAN_13_VM, MACHINE } from './machine.test-helper.ts';

/** Runs a line on the machine lab's host; returns stdout, stderr and the exit code. */
function pi(profile = DEFAULT_PROFILE) {
	const lab = createLab(MACHINE, { profile });
	return (line: string): string => {
		const r = lab.exec('pi', line);
		return `${r.stdout}${r.stderr}|${r.exit}`;
	};
}

describe('duparg2 (lib/utils.c) dropped its article in iproute2 6.13', () => {
	it('6.1: "is a garbage."', () => {
		expect(pi()('ip addr add 10.1.1.1/24 10.1.1.2/24 dev eth0')).toBe('Error: either "local" is duplicate, or "10.1.1.2/24" is a garbage.\n|255');
		expect(pi()('ip link set eth0 eth1')).toBe('Error: either "dev" is duplicate, or "eth1" is a garbage.\n|255');
	});
	it('6.15: "is garbage."', () => {
		expect(pi(DEBIAN_13_VM)('ip addr add 10.1.1.1/24 10.1.1.2/24 dev eth0')).toBe('Error: either "local" is duplicate, or "10.1.1.2/24" is garbage.\n|255');
	});
	it('duparg keeps its own wording in both', () => {
		for (const profile of [DEFAULT_PROFILE, DEBIAN_13_VM]) expect(pi(profile)('ip link set eth0 mtu 1500 mtu 1400')).toBe('Error: duplicate "mtu": "1400" is the second value.\n|255');
	});
});

describe('kinds print the usage of their iproute2 version', () => {
	const usageLines = (profile: typeof DEFAULT_PROFILE, line: string): string[] =>
		pi(profile)(line)
			.split('\n')
			.filter((l) => /localbypass|reserved_bits|mst_enabled|fdb_max_learned/.test(l))
			.map((l) => l.trim());
	it('vxlan: localbypass from 6.5, reserved_bits from 6.14', () => {
		expect(usageLines(DEFAULT_PROFILE, 'ip link add vx type vxlan id 4 bogus')).toEqual([]);
		expect(usageLines(DEBIAN_13_VM, 'ip link add vx type vxlan id 4 bogus')).toEqual(['[ reserved_bits VALUE ]', '[ [no]localbypass ]']);
	});
	it('bridge: fdb_max_learned from 6.7, mst_enabled from 6.11', () => {
		expect(usageLines(DEFAULT_PROFILE, 'ip link add b0 type bridge bogus 1')).toEqual([]);
		expect(usageLines(DEBIAN_13_VM, 'ip link add b0 type bridge bogus 1')).toEqual(['[ mst_enabled MST_ENABLED ]', '[ fdb_max_learned FDB_MAX_LEARNED ]']);
	});
});

describe('iptables -X of a built-in chain', () => {
	it('1.8.9 finds no user chain of that name', () => {
		expect(pi()('iptables -X INPUT')).toBe('iptables: No chain/target/match by that name.\n|1');
	});
});

describe('conntrack -D', () => {
	it('prints what it deleted and fails when nothing matched', () => {
		const run = pi();
		run('iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE');
		run('ping -c 1 8.8.8.8');
		expect(run('conntrack -D -p tcp')).toBe('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n|1');
		expect(run('conntrack -D -p icmp -d 8.8.8.8')).toMatch(/^icmp {5}1 \d+ src=192\.168\.0\.10 dst=8\.8\.8\.8 type=8 code=0 id=\d+ src=8\.8\.8\.8 dst=192\.168\.0\.10 type=0 code=0 id=\d+ mark=0 use=1\nconntrack v1\.4\.7 \(conntrack-tools\): 1 flow entries have been deleted\.\n\|0$/);
		expect(run('conntrack -C')).toBe('0\n|0');
	});
});

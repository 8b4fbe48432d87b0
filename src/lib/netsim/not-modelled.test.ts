import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';
import { notModelledNames } from './shell/not-modelled.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

/** stdout, stderr and exit of a line, as one string. */
const run = (line: string, interactive = true) => {
	const lab = createLab(MACHINE, { interactive });
	lab.exec('pi', 'ip netns add alice');
	const r = lab.exec('pi', line);
	return `${r.stdout}|${r.stderr}|${r.exit}`;
};

describe('tools the simulator does not model', () => {
	it('say so in one line, with what to use instead, and exit as a missing command does', () => {
		expect(run('tcpdump -ni eth0')).toBe('|tcpdump: not available in this simulator (use ping --trace ADDR to walk a packet on the diagram, ip -s link for packet counters)\n|127');
		expect(run('ifconfig')).toBe('|ifconfig: not available in this simulator (use ip addr (ip -br addr: one line per interface), ip link set DEV up)\n|127');
		expect(run('nft list ruleset')).toBe('|nft: not available in this simulator (the simulator models iptables (iptables-nft): use iptables -S, iptables -t nat -S)\n|127');
		for (const name of notModelledNames()) expect(run(`${name} x`), name).toMatch(new RegExp(`^\\|${name.replace('-', '\\-')}: not available in this simulator \\([^\\n]+\\)\\n\\|127$`));
	});

	it('say so through ip netns exec too, and in a script (bash -c) as well as at the prompt', () => {
		expect(run('ip netns exec alice traceroute 8.8.8.8')).toBe('|traceroute: not available in this simulator (use ping --trace ADDR to walk a packet hop by hop, ip route get ADDR for the route it takes)\n|127');
		expect(run('arp -n', false)).toBe('|arp: not available in this simulator (use ip neigh)\n|127');
		// A command nobody has heard of is still bash's own answer.
		expect(run('ip netns exec alice nosuch')).toBe('|exec of "nosuch" failed: No such file or directory\n|1');
		expect(run('nosuch')).toBe('|bash: nosuch: command not found\n|127');
	});

	it('tell a reader looking for the resolver that the lab has no DNS, unless they wrote one', () => {
		expect(run('cat /etc/resolv.conf')).toBe('|cat: /etc/resolv.conf: not available in this simulator (the lab has no DNS: use addresses; the names in /etc/hosts resolve)\n|1');
		expect(run('echo nameserver 10.0.0.1 > /etc/resolv.conf; cat /etc/resolv.conf')).toBe('nameserver 10.0.0.1\n||0');
	});
});

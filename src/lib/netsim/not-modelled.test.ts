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
		expect(run('tshark -i eth0')).toBe('|tshark: not available in this simulator (use tcpdump (tcpdump -n -e -c 2 arp & ping -c 1 ADDR; wait), or ping --trace ADDR to walk a packet on the diagram)\n|127');
		expect(run('ifconfig')).toBe('|ifconfig: not available in this simulator (use ip addr (ip -br addr: one line per interface), ip link set DEV up)\n|127');
		expect(run('nft list ruleset')).toBe("|nft: not available in this simulator (the simulator models iptables (iptables-nft): use iptables -S, iptables -t nat -S; for nft itself, run the chapter's script on a real Linux machine)\n|127");
		// A form of a modelled tool declines with exit 1: lsns lists one process's namespace only.
		expect(run('lsns -t net')).toBe("|lsns: a listing of every process is not available in this simulator (lsns -t net -p PID [-o COLUMNS] is modelled, for a process started here (unshare --net sleep 600 &); for that, run the chapter's script on a real Linux machine)\n|1");
		expect(run('nsenter -t 1 -m ip addr')).toBe("|nsenter: option -m is not available in this simulator (nsenter -t PID -n CMD and nsenter --net=FILE CMD are modelled; for that, run the chapter's script on a real Linux machine)\n|1");
		expect(run('ethtool -i eth0')).toBe("|ethtool: not available in this simulator (not installed where the book is verified; run the chapter's script on a real Linux machine with it; here ip -d link names a device's kind and details)\n|127");
		for (const name of notModelledNames()) expect(run(`${name} x`), name).toMatch(new RegExp(`^\\|${name.replace('-', '\\-')}: not available in this simulator \\([^\\n]+\\)\\n\\|127$`));
	});

	it('say so through ip netns exec too, and in a script (bash -c) as well as at the prompt', () => {
		expect(run('ip netns exec alice traceroute 8.8.8.8')).toBe("|traceroute: not available in this simulator (not installed where the book is verified; run the chapter's script on a real Linux machine with it; here ping --trace ADDR walks a packet hop by hop, ip route get ADDR names the route)\n|127");
		expect(run('tracepath -n 8.8.8.8', false)).toMatch(/^\|tracepath: not available in this simulator \(not installed where the book is verified; .*\)\n\|127$/);
		// A command nobody has heard of is still bash's own answer.
		expect(run('ip netns exec alice nosuch')).toBe('|exec of "nosuch" failed: No such file or directory\n|1');
		expect(run('nosuch')).toBe('|bash: nosuch: command not found\n|127');
	});

	it('decline the parts of modelled tools they cannot print as the kernel does, in one line, with a failing exit', () => {
		const nstat = "|nstat: only TcpExtIPReversePathFilter is counted in this simulator (name it: nstat -az TcpExtIPReversePathFilter); the kernel's other counters include its own IPv6 traffic, which the simulator does not send; run the chapter's script on a real Linux machine for them\n|1";
		for (const line of ['nstat', 'nstat -az', 'nstat -az TcpExt*', 'nstat IpInReceives', 'ip netns exec alice nstat -s']) expect(run(line), line).toBe(nstat);
		expect(run('nstat -az TcpExtIPReversePathFilter')).toBe('#kernel\nTcpExtIPReversePathFilter       0                  0.0\n||0');
		const ss = "|ss: only ss -ltn (listening TCP sockets) is available in this simulator (connections, UDP, processes and the kernel's own sockets need the real kernel: run the chapter's script on a real Linux machine)\n|1";
		for (const line of ['ss -tuna', 'ss -s', 'ss -ltnp', 'ss -ltn sport = :80', 'ss', 'ss -l', 'ss -ln']) expect(run(line), line).toBe(ss);
		for (const line of ['ss -ltn', 'ss -tln', 'ss -4tln', 'ss -tn', 'ss -t']) expect(run(line), line).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n||0');
		const six = "|ip: IPv6 routes and neighbours beyond link-local are not available in this simulator (it models IPv4 and ip addr's IPv6 addresses; for IPv6 routing, run the chapter's script on a real Linux machine)\n|2";
		for (const line of ['ip -6 route add default via fe80::1 dev lo', 'ip -6 route add 2001:db8::/64 dev lo', 'ip route del 2001:db8::/64', 'ip -6 route get 2001:db8::2', 'ip -6 r g fe80::1', 'ip -6 route show table local', 'ip -6 route show table all', 'ip -6 route show dev lo', 'ip -n alice -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev lo', 'ip netns exec alice ip -6 route add fd00::/8 dev lo']) expect(run(line), line).toBe(six);
		// A global address is added and listed exactly, and so are the kernel's routes of it (none
		// while alice's lo is down; tests/fixtures/netsim/ipv6-routes.json records them whole).
		expect(run('ip -n alice addr add 2001:db8::1/64 dev lo && ip -n alice -6 addr show dev lo | grep -c inet6; ip -n alice -6 route')).toBe('1\n||0');
		// What the kernel gives every device is still answered: ::1, link-locals, their routes.
		expect(run('ip -6 addr show dev lo')).toMatch(/^1: lo: .*\n {4}inet6 ::1\/128 scope host/);
		for (const line of ['ip -6 route', 'ip -6 r', 'ip -6 route show', 'ip -6 route list table main']) expect(run(line), line).toBe('||0');
		expect(run('ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev lo')).toBe('||0');
		const ping6 = "|ping: IPv6 is not available in this simulator (it walks IPv4 packets; for ping -6, run the chapter's script on a real Linux machine)\n|2";
		for (const line of ['ping -6 -c 1 ::1', 'ping -c 1 ::1', 'ping -c1 fe80::1%eth0', 'ping -n6 -c 1 localhost']) expect(run(line), line).toBe(ping6);
		expect(run('ping -c 1 -W 6 127.0.0.1')).toMatch(/^PING 127\.0\.0\.1 /);
		expect(run('route add default gw 10.0.0.1')).toBe("|route: not available in this simulator (it lists the IPv4 table: route -n; change routes with ip route add, ip route del; for route itself, run the chapter's script on a real Linux machine)\n|1");
		for (const line of ['route -6', 'route -A inet6', 'route -Cee', 'route del default']) expect(run(line), line).toMatch(/^\|route: not available in this simulator \(it lists the IPv4 table/);
		const netstat = "|netstat: not available in this simulator (it lists the IPv4 routing table: netstat -rn; for sockets use ss -ltn, for counters ip -s link; for netstat itself, run the chapter's script on a real Linux machine)\n|1";
		for (const line of ['netstat -tlnp', 'netstat -i', 'netstat -s', 'netstat', 'netstat -an']) expect(run(line), line).toBe(netstat);
		const arp = '|arp: only showing the cache is available in this simulator (use ip neigh add, ip neigh del, as the book does)\n|1';
		for (const line of ['arp -s 10.0.0.9 02:00:00:00:00:09', 'arp -d 10.0.0.9', 'arp -f /etc/ethers']) expect(run(line), line).toBe(arp);
		const proc = "|cat: /proc/net/dev: not available in this simulator (it prints /proc/net/arp and /proc/net/route; counters and socket tables need the real kernel: run the chapter's script on a real Linux machine; here ip -s link counts packets, ss -ltn lists servers)\n|1";
		expect(run('cat /proc/net/dev')).toBe(proc);
		expect(run('cat /proc/net')).toBe('|cat: /proc/net: Is a directory\n|1');
		expect(run('ls /proc/net')).toMatch(/^\|ls: cannot access '\/proc\/net': not available in this simulator \(it prints \/proc\/net\/arp and \/proc\/net\/route; /);
		for (const f of ['snmp', 'tcp', 'udp', 'netstat', 'if_inet6', 'ipv6_route']) expect(run(`cat /proc/net/${f}`), f).toMatch(/^\|cat: \/proc\/net\/\S+: not available in this simulator \(/);
	});

	it('answer the resolver as the lab has it: no DNS, unless the reader writes one', () => {
		expect(run('cat /etc/resolv.conf')).toBe('# lab sandbox: no DNS\n||0');
		expect(run('echo nameserver 10.0.0.1 > /etc/resolv.conf; cat /etc/resolv.conf')).toBe('nameserver 10.0.0.1\n||0');
		expect(run('dig pi')).toBe('|dig: not available in this simulator (the lab has no DNS: use addresses (ping, curl); the names in /etc/hosts resolve, and getent hosts NAME shows what a name resolves to)\n|127');
		// getent answers its hosts database (tests/fixtures/netsim/names.json); the others say so.
		expect(run('getent hosts pi')).toBe('127.0.1.1       pi\n||0');
		for (const db of ['passwd', 'ahosts', 'services', 'networks'])
			expect(run(`getent ${db} x`), db).toBe(`|getent ${db}: not available in this simulator (getent hosts [NAME|ADDRESS] answers from /etc/hosts, as the lab's name service does; for ${db}, run the chapter's script on a real Linux machine)\n|1`);
		expect(run('getent -V')).toMatch(/^\|getent --version: not available in this simulator \(/);
	});
});

import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

/** A lab and a runner that gives `stdout|stderr|exit` of each line. */
function lab() {
	const l = createLab(MACHINE);
	return (line: string) => {
		const r = l.exec('pi', line);
		return `${r.stdout}|${r.stderr}|${r.exit}`;
	};
}

describe('processes that hold network namespaces', () => {
	it('a background unshare --net keeps its namespace: /proc/PID/ns/net, nsenter, lsns, ip netns identify', () => {
		const run = lab();
		expect(run('unshare --net sleep 600 & P=$!')).toBe('||0');
		expect(run('cat /proc/$P/comm')).toBe('sleep\n||0');
		const own = run('readlink /proc/self/ns/net');
		const its = run('readlink /proc/$P/ns/net');
		expect(its).toMatch(/^net:\[\d{10}\]\n\|\|0$/);
		expect(its).not.toBe(own);
		expect(run('nsenter -t $P -n ip -br link')).toBe('lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n||0');
		expect(run('nsenter --net=/proc/$P/ns/net readlink /proc/self/ns/net')).toBe(its);
		expect(run('ip netns identify $P')).toBe('\n||0');
		expect(run('ip netns attach lone $P')).toBe('||0');
		expect(run('ip netns identify $P')).toBe('lone\n||0');
		expect(run('lsns -t net -p $P -o NPROCS,NETNSID,NSFS,COMMAND')).toBe('NPROCS    NETNSID NSFS            COMMAND\n     1 unassigned /run/netns/lone sleep 600\n||0');
	});

	it('a killed process takes its namespace and its veths along, unless a name pins it', () => {
		const run = lab();
		run('unshare --net sleep 600 & P=$!');
		run('ip link add va type veth peer name vb netns /proc/$P/ns/net');
		expect(run('ip -br link show va')).toMatch(/^va@if2 /);
		expect(run('kill $P')).toBe('||0');
		expect(run('ip link show va')).toBe('|Device "va" does not exist.\n|1');
		expect(run('nsenter -t $P -n ip link')).toMatch(/^\|nsenter: cannot open \/proc\/\d+\/ns\/net: No such file or directory\n\|1$/);
		run('unshare --net sleep 600 & Q=$!');
		run('ip link add vc type veth peer name vd netns /proc/$Q/ns/net');
		run('ip netns attach held $Q');
		run('kill $Q');
		expect(run('ip -n held -br link show vd')).toMatch(/^vd@if\d+ /);
		run('ip netns del held');
		expect(run('ip link show vc')).toBe('|Device "vc" does not exist.\n|1');
	});

	it('a sleep that ends lets its namespace go', () => {
		const run = lab();
		run('unshare --net sleep 5 & P=$!');
		expect(run('ip netns attach a $P')).toBe('||0');
		run('ip netns del a');
		expect(run('sleep 6; ip netns identify $P')).toBe('|Cannot open network namespace: No such file or directory\n|1');
	});

	it('the kernel refuses an unprivileged user, and the root of a user namespace outside it', () => {
		const run = lab();
		const nobody = 'setpriv --reuid=65534 --regid=65534 --clear-groups';
		expect(run(`${nobody} whoami`)).toBe('nobody\n||0');
		expect(run(`${nobody} ip link add v-a type veth peer name v-b`)).toBe('|RTNETLINK answers: Operation not permitted\n|2');
		expect(run(`${nobody} unshare --net ip link`)).toBe('|unshare: unshare failed: Operation not permitted\n|1');
		expect(run(`${nobody} unshare --user --map-root-user --net sh -c 'whoami; ip link add v-a type veth peer name v-b && ip link set lo up && ip -br link show lo'`)).toBe(
			'root\nlo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n||0',
		);
		expect(run(`${nobody} unshare --user --map-root-user --net sh -c 'ip link add v-a type veth peer name v-b; ip link set v-b netns 1'`)).toBe('|RTNETLINK answers: Operation not permitted\n|2');
		expect(run(`${nobody} unshare --user --net ip link add v-a type veth peer name v-b`)).toBe('|RTNETLINK answers: Operation not permitted\n|2');
		// Nothing of it reached the pi.
		expect(run('ip -br link show v-a')).toBe('|Device "v-a" does not exist.\n|1');
		expect(run(`${nobody} iptables -S`)).toMatch(/^\|iptables: not available in this simulator as a user other than root .*\n\|1$/);
	});
});

/**
 * Robustness: random and mutated command lines never throw, never hang, always give an exit
 * code. Lines are built from the book's vocabulary so that they reach deep into the tools.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const lab: LabDefinition = {
	name: 'fuzz',
	hosts: [
		{ name: 'pi', interfaces: [{ name: 'eth0', uplink: true, address: '192.168.0.10/24' }], routes: [{ to: 'default', via: '192.168.0.1' }] },
		{ name: 'bob', interfaces: [{ name: 'eth0', switch: 's1' }] },
	],
	switches: [{ name: 's1' }],
	upstream: { gateway: '192.168.0.1/24', internet: ['8.8.8.8'] },
};

const SEEDS = [
	'ip link add veth-a type veth peer name veth-b',
	'ip netns add alice',
	'ip link set veth-a netns alice',
	'ip -n alice addr add 10.0.0.1/24 dev veth-a',
	'ip -n alice link set veth-a up',
	'ip link set veth-b up',
	'ip link add br0 type bridge',
	'ip link set veth-b master br0',
	'ip addr add 10.0.0.2/24 dev br0',
	'ip link set br0 up',
	'ip netns exec alice ping -c 2 -i 0.2 10.0.0.2',
	'ip route add 10.9.0.0/16 via 192.168.0.1',
	'ip route get 10.9.1.1',
	'sysctl -w net.ipv4.ip_forward=1',
	'iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o eth0 -j MASQUERADE',
	'ip netns exec alice ping -c 1 -W 1 8.8.8.8',
	'conntrack -L -p icmp',
	'bridge fdb show br br0',
	'ip -j -d link show',
	'ip -br -4 addr',
	'ip neigh show',
	'iptables -L -n -v',
	'iptables -S',
	'echo hi | grep -c h && echo $(hostname) > /tmp/x; cat /tmp/x',
	'ip link add vx0 type vxlan id 4 dstport 4789 dev eth0',
	'ip link del veth-b',
	'ip netns del alice',
	'ip netns exec alice python3 -m http.server 80 >/dev/null 2>&1 & echo $!',
	'curl -s -m 1 http://10.0.0.1/ || echo "curl exit code: $?"',
	'for i in 1 2 3; do echo $i; done | sort | uniq -c',
	'until false; do sleep 0.1; done',
	"timeout 5 sh -c 'until curl -s -o /dev/null http://10.0.0.1/; do sleep 0.1; done'",
	'iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.1:80',
	'iptables -A FORWARD -m statistic --mode nth --every 2 --packet 0 -j ACCEPT',
	'bridge link set dev veth-b hairpin on',
	'ip link add vx0 type vxlan id 1 dev eth0 dstport 8472 local 192.168.0.10 nolearning',
	'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.0.1',
	'ss -ltn',
	'ip netns pids alice | xargs -r kill',
];

const WORDS = ['ip', 'link', 'addr', 'route', 'neigh', 'netns', 'rule', 'add', 'del', 'set', 'show', 'get', 'flush', 'exec', 'dev', 'eth0', 'lo', 'br0', 'veth-a', 'alice', 'up', 'down', 'type', 'veth', 'bridge', 'vxlan', 'macvlan', 'peer', 'name', 'master', 'nomaster', 'mtu', '1400', '99999', 'netns', 'via', 'table', 'local', 'default', '10.0.0.1/24', '10.0.0.0/8', '192.168.0.1', '8.8.8.8', '300.1.1.1', '1.2.3/33', 'ping', '-c', '1', '-W', '-i', '0', '-j', '-br', '-d', '-4', '-6', '-n', '-s', 'sysctl', '-w', 'net.ipv4.ip_forward=1', 'iptables', '-t', 'nat', '-A', '-D', '-I', '-L', '-S', '-P', '-N', '-X', '-F', 'FORWARD', 'POSTROUTING', '-j', 'MASQUERADE', 'DNAT', '--to-destination', '!', 'conntrack', 'bridge', 'fdb', 'hostname', 'echo', 'cat', '|', '||', '&&', ';', '&', '>', '<', '2>&1', '$(', ')', '"', "'", '\\', '$x', 'x=1', '#', 'grep', '-v', 'head', 'sh', 'timeout', 'sleep', 'curl', '-s', '-m', 'http://10.0.0.1/', 'python3', 'http.server', 'while', 'until', 'for', 'do', 'done', 'in', 'jq', '.', '-c', 'ss', 'xargs', 'kill', '/usr/lib/cni/bridge', 'CNI_COMMAND=ADD'];

describe('netsim never throws, never hangs', () => {
	it('answers 100,000 random and mutated command lines', () => {
		const sim = createLab(lab);
		const word = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 }));
		const generated = fc.array(word, { minLength: 0, maxLength: 12 }).map((ws) => ws.join(' '));
		const mutated = fc.tuple(fc.constantFrom(...SEEDS), fc.nat(200), fc.string({ maxLength: 4 }), fc.boolean()).map(([s, at, ins, drop]) => {
			const i = at % (s.length + 1);
			return drop ? s.slice(0, i) + s.slice(i + ins.length) : s.slice(0, i) + ins + s.slice(i);
		});
		const line = fc.oneof(generated, mutated, fc.constantFrom(...SEEDS), fc.string({ maxLength: 40 }));
		let count = 0;
		fc.assert(
			fc.property(line, fc.constantFrom('pi', 'bob'), (l, host) => {
				const r = sim.exec(host, l);
				count++;
				return typeof r.exit === 'number' && Number.isInteger(r.exit) && r.exit >= 0 && r.exit <= 255 && typeof r.stdout === 'string' && typeof r.stderr === 'string' && !r.stderr.includes('internal error');
			}),
			{ numRuns: 100_000, seed: 42 },
		);
		expect(count).toBeGreaterThanOrEqual(100_000);
	}, 120_000);
});

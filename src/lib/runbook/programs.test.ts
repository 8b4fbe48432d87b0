import { describe, expect, it } from 'vitest';
import { programsOf } from './programs.ts';

describe('programsOf', () => {
	it.each([
		['ip link', ['ip']],
		['ip netns exec alice ping -c 1 10.0.0.1', ['ip', 'ping']],
		['sudo ip netns exec alice ping -c 1 10.0.0.1', ['sudo', 'ip', 'ping']],
		['ip -j addr show dev eth0 | jq -r ".[0].ifname"', ['ip', 'jq']],
		["timeout 5 sh -c 'until curl -s http://x/; do sleep 0.1; done'", ['timeout', 'sh', 'curl', 'sleep']],
		['echo 1 > /proc/sys/net/ipv4/ip_forward', []],
		['cat /proc/sys/net/ipv4/ip_forward', ['cat']],
		['ip netns exec c1 python3 -m http.server 80 >/dev/null 2>&1 & echo $! > /run/c1-web.pid', ['ip', 'python3']],
		['CNI_COMMAND=ADD CNI_NETNS=/run/netns/c1 /usr/lib/cni/bridge < /etc/cni/net.d/10-br.conf', ['/usr/lib/cni/bridge']],
		['conntrack -L -p icmp 2>/dev/null', ['conntrack']],
		['ip link add veth-a \\\n  type veth peer name veth-b', ['ip']],
		['kill $(cat /run/c1-web.pid)', ['cat']],
		['echo "kernel $(uname -r), $(date +%F)"', ['uname', 'date']],
		['for ns in a b; do ip netns del $ns; done', ['ip']],
		['x=$(ip -j link | jq length) # count links', ['ip', 'jq']],
		["$IP link", []],
	])('%s', (command, programs) => {
		expect(programsOf(command)).toEqual(programs);
	});
});

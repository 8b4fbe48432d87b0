import { describe, expect, it } from 'vitest';
import { classifyLines } from './terminal.ts';
import { withSudo } from './sudo.ts';

describe('withSudo', () => {
	it.each([
		['ip link', 'sudo ip link'],
		['ip netns exec alice ping -c 1 192.168.25.2', 'sudo ip netns exec alice ping -c 1 192.168.25.2'],
		['ip link add a \\\n  type veth', 'sudo ip link add a \\\n  type veth'],
		['echo 1 > /proc/sys/net/ipv4/ip_forward', "sudo sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'"],
		["echo 'hello from c1' > /tmp/x", "sudo sh -c 'echo '\\''hello from c1'\\'' > /tmp/x'"],
		['ip -j addr | jq -r ".[0].ifname"', `sudo sh -c 'ip -j addr | jq -r ".[0].ifname"'`],
		['iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', 'sudo iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'],
		["jq '.cniVersion' conf.json", "sudo jq '.cniVersion' conf.json"],
		['CNI_COMMAND=VERSION /usr/lib/cni/bridge', "sudo sh -c 'CNI_COMMAND=VERSION /usr/lib/cni/bridge'"],
		['export CNI_PATH=/usr/lib/cni', 'export CNI_PATH=/usr/lib/cni'],
		['cd /tmp', 'cd /tmp'],
		['PID=$(cat /run/c1-web.pid)', 'PID=$(cat /run/c1-web.pid)'],
	])('%s', (command, expected) => {
		expect(withSudo(command)).toBe(expected);
	});
});

describe('classifyLines', () => {
	it('tells commands, continuations, comments and blanks apart', () => {
		expect(classifyLines(['# look', 'ip link add a \\', '  type veth', '', 'ip link', '  # indented comment'])).toEqual([
			{ kind: 'comment' },
			{ kind: 'start', command: 0 },
			{ kind: 'continuation', command: 0 },
			{ kind: 'blank' },
			{ kind: 'start', command: 1 },
			{ kind: 'comment' },
		]);
	});
});

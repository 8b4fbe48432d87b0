import { describe, expect, it } from 'vitest';
import { applyCompletion, complete, type CompletionContext } from './complete.ts';

const links = (...names: string[]) => names.map((ifname, i) => ({ ifindex: i + 1, ifname }));
const ns = (...names: string[]) => ({ link: links(...names), addr: [], route: [], neigh: [] });
const ctx: CompletionContext = {
	host: 'pi',
	hosts: ['pi', 'bob'],
	commands: ['bridge', 'clear', 'help', 'ip', 'iptables', 'ping', 'ssh', 'sysctl'],
	state: { pi: { '': ns('lo', 'eth0', 'veth-alice', 'br0'), alice: ns('lo', 'veth-alice-ns') }, bob: { '': ns('lo', 'eth0', 'eth1') } },
};
const at = (line: string) => complete(line, line.length, ctx).candidates;

describe('complete', () => {
	it('completes the simulator\'s other tools, their options, and the CNI plugins by path', () => {
		const tools = { ...ctx, commands: ['conntrack', 'curl', 'ip', 'jq', 'python3', 'ss', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local'] };
		const on = (line: string) => complete(line, line.length, tools).candidates;
		expect(on('c')).toEqual(['conntrack', 'curl']);
		expect(on('')).not.toContain('/usr/lib/cni/bridge');
		expect(on('/usr/lib/cni/b')).toEqual(['/usr/lib/cni/bridge']);
		expect(on('conntrack -')).toContain('-L');
		expect(on('python3 -m h')).toEqual(['http.server']);
		expect(on('jq --s')).toEqual(['--slurpfile']);
		expect(on('ip netns exec alice cu')).toEqual(['curl']);
	});

	it('completes commands, ip objects and subcommands, with iproute2 abbreviations', () => {
		expect(at('i')).toEqual(['ip', 'iptables']);
		expect(at('ip n')).toEqual(['neigh', 'netns']);
		expect(at('ip addr a')).toEqual(['add']);
		expect(at('ip a ')).toEqual(['add', 'delete', 'flush', 'show']);
		expect(at('ip -j r')).toEqual(['route', 'rule']);
	});

	it('completes interface names from the state of the namespace the command runs in', () => {
		expect(at('ip link set ')).toEqual(['dev', 'lo', 'eth0', 'veth-alice', 'br0']);
		expect(at('ip link set v')).toEqual(['veth-alice']);
		expect(at('ip addr add 10.0.0.1/24 dev e')).toEqual(['eth0']);
		expect(at('ip link set veth-alice master b')).toEqual(['br0']);
		expect(at('ip -n alice link set dev v')).toEqual(['veth-alice-ns']);
		expect(at('ip netns exec alice ip link set v')).toEqual(['veth-alice-ns']);
		expect(at('@bob ip link show e')).toEqual(['eth0', 'eth1']);
		expect(at('ping -I e')).toEqual(['eth0']);
	});

	it('completes namespace names, link kinds, keywords and hosts', () => {
		expect(at('ip netns exec ')).toEqual(['alice']);
		expect(at('ip link set veth-alice netns a')).toEqual(['alice']);
		expect(at('ip link add br0 type b')).toEqual(['bridge']);
		expect(at('ip link set eth0 ')).toEqual(['address', 'down', 'master', 'mtu', 'name', 'netns', 'nomaster', 'up']);
		expect(at('ssh ')).toEqual(['pi', 'bob']);
		expect(at('@b')).toEqual(['@bob']);
		expect(at('sysctl net.ipv4.ip_')).toEqual(['net.ipv4.ip_forward']);
		expect(at('iptables -t nat -A P')).toEqual(['POSTROUTING', 'PREROUTING']);
		expect(at('iptables -t nat -A POSTROUTING -j M')).toEqual(['MASQUERADE']);
	});

	it('offers nothing it cannot know', () => {
		expect(at('echo ')).toEqual([]);
		expect(complete('ip link', 7, { ...ctx, state: undefined }).candidates).toEqual(['link']);
		expect(at('ip link set ')).not.toContain('veth-alice-ns');
	});
});

describe('applyCompletion', () => {
	it('completes a single candidate with a space, several to their common prefix with a bell', () => {
		expect(applyCompletion('ip li', 5, { start: 3, candidates: ['link'] })).toEqual({ text: 'ip link ', cursor: 8 });
		expect(applyCompletion('ip link set v', 13, { start: 12, candidates: ['veth-a', 'veth-b'] })).toEqual({ text: 'ip link set veth-', cursor: 17, bell: true });
		expect(applyCompletion('ip x', 4, { start: 3, candidates: [] })).toEqual({ text: 'ip x', cursor: 4, bell: true });
	});

	it('rings on the first Tab that can add nothing, and lists on the second, as bash does', () => {
		const ambiguous = { start: 3, candidates: ['neigh', 'netns'] };
		expect(applyCompletion('ip ne', 5, ambiguous)).toEqual({ text: 'ip ne', cursor: 5, bell: true });
		expect(applyCompletion('ip ne', 5, ambiguous, true)).toEqual({ text: 'ip ne', cursor: 5, list: ['neigh', 'netns'] });
		expect(applyCompletion('ip x', 4, { start: 3, candidates: [] }, true)).toEqual({ text: 'ip x', cursor: 4, bell: true });
	});

	it('keeps what follows the cursor', () => {
		expect(applyCompletion('ip li show', 5, { start: 3, candidates: ['link'] })).toEqual({ text: 'ip link  show', cursor: 8 });
	});
});

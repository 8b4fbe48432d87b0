import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { chapterEffects, expandLoops, sysctlOnly } from './effects.ts';
import { parseChapter } from './parse.ts';
import { loadChapter } from './load.ts';

/** The effects of one block of commands on the machine lab's pi. */
function effectsOf(...commands: string[]) {
	const mdx = `---\ntitle: T\ndescription: D\nlab: machine\n---\n\n\`\`\`sh\n${commands.join('\n')}\n\`\`\`\n`;
	const [pi] = chapterEffects(parseChapter(mdx, { file: 'x.mdx', lab: () => ({ hosts: ['pi'] }) }));
	return pi!;
}

describe('chapterEffects', () => {
	it('reads a call of the chapter’s own function as its body, with the arguments in place', () => {
		const e = effectsOf('mk() { \\\n  ip netns add "$1"; \\\n  ip link add "veth-$1" type veth peer name eth0 netns "$1"; \\\n}', 'mk pod1');
		expect(e.owned).toEqual([
			{ kind: 'netns', name: 'pod1' },
			{ kind: 'link', name: 'veth-pod1' },
		]);
	});

	it('finds what the commands create or remove by name on the machine itself, not inside their namespaces', () => {
		const e = effectsOf(
			'ip netns add c1',
			'ip link add veth-c1 type veth peer name c1-eth0',
			'ip link add veth-x type veth peer name eth0 netns c1',
			'ip -n c1 link set c1-eth0 name eth0',
			'ip netns exec c1 ip link add br9 type bridge',
			'ip link add docker0 type bridge',
			'ip addr add 172.17.0.1/16 dev docker0',
			'ip addr add 192.168.1.1/24 dev eth0',
			'ip route add 10.96.0.0/12 dev eth0',
			'ip route del default',
			'iptables -t nat -N KUBE-SVC',
			'iptables -t nat -A KUBE-SVC -j DNAT --to-destination 10.0.0.2:80',
			'iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
			'iptables -t nat -D POSTROUTING -m comment --comment "a b" -j X',
			'for c in A B; do iptables -X $c; done',
			'echo $! > /run/web.pid',
			'rm -rf /tmp/www /var/lib/cni/networks/podnet 2>/dev/null',
		);
		expect(e.owned).toEqual([
			{ kind: 'netns', name: 'c1' },
			{ kind: 'link', name: 'veth-c1' },
			{ kind: 'link', name: 'c1-eth0' },
			{ kind: 'link', name: 'veth-x' },
			{ kind: 'link', name: 'docker0' },
			{ kind: 'address', address: '192.168.1.1', dev: 'eth0' },
			{ kind: 'route', family: '', table: 'main', prefix: '10.96.0.0/12' },
			{ kind: 'route', family: '', table: 'main', prefix: 'default' },
			{ kind: 'chain', tool: 'iptables', table: 'nat', chain: 'KUBE-SVC' },
			{
				kind: 'rule',
				tool: 'iptables',
				table: 'nat',
				check: ['iptables', '-t', 'nat', '-C', 'POSTROUTING', '-s', '172.17.0.0/16', '!', '-o', 'docker0', '-j', 'MASQUERADE'],
				rule: '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
			},
			{
				kind: 'rule',
				tool: 'iptables',
				table: 'nat',
				check: ['iptables', '-t', 'nat', '-C', 'POSTROUTING', '-m', 'comment', '--comment', 'a b', '-j', 'X'],
				rule: '-A POSTROUTING -m comment --comment "a b" -j X',
			},
			{ kind: 'chain', tool: 'iptables', table: 'filter', chain: 'A' },
			{ kind: 'chain', tool: 'iptables', table: 'filter', chain: 'B' },
			{ kind: 'path', path: '/run/web.pid' },
			{ kind: 'path', path: '/tmp/www' },
			{ kind: 'path', path: '/var/lib/cni/networks/podnet' },
		]);
		expect(e.bridges).toBe(true);
		expect(e.forwards).toBe(false);
	});

	it('finds the settings to save and put back', () => {
		const e = effectsOf(
			'sysctl -w net.ipv4.ip_forward=1',
			'ip netns exec c1 sysctl -w net.ipv4.ip_forward=1',
			'echo 2 > /proc/sys/net/ipv4/conf/eth0/rp_filter',
			'mkdir -p /etc/cni/net.d',
			'rmdir --ignore-fail-on-non-empty /var/lib/cni',
			'iptables -P FORWARD ACCEPT',
			'ip netns add x',
		);
		expect(e.settings).toEqual([
			{ kind: 'sysctl', key: 'net.ipv4.ip_forward' },
			{ kind: 'sysctl', key: 'net.ipv4.conf.eth0.rp_filter' },
			{ kind: 'dir', path: '/etc' },
			{ kind: 'dir', path: '/etc/cni' },
			{ kind: 'dir', path: '/etc/cni/net.d' },
			{ kind: 'dir', path: '/var/lib/cni' },
			{ kind: 'nftables' },
			{ kind: 'policy', tool: 'iptables', table: 'filter', chain: 'FORWARD' },
			{ kind: 'mount', path: '/run/netns' },
		]);
		expect(e.forwards).toBe(true);
	});

	it('takes a machine given addresses on two of its links for a router', () => {
		expect(effectsOf('ip addr add 192.168.1.3/24 dev eth0', 'ip addr add 192.168.2.3/24 dev eth1').forwards).toBe(true);
		expect(effectsOf('ip addr add 192.168.1.3/24 dev eth0').forwards).toBe(false);
	});

	it('reads the book: chapter 8 creates its own docker0 and Docker\'s masquerade rule', () => {
		const [pi] = chapterEffects(loadChapter(join(ROOT, 'content/chapters/08-docker-bridge-by-hand.mdx')));
		expect(pi!.owned).toContainEqual({ kind: 'link', name: 'docker0' });
		expect(pi!.owned.filter((o) => o.kind === 'rule').map((o) => (o.kind === 'rule' ? o.rule : ''))).toContain('-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
		expect(pi!.forwards).toBe(true);
	});
});

describe('expandLoops', () => {
	it('unrolls a for loop', () => {
		expect(expandLoops('for c in A B; do iptables -t nat -F $c; done')).toBe('iptables -t nat -F A; iptables -t nat -F B');
	});
});

describe('sysctlOnly', () => {
	it.each([
		['sysctl -w net.ipv4.ip_forward=0', ['net.ipv4.ip_forward']],
		['sysctl -qw a.b=1 c/d=2', ['a.b', 'c.d']],
		['sysctl net.ipv4.ip_forward', undefined],
		['sysctl -w net.ipv4.ip_forward=0 && echo x', undefined],
		['ip netns exec x sysctl -w net.ipv4.ip_forward=0', undefined],
	])('%s', (command, keys) => {
		expect(sysctlOnly(command)).toEqual(keys);
	});
});

import { describe, expect, it } from 'vitest';
import type { IpLink } from './ip-json.ts';
import { resolveLinks, type HostLinks } from './peers.ts';

const link = (ifindex: number, ifname: string, extra: Partial<IpLink> = {}): IpLink => ({ ifindex, ifname, ...extra });
const host = (namespaces: Record<string, IpLink[]>, hidden: HostLinks['hidden'] = []): HostLinks => ({
	host: 'h',
	namespaces: Object.entries(namespaces).map(([name, links]) => ({ name, links })),
	hidden,
});
const summary = (h: HostLinks) => {
	const { links, warnings } = resolveLinks(h);
	return {
		links: Object.fromEntries([...links].map(([k, r]) => [k.replace('\u0000', '/'), r.role === 'peer' || r.role === 'lower' ? `${r.role} ${r.to.netns}/${r.to.ifname}${r.role === 'peer' && r.guessed ? ' (guessed)' : ''}` : r.role])),
		warnings,
	};
};

describe('resolveLinks', () => {
	it('pairs by mutual ifindex/link_index, whatever the ids', () => {
		const h = host({
			'': [link(1, 'lo'), link(4, 'veth-a-br', { link_index: 3, link_netnsid: 7 }), link(6, 'veth-b-br', { link_index: 5, link_netnsid: 3 })],
			a: [link(3, 'veth-a', { link_index: 4, link_netnsid: 0 })],
			b: [link(5, 'veth-b', { link_index: 6, link_netnsid: 1 })],
		});
		expect(summary(h).links).toEqual({
			'/lo': 'none',
			'/veth-a-br': 'peer a/veth-a',
			'/veth-b-br': 'peer b/veth-b',
			'a/veth-a': 'peer /veth-a-br',
			'b/veth-b': 'peer /veth-b-br',
		});
	});

	it('uses the id tables learned from certain pairs to settle the others', () => {
		// root sees a as 0 and b as 1 (learned from the first pairs); x in root could pair with
		// a/e2 or b/e2 by index alone, but it says netnsid 1, which is b
		const h = host({
			'': [link(3, 'va', { link_index: 2, link_netnsid: 0 }), link(4, 'vb', { link_index: 2, link_netnsid: 1 }), link(9, 'x', { link_index: 7, link_netnsid: 1 })],
			a: [link(2, 'eth0', { link_index: 3, link_netnsid: 0 }), link(7, 'e2', { link_index: 9, link_netnsid: 0 })],
			b: [link(2, 'eth0', { link_index: 4, link_netnsid: 0 }), link(7, 'e2', { link_index: 9, link_netnsid: 0 })],
		});
		const s = summary(h);
		expect(s.links['/x']).toBe('peer b/e2');
		expect(s.links['b/e2']).toBe('peer /x');
		expect(s.links['a/e2']).toBe('peer-unseen');
		expect(s.warnings).toEqual([]);
	});

	it('chooses among equal candidates by name, and says so', () => {
		const h = host({
			'': [link(3, 'veth-a', { link_index: 2, link_netnsid: 0 })],
			a: [link(2, 'veth-a-in', { link_index: 3, link_netnsid: 0 })],
			b: [link(2, 'eth0', { link_index: 3, link_netnsid: 0 })],
		});
		const s = summary(h);
		expect(s.links).toEqual({ '/veth-a': 'peer a/veth-a-in (guessed)', 'a/veth-a-in': 'peer /veth-a (guessed)', 'b/eth0': 'peer-unseen' });
		expect(s.warnings).toEqual(['h: (root)/veth-a has 2 possible veth peers; chose a/veth-a-in by name']);
	});

	it('leaves lab-wired interfaces to the hidden infrastructure', () => {
		const h = host({ '': [link(2, 'eth0', { link_index: 2, link_netnsid: 99 })], a: [link(3, 'x', { link_index: 2, link_netnsid: 0 })] }, [{ netns: '', ifname: 'eth0' }]);
		expect(summary(h).links).toEqual({ '/eth0': 'hidden', 'a/x': 'lower /eth0' });
	});

	it('tells a macvlan (link points one way) from a veth in the same namespace', () => {
		const h = host({ '': [link(2, 'eth0'), link(3, 'mv0', { link: 'eth0' }), link(4, 'v0', { link: 'v1' }), link(5, 'v1', { link: 'v0' })] });
		expect(summary(h).links).toEqual({ '/eth0': 'none', '/mv0': 'lower /eth0', '/v0': 'peer /v1', '/v1': 'peer /v0' });
	});

	it('trusts ip -d: a declared veth never becomes a lower link', () => {
		const h = host({ '': [link(2, 'eth0')], a: [link(5, 'v', { link_index: 2, link_netnsid: 0, linkinfo: { info_kind: 'veth' } })] });
		expect(summary(h).links['a/v']).toBe('peer-unseen');
	});
});

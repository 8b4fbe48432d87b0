import { describe, expect, it } from 'vitest';
import { toTopology } from './to-topology.ts';
import type { Topology, TopologyInterface } from './model.ts';
import { load } from './fixtures.test-helper.ts';

const topo = (name: string, options = {}): Topology => {
	const { state, lab } = load(name);
	return toTopology(state, lab, options);
};
const iface = (t: Topology, id: string): TopologyInterface => {
	for (const h of t.hosts) for (const ns of h.namespaces) for (const i of ns.interfaces) if (i.id === id) return i;
	throw new Error(`no interface ${id}`);
};
const links = (t: Topology) => t.links.map((l) => `${l.kind} ${l.a} ${l.b}${l.up ? '' : ' (down)'}`);

describe('veth peers across namespaces', () => {
	it('pairs veth-alice and veth-bob although each sees the other namespace under a different id', () => {
		const t = topo('veth-pair');
		expect(iface(t, 'pi/alice/veth-alice').peer).toBe('pi/bob/veth-bob');
		expect(iface(t, 'pi/bob/veth-bob').peer).toBe('pi/alice/veth-alice');
		expect(links(t)).toEqual(['uplink pi//eth0 upstream', 'veth pi/alice/veth-alice pi/bob/veth-bob']);
		expect(t.warnings).toEqual([]);
	});

	it('tells two pods apart whose eth0 both have ifindex 2 and see the root as id 0', () => {
		const t = topo('cni');
		expect(iface(t, 'node1//veth231091a8').peer).toBe('node1/cni-34ee79ad-7eab-982e-5f03-ffcab5e1d9e3/eth0');
		expect(iface(t, 'node1//vethcadf0837').peer).toBe('node1/cni-b5398207-2881-f1ab-015e-8c38c4b36e3e/eth0');
		expect(iface(t, 'node2//vethf6f32b86').peer).toBe('node2/cni-0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5/eth0');
	});

	it('keeps a veth pair with both ends in one namespace, both down', () => {
		const t = topo('fresh');
		expect(iface(t, 'pi//veth0').peer).toBe('pi//veth-x');
		expect(links(t)).toContain('veth pi//veth0 pi//veth-x (down)');
		expect(iface(t, 'pi//veth0').state).toBe('down');
	});

	it('draws a namespace it cannot see (a Docker container) as a ghost holding the peer', () => {
		const t = topo('docker');
		expect(iface(t, 'pi//veth9f1e2d3').peerHint).toEqual({ ifindex: 2, netnsid: 2 });
		expect(t.hosts[0]!.ghosts).toEqual([{ id: 'pi/?@2', host: 'pi', netnsid: 2, ends: ['pi//veth9f1e2d3'] }]);
		expect(links(t)).toContain('ghost pi//veth9f1e2d3 pi/?@2');
	});
});

describe('bridges', () => {
	it('lists members in ifindex order and infers the kind without ip -d', () => {
		const t = topo('bridge');
		expect(t.bridges).toEqual([{ id: 'pi//v-br-0', members: ['pi//veth-alice-br', 'pi//veth-bob-br'] }]);
		expect(iface(t, 'pi//v-br-0')).toMatchObject({ kind: 'bridge', kindCertain: false, addresses: [{ cidr: '192.168.25.5/24' }] });
		expect(iface(t, 'pi//veth-alice-br')).toMatchObject({ kind: 'veth', master: 'pi//v-br-0', peer: 'pi/alice/veth-alice' });
	});

	it('keeps an empty bridge, recognised by name', () => {
		const t = topo('macvlan');
		expect(t.bridges).toEqual([{ id: 'pi//br-empty', members: [] }]);
		expect(iface(t, 'pi//br-empty').state).toBe('down');
	});

	it('docker0 has three members, one of them leading to an unlisted namespace', () => {
		expect(topo('docker').bridges[0]!.members).toEqual(['pi//vethca84d13', 'pi//veth0352a8a', 'pi//veth9f1e2d3']);
	});
});

describe('kinds', () => {
	it('infers from plain ip -j what ip -d -j declares', () => {
		for (const [plain, detailed] of [['cni', 'cni-detailed'], ['macvlan', 'macvlan-detailed']] as const) {
			const kinds = (t: Topology) => t.hosts.flatMap((h) => h.namespaces.flatMap((ns) => ns.interfaces.map((i) => `${i.id} ${i.kind}`)));
			expect(kinds(topo(plain))).toEqual(kinds(topo(detailed)));
		}
	});

	it('finds a macvlan parent across namespaces (mv-alice on the root eth0)', () => {
		const t = topo('macvlan');
		expect(iface(t, 'pi/alice/mv-alice')).toMatchObject({ kind: 'macvlan', lower: 'pi//eth0' });
		expect(iface(t, 'pi//mv-host')).toMatchObject({ kind: 'macvlan', lower: 'pi//eth0' });
		expect(t.links.filter((l) => l.kind === 'veth')).toEqual([]);
	});

	it('reads the VNI and the lower device of a vxlan from ip -d', () => {
		expect(iface(topo('cni-detailed'), 'node1//flannel.1')).toMatchObject({ kind: 'vxlan', kindCertain: true, vni: 1, lower: 'node1//eth0' });
	});
});

describe('lab wiring', () => {
	it('plugs host interfaces into switches in lab order', () => {
		const t = topo('router');
		expect(t.switches).toEqual([
			{ id: 'switch:switch1', name: 'switch1', ports: ['alice//eth0', 'bob//eth0', 'router//eth0'] },
			{ id: 'switch:switch2', name: 'switch2', ports: ['router//eth1', 'charlie//eth0', 'diana//eth0'] },
		]);
		expect(t.hosts.map((h) => h.name)).toEqual(['alice', 'bob', 'router', 'charlie', 'diana']);
		expect(iface(t, 'router//eth1').wired).toEqual({ switch: 'switch2' });
	});

	it('plugs the uplink into the home router and never resolves it to a lab namespace', () => {
		const t = topo('bridge');
		expect(t.upstream).toEqual({ id: 'upstream', gateway: '192.168.0.1/24', internet: ['8.8.8.8', '1.1.1.1'], ports: ['pi//eth0'] });
		expect(iface(t, 'pi//eth0')).toMatchObject({ wired: { uplink: true } });
		expect(iface(t, 'pi//eth0').peer).toBeUndefined();
	});

	it('joins the two flannel.1 tunnels by their routes (plain) and by VNI (ip -d)', () => {
		for (const name of ['cni', 'cni-detailed'])
			expect(topo(name).links.filter((l) => l.kind === 'overlay').map((l) => l.id)).toEqual(['overlay:node1//flannel.1|node2//flannel.1']);
	});
});

describe('namespaces, lo and addresses', () => {
	it('omits lo, but remembers that a fresh namespace has it down', () => {
		const t = topo('fresh');
		const spaces = t.hosts[0]!.namespaces.map((ns) => [ns.id, ns.loopback, ns.interfaces.map((i) => i.name)]);
		expect(spaces).toEqual([
			['pi/', 'up', ['eth0', 'veth0', 'veth-x']],
			['pi/alice', 'down', []],
			['pi/bob', 'up', []],
		]);
	});

	it('keeps the default route of each namespace', () => {
		const t = topo('bridge');
		expect(t.hosts[0]!.namespaces.map((ns) => ns.defaultRoute)).toEqual([
			{ via: '192.168.0.1', dev: 'eth0' },
			{ via: '192.168.25.5', dev: 'veth-alice' },
			{ via: '192.168.25.5', dev: 'veth-bob' },
		]);
	});

	it('drops IPv6 link-local addresses unless asked', () => {
		expect(iface(topo('two-hosts'), 'alice//eth0').addresses.map((a) => a.cidr)).toEqual(['192.168.1.1/24']);
		const all = iface(topo('two-hosts', { includeLinkLocal: true }), 'alice//eth0').addresses;
		expect(all.map((a) => a.family)).toEqual(['inet', 'inet6']);
		expect(all[1]!.cidr).toMatch(/^fe80::.*\/64$/);
	});

	it('shows lo when it carries a real address', () => {
		const { state, lab } = load('fresh');
		const s = structuredClone(state) as Record<string, Record<string, { addr: { ifname: string; addr_info: object[] }[] }>>;
		s['pi']!['bob']!.addr.find((a) => a.ifname === 'lo')!.addr_info.push({ family: 'inet', local: '10.96.0.10', prefixlen: 32, scope: 'global' });
		const bob = toTopology(s, lab).hosts[0]!.namespaces.find((n) => n.name === 'bob')!;
		expect(bob.interfaces.map((i) => [i.name, i.kind, i.addresses.map((a) => a.cidr)])).toEqual([['lo', 'loopback', ['10.96.0.10/32']]]);
	});
});

describe('robustness', () => {
	it('never throws on garbage and reports hosts without state', () => {
		const { lab } = load('two-hosts');
		expect(toTopology(null, lab)).toMatchObject({ hosts: [], warnings: ['alice: no state recorded', 'bob: no state recorded'] });
		expect(toTopology({ alice: { '': { link: 'nope' } } }, lab).hosts[0]!.namespaces[0]!.interfaces).toEqual([]);
	});

	it('does not depend on key order in the state', () => {
		const { state, lab } = load('cni');
		const reversed = Object.fromEntries(
			Object.entries(state as Record<string, Record<string, unknown>>).reverse().map(([h, spaces]) => [h, Object.fromEntries(Object.entries(spaces).reverse())]),
		);
		expect(toTopology(reversed, lab)).toEqual(toTopology(state, lab));
	});
});

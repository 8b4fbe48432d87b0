import type { Topology, TopologyInterface, TopologyNamespace } from './model.ts';

/**
 * Text alternatives of a topology, for the SVG's `<title>`/`<desc>` and the page's text version.
 * Full names are used (no shortening), and the order follows the model, so the text is stable.
 */

const nsName = (host: string, ns: string): string => (ns === '' ? `the root namespace of ${host}` : `namespace ${ns}`);

function where(id: string, from: TopologyInterface): string {
	const [host = '', ns = '', name = ''] = id.split('/');
	if (host !== from.host) return `${name} on ${host}`;
	if (ns === from.netns) return name;
	return `${name} in ${nsName(host, ns)}`;
}

function describeInterface(t: Topology, i: TopologyInterface, byId: Map<string, TopologyInterface>): string {
	const kind = i.kind !== 'veth' && i.kind !== 'other' ? ` (${i.kind}${i.vni !== undefined ? ` ${i.vni}` : ''})` : '';
	const addrs = i.addresses.length ? i.addresses.map((a) => a.cidr).join(', ') : 'no address';
	const state = i.state === 'no-carrier' ? 'up, no carrier' : i.state === 'unknown' ? 'state unknown' : i.state;
	const parts = [`${i.name}${kind}: ${addrs}, ${state}`];
	const links: string[] = [];
	if (i.wired && 'switch' in i.wired) links.push(`plugged into ${i.wired.switch}`);
	if (i.wired && 'uplink' in i.wired) links.push(`plugged into the home router${t.upstream ? ` (${t.upstream.gateway.split('/')[0]})` : ''}`);
	if (i.peer) links.push(`veth pair with ${where(i.peer, i)}`);
	if (i.peerHint) links.push(`veth pair with interface ${i.peerHint.ifindex} of a namespace not listed by ip netns${i.peerHint.netnsid !== undefined ? ` (netns id ${i.peerHint.netnsid})` : ''}`);
	if (i.master) links.push(`port of bridge ${byId.get(i.master)?.name ?? i.master}`);
	if (i.lower) links.push(`on top of ${where(i.lower, i)}`);
	for (const o of t.links) if (o.kind === 'overlay' && (o.a === i.id || o.b === i.id)) links.push(`tunnel to ${where(o.a === i.id ? o.b : o.a, i)}`);
	return `${parts.join(' ')}${links.length ? `; ${links.join('; ')}` : ''}`;
}

function describeNamespace(t: Topology, ns: TopologyNamespace, byId: Map<string, TopologyInterface>): string[] {
	const head = ns.name === '' ? `Host ${ns.host}` : `Namespace ${ns.name} on ${ns.host}`;
	const facts: string[] = [];
	if (ns.defaultRoute) facts.push(`default route ${ns.defaultRoute.via ? `via ${ns.defaultRoute.via}` : `dev ${ns.defaultRoute.dev}`}`);
	if (ns.loopback === 'down') facts.push('lo is down');
	const lines = [`${head}${ns.interfaces.length ? '' : ': no interfaces besides lo'}${facts.length ? ` (${facts.join(', ')})` : ''}${ns.interfaces.length ? ':' : '.'}`];
	for (const i of ns.interfaces) {
		const bridge = t.bridges.find((b) => b.id === i.id);
		const members = bridge ? `; bridge with ${bridge.members.length ? `ports ${bridge.members.map((m) => byId.get(m)?.name ?? m).join(', ')}` : 'no ports'}` : '';
		lines.push(`- ${describeInterface(t, i, byId)}${members}.`);
	}
	return lines;
}

/** One line naming what the diagram shows, for `<title>` when the chapter gives none. */
export function summarizeTopology(t: Topology): string {
	const hosts = t.hosts.map((h) => {
		const named = h.namespaces.filter((n) => n.name !== '').map((n) => n.name);
		return named.length ? `${h.name} (namespaces ${named.join(', ')})` : h.name;
	});
	return `Network diagram: ${hosts.join(', ')}${t.switches.length ? `; switch${t.switches.length > 1 ? 'es' : ''} ${t.switches.map((s) => s.name).join(', ')}` : ''}${t.upstream ? '; home router and internet' : ''}`;
}

/**
 * A full text alternative: every host, namespace, interface (kind, addresses, state), every veth
 * pair, bridge port, switch cable, tunnel and the upstream, one fact per line.
 */
export function describeTopology(t: Topology): string {
	const byId = new Map<string, TopologyInterface>();
	for (const h of t.hosts) for (const ns of h.namespaces) for (const i of ns.interfaces) byId.set(i.id, i);
	const lines: string[] = [];
	if (t.upstream)
		lines.push(`Home router ${t.upstream.gateway.split('/')[0]}, which leads to the internet (${t.upstream.internet.join(', ')}).`);
	for (const s of t.switches) {
		const ports = s.ports.map((p) => { const [h, , name] = p.split('/'); return `${h} ${name}`; });
		lines.push(`Switch ${s.name}: ${ports.length ? ports.join(', ') : 'nothing plugged in'}.`);
	}
	for (const h of t.hosts) {
		for (const ns of h.namespaces) lines.push(...describeNamespace(t, ns, byId));
		for (const g of h.ghosts)
			lines.push(`A namespace on ${h.name} not listed by ip netns${g.netnsid !== undefined ? ` (netns id ${g.netnsid})` : ''} holds the other end of ${g.ends.map((e) => e.split('/').pop()).join(', ')}.`);
	}
	return lines.join('\n');
}

import { declaredKind, inferKind, linkState, type LinkRole } from './kinds.ts';
import { readState, type IpAddr, type IpLink, type KernelState, type NetnsState } from './ip-json.ts';
import {
	ifaceId,
	netnsId,
	type Topology,
	type TopologyAddress,
	type TopologyBridge,
	type TopologyGhost,
	type TopologyHost,
	type TopologyInterface,
	type TopologyLab,
	type TopologyLink,
	type TopologyNamespace,
} from './model.ts';
import { resolveLinks, type Endpoint, type Resolution } from './peers.ts';
import { overlayLinks } from './overlay.ts';

/** Options of {@link toTopology}. */
export interface TopologyOptions {
	/** Keep IPv6 link-local (fe80::/10) addresses; they are noise in most diagrams. Default false. */
	includeLinkLocal?: boolean;
	/** Keep IPv6 addresses at all. Default true (global ones only, unless includeLinkLocal). */
	includeIpv6?: boolean;
}

/**
 * Builds the Topology model from recorded kernel state (`ip -j` captures of every namespace of
 * every host) and the lab definition (switches and the upstream live in hidden namespaces that
 * the state does not show; the lab says which host interface plugs into which).
 * Pure and deterministic: the same input gives the same model. Never throws on odd state.
 */
export function toTopology(state: KernelState | unknown, lab: TopologyLab, options: TopologyOptions = {}): Topology {
	const st = readState(state);
	const warnings: string[] = [];
	const labHosts = lab.hosts.map((h) => h.name);
	const extra = Object.keys(st).filter((h) => !labHosts.includes(h)).sort();
	for (const h of labHosts) if (!st[h]) warnings.push(`${h}: no state recorded`);
	const wiring: Wiring = { switchPorts: new Map(), upstreamPorts: [], all: new Map() };
	const hosts = [...labHosts.filter((h) => st[h]), ...extra].map((host) =>
		buildHost(host, st[host]!, lab.hosts.find((h) => h.name === host)?.interfaces ?? [], options, wiring, warnings),
	);
	const { bridges, links } = bridgesAndLinks(hosts, wiring.all);
	links.push(...overlayLinks(hosts, st));
	const topology: Topology = {
		...(lab.name ? { lab: lab.name } : {}),
		hosts,
		bridges,
		switches: (lab.switches ?? []).map((s) => ({ id: `switch:${s.name}`, name: s.name, ports: wiring.switchPorts.get(s.name) ?? [] })),
		links,
		warnings,
	};
	if (lab.upstream)
		topology.upstream = { id: 'upstream', gateway: lab.upstream.gateway, internet: lab.upstream.internet.slice(), ports: wiring.upstreamPorts };
	return topology;
}

/** What the hosts' interfaces plug into, gathered while building them: switch ports, uplinks, every interface by id. */
interface Wiring {
	switchPorts: Map<string, string[]>;
	upstreamPorts: string[];
	all: Map<string, TopologyInterface>;
}

/** One lab interface: plugged into a switch, or the uplink. */
type LabInterface = TopologyLab['hosts'][number]['interfaces'][number];

/** A host: its namespaces (root first, then by name), their interfaces, and ghosts for unseen peers. */
function buildHost(host: string, spaces: Record<string, NetnsState>, wiring: LabInterface[], options: TopologyOptions, out: Wiring, warnings: string[]): TopologyHost {
	const names = Object.keys(spaces).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
	const hidden = wiredEndpoints(spaces, names, wiring.map((w) => w.name));
	const { links: res, warnings: w } = resolveLinks({ host, namespaces: names.map((name) => ({ name, links: spaces[name]!.link })), hidden });
	warnings.push(...w);
	const ghosts = new Map<string, TopologyGhost>();
	const namespaces = names.map((name): TopologyNamespace => {
		const ns = spaces[name]!;
		const masters = new Set(ns.link.map((l) => l.master).filter((m): m is string => m !== undefined));
		const lo = ns.link.find((l) => l.link_type === 'loopback');
		const interfaces: TopologyInterface[] = [];
		for (const link of ns.link.slice().sort((a, b) => a.ifindex - b.ifindex)) {
			const r = res.get(`${name}\u0000${link.ifname}`) ?? { role: 'none' };
			const iface = makeInterface(host, name, link, ns, r, masters.has(link.ifname), options);
			// lo is left out unless it carries a service address (the namespace notes `lo down` instead)
			if (iface.kind === 'loopback' && !iface.addresses.some((a) => !isLoopbackAddress(a.cidr))) continue;
			if (iface.kind === 'loopback') iface.addresses = iface.addresses.filter((a) => !isLoopbackAddress(a.cidr));
			const wired = hidden.some((e) => e.netns === name && e.ifname === link.ifname) ? wiring.find((x) => x.name === link.ifname) : undefined;
			plug(iface, wired, out);
			if (r.role === 'peer-unseen') {
				const gid = `${host}/?${name}@${r.netnsid ?? '?'}`;
				const g = ghosts.get(gid) ?? { id: gid, host, ends: [], ...(r.netnsid !== undefined ? { netnsid: r.netnsid } : {}) };
				g.ends.push(iface.id);
				ghosts.set(gid, g);
			}
			interfaces.push(iface);
			out.all.set(iface.id, iface);
		}
		const def = ns.route.find((x) => x.dst === 'default');
		return {
			id: netnsId(host, name),
			host,
			name,
			interfaces,
			loopback: lo ? linkState(lo) : 'absent',
			...(def ? { defaultRoute: { ...(def.gateway ? { via: def.gateway } : {}), ...(def.dev ? { dev: def.dev } : {}) } } : {}),
		};
	});
	return { name: host, namespaces, ghosts: [...ghosts.values()] };
}

/** Marks an interface the lab plugs into a switch or the uplink, and records the switch port. */
function plug(iface: TopologyInterface, wired: LabInterface | undefined, out: Wiring): void {
	if (wired?.switch) {
		iface.wired = { switch: wired.switch };
		const ports = out.switchPorts.get(wired.switch) ?? [];
		ports.push(iface.id);
		out.switchPorts.set(wired.switch, ports);
	} else if (wired?.uplink) {
		iface.wired = { uplink: true };
		out.upstreamPorts.push(iface.id);
	}
}

/** Bridges, and links in a stable order: host by host, namespace by namespace, ifindex order. */
function bridgesAndLinks(hosts: TopologyHost[], all: Map<string, TopologyInterface>): { bridges: TopologyBridge[]; links: TopologyLink[] } {
	const bridges: TopologyBridge[] = [];
	const links: TopologyLink[] = [];
	const paired = new Set<string>();
	for (const host of hosts)
		for (const ns of host.namespaces)
			for (const iface of ns.interfaces) {
				if (iface.kind === 'bridge')
					bridges.push({
						id: iface.id,
						members: ns.interfaces.filter((i) => i.master === iface.id).map((i) => i.id),
					});
				if (iface.peer && all.has(iface.peer) && !paired.has(iface.id)) {
					paired.add(iface.peer);
					links.push({ id: `veth:${iface.id}|${iface.peer}`, kind: 'veth', a: iface.id, b: iface.peer, up: iface.state === 'up' && all.get(iface.peer)!.state === 'up' });
				}
				if (iface.peerHint)
					links.push({ id: `ghost:${iface.id}`, kind: 'ghost', a: iface.id, b: host.ghosts.find((g) => g.ends.includes(iface.id))!.id, up: iface.state === 'up' });
				if (iface.wired && 'switch' in iface.wired)
					links.push({ id: `cable:${iface.id}`, kind: 'cable', a: iface.id, b: `switch:${iface.wired.switch}`, up: iface.state === 'up' });
				if (iface.wired && 'uplink' in iface.wired)
					links.push({ id: `uplink:${iface.id}`, kind: 'uplink', a: iface.id, b: 'upstream', up: iface.state === 'up' });
			}
	return { bridges, links };
}

/**
 * Where each lab-wired interface is: normally in the root namespace; if a chapter moved it into
 * a named namespace, the one there whose `link` leads outside.
 */
function wiredEndpoints(spaces: Record<string, NetnsState>, names: string[], wired: string[]): Endpoint[] {
	const found: Endpoint[] = [];
	for (const ifname of wired) {
		if (spaces['']?.link.some((l) => l.ifname === ifname)) {
			found.push({ netns: '', ifname });
			continue;
		}
		const moved = names.find((n) => spaces[n]!.link.some((l) => l.ifname === ifname && l.link_netnsid !== undefined));
		if (moved !== undefined) found.push({ netns: moved, ifname });
	}
	return found;
}

function makeInterface(
	host: string,
	netns: string,
	link: IpLink,
	ns: NetnsState,
	r: Resolution,
	hasPorts: boolean,
	options: TopologyOptions,
): TopologyInterface {
	const declared = declaredKind(link);
	const role: LinkRole = r.role === 'hidden' ? 'peer-unseen' : r.role;
	const kind = declared ?? inferKind(link, role, hasPorts);
	const flags = link.flags ?? [];
	const iface: TopologyInterface = {
		id: ifaceId(host, netns, link.ifname),
		host,
		netns,
		name: link.ifname,
		ifindex: link.ifindex,
		kind,
		kindCertain: declared !== undefined,
		state: linkState(link),
		adminUp: flags.includes('UP'),
		addresses: addresses(ns.addr.find((a) => a.ifindex === link.ifindex && a.ifname === link.ifname), options),
	};
	if (link.mtu !== undefined) iface.mtu = link.mtu;
	if (r.role === 'peer') iface.peer = ifaceId(host, r.to.netns, r.to.ifname);
	if (r.role === 'lower') iface.lower = ifaceId(host, r.to.netns, r.to.ifname);
	if (r.role === 'peer-unseen')
		iface.peerHint = { ifindex: r.ifindex, ...(r.netnsid !== undefined ? { netnsid: r.netnsid } : {}) };
	if (link.master !== undefined) iface.master = ifaceId(host, netns, link.master);
	const data = link.linkinfo?.info_data;
	if (kind === 'vxlan' && data) {
		if (typeof data['id'] === 'number') iface.vni = data['id'];
		if (typeof data['link'] === 'string') iface.lower = ifaceId(host, netns, data['link']);
	}
	return iface;
}

function addresses(rec: IpAddr | undefined, options: TopologyOptions): TopologyAddress[] {
	const list = (rec?.addr_info ?? []).filter(
		(a) =>
			(a.family === 'inet' || a.family === 'inet6') &&
			typeof a.local === 'string' &&
			typeof a.prefixlen === 'number' &&
			(a.family === 'inet' ||
				(options.includeIpv6 !== false && (options.includeLinkLocal === true || !/^fe[89ab]/i.test(a.local)))),
	);
	const v4 = list.filter((a) => a.family === 'inet');
	const v6 = list.filter((a) => a.family === 'inet6');
	return [...v4, ...v6].map((a) => ({
		family: a.family as 'inet' | 'inet6',
		cidr: `${a.local}/${a.prefixlen}`,
		scope: a.scope ?? 'global',
	}));
}

const isLoopbackAddress = (cidr: string): boolean => cidr.startsWith('127.') || cidr.startsWith('::1/');

/** A network namespace: devices, addresses, routes, neighbours, sysctls, netfilter, conntrack. */
import type { UserNs } from './process.ts';
import { broadcastOf, networkOf, type Ipv4 } from '../addr/ipv4.ts';
import { linkLocalOf, ZERO_MAC, type Mac } from '../addr/mac.ts';
import type { Conntrack } from './conntrack.ts';
import { sortRoutes, TABLE_LOCAL, TABLE_MAIN, type Route } from './fib.ts';
import { Link, type LinkKind } from './link.ts';
import type { Neigh } from './neigh.ts';
import { Netfilter } from './netfilter.ts';
import type { World } from './world.ts';
import { atLeast } from '../profile/profile.ts';

/** An IPv4 or IPv6 interface address. */
export interface Addr {
	family: 4 | 6;
	link: Link;
	/** IPv4 as a number; IPv6 as printed text. */
	local: Ipv4 | string;
	prefixlen: number;
	scope: 'global' | 'link' | 'host';
	brd?: Ipv4 | undefined;
	/** A point-to-point address's far end (`peer`): its prefix route is the peer's, not the local's. */
	peer?: Ipv4 | undefined;
	/** IFA_F_NOPREFIXROUTE: no route for the subnet, now or when the device comes up again. */
	noprefixroute?: boolean | undefined;
	secondary: boolean;
	label: string;
	/** IPv6 DAD: tentative until this virtual time. */
	tentativeUntil?: number | undefined;
	/** IPv6 autoconf addresses go when the device goes down. */
	auto?: boolean | undefined;
	/**
	 * Who made the address (IFA_PROTO, kernel 5.18+): the kernel marks the IPv6 addresses it makes
	 * itself, `::1` on lo (`kernel_lo`) and link-locals (`kernel_ll`); others carry none.
	 */
	proto?: 'kernel_lo' | 'kernel_ll' | undefined;
}

/** A policy routing rule (`ip rule`). */
export interface PolicyRule {
	priority: number;
	table: number;
	from?: { addr: Ipv4; len: number } | undefined;
	to?: { addr: Ipv4; len: number } | undefined;
}

/** Per-device IPv4 `conf` defaults of a fresh namespace. */
const IPV4_CONF: Record<string, string> = {
	accept_local: '0', accept_redirects: '1', accept_source_route: '0', arp_accept: '0', arp_announce: '0', arp_filter: '0', arp_ignore: '0', arp_notify: '0',
	bootp_relay: '0', disable_policy: '0', disable_xfrm: '0', log_martians: '0', mc_forwarding: '0', medium_id: '0', promote_secondaries: '0',
	proxy_arp: '0', proxy_arp_pvlan: '0', route_localnet: '0', rp_filter: '0', secure_redirects: '1', send_redirects: '1', shared_media: '1', src_valid_mark: '0', tag: '0',
};

/** Per-device IPv6 `conf` defaults. */
const IPV6_CONF: Record<string, string> = {
	accept_dad: '1', accept_ra: '1', autoconf: '1', disable_ipv6: '0', forwarding: '0', hop_limit: '64', mtu: '1280', dad_transmits: '1',
};

/** Default sysctls of a fresh namespace (only those the simulator reads or users look at). */
const DEFAULT_SYSCTLS: Record<string, string> = {
	'net.ipv4.ip_forward': '0',
	'net.ipv4.ip_default_ttl': '64',
	'net.ipv4.icmp_echo_ignore_all': '0',
	'net.ipv4.icmp_echo_ignore_broadcasts': '1',
	'net.ipv4.conf.all.rp_filter': '0',
	'net.ipv4.conf.default.rp_filter': '0',
	'net.ipv4.conf.all.proxy_arp': '0',
	'net.ipv4.conf.all.arp_ignore': '0',
	'net.ipv4.conf.all.accept_redirects': '1',
	'net.ipv4.conf.all.send_redirects': '1',
	'net.ipv4.ping_group_range': '1\t0',
	'net.ipv4.ip_local_port_range': '32768\t60999',
	'net.ipv6.conf.all.forwarding': '0',
	'net.ipv6.conf.all.disable_ipv6': '0',
	'net.ipv6.conf.default.disable_ipv6': '0',
	'net.bridge.bridge-nf-call-iptables': '1',
	'net.bridge.bridge-nf-call-ip6tables': '1',
	'net.bridge.bridge-nf-call-arptables': '1',
	'net.netfilter.nf_conntrack_max': '262144',
	'net.core.somaxconn': '4096',
};

/** One network namespace. */
export class Netns {
	readonly world: World;
	/** Serial number, for debugging and stable maps. */
	readonly serial: number;
	links: Link[] = [];
	addrs: Addr[] = [];
	routes: Route[] = [];
	/** Policy rules sorted by priority; the three defaults of every namespace. */
	rules: PolicyRule[] = [
		{ priority: 0, table: TABLE_LOCAL },
		{ priority: 32766, table: TABLE_MAIN },
		{ priority: 32767, table: 253 },
	];
	neigh: Neigh[] = [];
	sysctl: Map<string, string>;
	netfilter = new Netfilter();
	conntrack: Conntrack[] = [];
	/**
	 * The kernel's MIB counters that the simulator keeps, by the names nstat gives them
	 * (`TcpExtIPReversePathFilter`: packets reverse-path filtering dropped). Absent means 0.
	 */
	counters = new Map<string, number>();
	/** Ids this namespace has given to other namespaces (peernet2id). */
	nsids = new Map<Netns, number>();
	alive = true;
	/** Its inode number (`net:[N]` in /proc/PID/ns/net), set by World.createNetns. */
	inode = 0;
	/** The user namespace that owns it (`unshare --user --net`); undefined: the host's own. */
	owner?: UserNs | undefined;
	private nextIfindex = 1;

	constructor(world: World, serial: number) {
		this.world = world;
		this.serial = serial;
		this.sysctl = new Map(Object.entries(DEFAULT_SYSCTLS));
		this.addLink('lo', 'loopback', ZERO_MAC);
	}

	/** Allocates an ifindex the way the kernel does: the next free one after the last allocated. */
	allocIfindex(wanted?: number): number {
		if (wanted !== undefined && !this.links.some((l) => l.ifindex === wanted)) return wanted;
		let i = this.nextIfindex;
		while (this.links.some((l) => l.ifindex === i)) i++;
		this.nextIfindex = i + 1;
		return i;
	}

	/** Creates a device in this namespace. */
	addLink(name: string, kind: LinkKind, mac: Mac, ifindex?: number): Link {
		const link = new Link(this, this.allocIfindex(ifindex), name, kind, mac);
		this.insertLink(link);
		return link;
	}

	/** Puts a device into this namespace's list, keeping ifindex order. */
	insertLink(link: Link): void {
		this.links.push(link);
		this.links.sort((a, b) => a.ifindex - b.ifindex);
	}

	/** Finds a device by name. */
	link(name: string): Link | undefined {
		return this.links.find((l) => l.name === name);
	}

	/** Finds a device by ifindex. */
	linkByIndex(ifindex: number): Link | undefined {
		return this.links.find((l) => l.ifindex === ifindex);
	}

	/** The loopback device. */
	get lo(): Link {
		return this.links.find((l) => l.kind === 'loopback') as Link;
	}

	/** Reads a sysctl; per-device `conf` keys exist for each device (dots in names as `/`). */
	get(key: string): string | undefined {
		const direct = this.sysctl.get(key);
		if (direct !== undefined) return direct;
		const m = /^net\.(ipv4|ipv6)\.conf\.(.+)\.([a-z_0-9]+)$/.exec(key);
		if (!m) return undefined;
		const [, fam, dev, leaf] = m as unknown as [string, string, string, string];
		const isDev = this.links.some((l) => l.name === dev.replaceAll('/', '.'));
		if (!isDev && dev !== 'all' && dev !== 'default') return undefined;
		if (fam === 'ipv4' && leaf === 'forwarding') return this.get('net.ipv4.ip_forward');
		return (fam === 'ipv4' ? IPV4_CONF : IPV6_CONF)[leaf];
	}

	/** Writes a sysctl, keeping the forwarding switches in step as the kernel does. */
	setSysctl(key: string, value: string): void {
		if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
			this.sysctl.set('net.ipv4.ip_forward', value);
			for (const k of [...this.sysctl.keys()]) if (/^net\.ipv4\.conf\..+\.forwarding$/.test(k) && true) this.sysctl.delete(k);
			return;
		}
		this.sysctl.set(key, value);
	}

	/** Directory-like sysctl prefixes (for `sysctl net.ipv4`). */
	sysctlDirs(): Set<string> {
		const dirs = new Set<string>();
		for (const k of this.sysctl.keys()) {
			const parts = k.split('.');
			for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('.'));
		}
		return dirs;
	}

	/** True when IPv4 forwarding is on. */
	forwarding(): boolean {
		return this.get('net.ipv4.ip_forward') !== '0';
	}

	/**
	 * True when packets that arrive on `dev` may be forwarded (IN_DEV_FORWARD): the device's own
	 * `forwarding` switch, which `ip_forward` sets on every device but which can be set alone.
	 */
	forwardingOn(dev: Link): boolean {
		return this.get(`net.ipv4.conf.${dev.name.replaceAll('.', '/')}.forwarding`) !== '0';
	}

	/** The id this namespace uses for `other`, allocating the lowest free one when asked to. */
	nsid(other: Netns, alloc: boolean): number | undefined {
		if (other === this) return undefined;
		const known = this.nsids.get(other);
		if (known !== undefined || !alloc) return known;
		const used = new Set(this.nsids.values());
		let id = 0;
		while (used.has(id)) id++;
		this.nsids.set(other, id);
		return id;
	}

	/** Adds one to a MIB counter (`counters`). */
	count(name: string): void {
		this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
	}

	/** IPv4 addresses, optionally of one device. */
	v4(link?: Link): Addr[] {
		return this.addrs.filter((a) => a.family === 4 && (!link || a.link === link));
	}

	/** True when `ip` is one of this namespace's IPv4 addresses. */
	isLocal(ip: Ipv4): boolean {
		return this.routes.some((r) => r.table === TABLE_LOCAL && r.type === 'local' && r.dst.len === 32 && r.dst.addr === ip) ||
			this.routes.some((r) => r.table === TABLE_LOCAL && r.type === 'local' && r.dst.len < 32 && networkOf(ip, r.dst.len) === r.dst.addr);
	}

	/** Routes of one table in dump order. */
	table(id: number): Route[] {
		return sortRoutes(this.routes.filter((r) => r.table === id));
	}

	/** Adds the kernel routes of one IPv4 address (fib_add_ifaddr). */
	addAddrRoutes(a: Addr): void {
		if (a.family !== 4) return;
		const local = a.local as Ipv4;
		const prim = this.primaryFor(a);
		const src = prim.local as Ipv4;
		this.pushRoute({ table: TABLE_LOCAL, type: 'local', dst: { addr: local, len: 32 }, dev: a.link, proto: 'kernel', scope: 'host', prefsrc: src, metric: 0, onlink: false });
		if (!a.link.adminUp) return;
		if (a.brd !== undefined && a.brd !== 0xffffffff)
			this.pushRoute({ table: TABLE_LOCAL, type: 'broadcast', dst: { addr: a.brd, len: 32 }, dev: a.link, proto: 'kernel', scope: 'link', prefsrc: src, metric: 0, onlink: false });
		// fib_add_ifaddr: the subnet is that of the address's IFA_ADDRESS, the peer if it has one.
		const net = networkOf(a.peer ?? local, a.prefixlen);
		if (net !== 0 && !a.secondary && (net !== local || a.prefixlen < 32)) {
			const loop = a.link.kind === 'loopback';
			if (!a.noprefixroute)
				this.pushRoute({ table: loop ? TABLE_LOCAL : TABLE_MAIN, type: loop ? 'local' : 'unicast', dst: { addr: net, len: a.prefixlen }, dev: a.link, proto: 'kernel', scope: loop ? 'host' : 'link', prefsrc: src, metric: 0, onlink: false });
			if (a.prefixlen < 31)
				this.pushRoute({ table: TABLE_LOCAL, type: 'broadcast', dst: { addr: broadcastOf(net, a.prefixlen), len: 32 }, dev: a.link, proto: 'kernel', scope: 'link', prefsrc: src, metric: 0, onlink: false });
		}
	}

	/** Removes routes that belonged to an address being deleted (fib_del_ifaddr, simplified). */
	removeAddrRoutes(a: Addr): void {
		if (a.family !== 4) return;
		const local = a.local as Ipv4;
		const others = this.v4().filter((x) => x !== a);
		this.routes = this.routes.filter((r) => {
			if (r.dev !== a.link || r.proto !== 'kernel') return true;
			if (r.type === 'local' && r.dst.len === 32 && r.dst.addr === local) return others.some((o) => o.local === local);
			if (r.prefsrc === local && !a.secondary) return false;
			if (r.type === 'broadcast' && r.dst.addr === broadcastOf(local, a.prefixlen))
				return others.some((o) => o.link === a.link && broadcastOf(o.local as Ipv4, o.prefixlen) === r.dst.addr);
			return true;
		});
	}

	/** The primary address of the subnet `a` belongs to (itself unless secondary). */
	primaryFor(a: Addr): Addr {
		if (!a.secondary) return a;
		return this.v4(a.link).find((p) => !p.secondary && networkOf(p.local as Ipv4, p.prefixlen) === networkOf(a.local as Ipv4, a.prefixlen) && p.prefixlen === a.prefixlen) ?? a;
	}

	/** Tables that exist (the kernel creates one when a route first goes in, and keeps it). */
	tables = new Set<number>([TABLE_MAIN]);

	/** Adds a route unless an identical one exists. */
	pushRoute(r: Route): void {
		this.tables.add(r.table);
		if (this.routes.some((x) => x.table === r.table && x.type === r.type && x.dst.addr === r.dst.addr && x.dst.len === r.dst.len && x.dev === r.dev && x.metric === r.metric && x.proto === r.proto && x.gateway === r.gateway)) return;
		this.routes.push(r);
	}

	/** Brings a device up: qdisc, kernel routes, IPv6 link-local, lo's addresses. */
	linkUp(link: Link): void {
		if (link.adminUp) return;
		this.world.linkwatchSync(link);
		this.setAdmin(link, true);
		// The bridge opens (its multicast router groups) before IPv4 joins all-hosts on NETDEV_UP.
		if (link.kind === 'bridge') link.mcGroups.push('router');
		link.mcGroups.push('all-hosts');
		link.qdisc = link.kind === 'nic' ? 'fq_codel' : 'noqueue';
		if (link.kind === 'bridge') {
			link.bridgeIdSet = true;
			// STP's port selection runs as the bridge opens: no forwarding port, no carrier.
			if (link.stp) {
				link.hadPorts = true;
				link.stpOnAt = this.world.now;
			}
		}
		if (link.kind === 'loopback') {
			if (!this.v4(link).some((a) => a.local === 0x7f000001))
				this.addrs.unshift({ family: 4, link, local: 0x7f000001, prefixlen: 8, scope: 'host', secondary: false, label: link.name });
			if (!this.addrs.some((a) => a.family === 6 && a.link === link))
				this.addrs.push({ family: 6, link, local: '::1', prefixlen: 128, scope: 'host', secondary: false, label: link.name, auto: false, ...this.kernelProto('kernel_lo') });
		}
		this.adminChanged(link);
	}

	/**
	 * Brings a device down: its routes go but those of scope host (fib_sync_down_dev marks dead
	 * only nexthops whose scope is not RT_SCOPE_NOWHERE, and a host route's nexthop has that
	 * scope: the local routes of its addresses, `local` and `scope host` routes a user added),
	 * IPv6 addresses go (manual ones too, unless keep_addr_on_down), neighbours flush.
	 */
	linkDown(link: Link): void {
		if (!link.adminUp) return;
		this.setAdmin(link, false);
		link.mcGroups = link.mcGroups.filter((g) => g !== 'router' && g !== 'all-hosts' && (g !== 'all-nodes' || !link.v6Ready));
		link.v6Ready = false;
		this.flushLinkState(link, true);
		// addrconf_ifdown: every IPv6 address goes, those added by hand too, unless
		// keep_addr_on_down keeps the manual ones (on lo, ::1 goes; 127.0.0.1 stays).
		const keep = this.get('net.ipv6.conf.all.keep_addr_on_down') === '1' || this.get(`net.ipv6.conf.${link.name.replaceAll('.', '/')}.keep_addr_on_down`) === '1';
		this.addrs = this.addrs.filter((a) => !(a.link === link && a.family === 6 && (a.auto || link.kind === 'loopback' || !keep)));
		this.adminChanged(link);
	}

	/**
	 * Flips the admin flag. The operstate stored for no carrier stays: only a carrier change
	 * (World's refresh) or a peer's move computes it again, as linkwatch does.
	 */
	private setAdmin(link: Link, up: boolean): void {
		link.adminUp = up;
	}

	/** After an admin change: the kernel routes of the device's addresses, the event, carrier. */
	private adminChanged(link: Link): void {
		for (const a of this.v4(link)) this.addAddrRoutes(a);
		this.world.linkEvent(link);
		this.refreshCarrier();
	}

	/**
	 * Drops routes and neighbours through a device going down, deleted or moved: permanent
	 * neighbours too (neigh_ifdown; only a carrier loss keeps them, see World). With `keepHost`, as
	 * on NETDEV_DOWN, the routes of scope host stay (a device deleted or moved away takes every
	 * route along).
	 */
	flushLinkState(link: Link, keepHost = false): void {
		this.routes = this.routes.filter((r) => r.dev !== link || (keepHost && r.scope === 'host'));
		this.neigh = this.neigh.filter((n) => n.link !== link);
	}

	/**
	 * Re-derives state that follows carrier: IPv6 link-local addresses appear when a device first
	 * has carrier (addrconf waits for it) and go when the device goes down; `linkdown` is computed
	 * at print time. Called after every change in any namespace, since a veth's carrier depends on
	 * its peer elsewhere.
	 */
	refreshCarrier(): void {
		this.world.refreshAll();
	}

	/** The protocol the kernel gives an address it makes itself (IFA_PROTO, from Linux 5.18). */
	private kernelProto(proto: 'kernel_lo' | 'kernel_ll'): Pick<Addr, 'proto'> {
		return atLeast(this.world.profile.kernel, 5, 18) ? { proto } : {};
	}

	/** Adds the EUI-64 link-local address once a device is up with carrier. */
	ensureLinkLocal(link: Link): void {
		if (link.kind === 'loopback' || !link.running()) return;
		if (this.get(`net.ipv6.conf.${link.name}.disable_ipv6`) === '1' || this.get('net.ipv6.conf.all.disable_ipv6') === '1') return;
		if (this.addrs.some((a) => a.family === 6 && a.link === link && a.auto)) return;
		// DAD: the kernel engine lets it finish after every command, so it is never seen running.
		this.addrs.push({ family: 6, link, local: linkLocalOf(link.mac), prefixlen: 64, scope: 'link', secondary: false, label: link.name, auto: true, ...this.kernelProto('kernel_ll') });
		this.world.onIpv6Start?.(link);
	}
}

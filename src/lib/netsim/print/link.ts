/** Printing of one link, shared by `ip link show`, `ip addr show` and `bridge link` (print_linkinfo). */
import { formatMac } from '../addr/mac.ts';
import type { Link } from '../model/link.ts';
import type { Host } from '../model/world.ts';
import { padEnd, type Printer } from './printer.ts';
import { atLeast } from '../profile/profile.ts';

/** How a link is printed. */
interface LinkPrintOpts {
	brief: boolean;
	details: boolean;
	stats: boolean;
	oneline: boolean;
	/** `ip addr` leaves out `mode DEFAULT`. */
	forAddr: boolean;
	/** `ip -4 addr`: no link/ether line; link-netnsid moves onto the header line. */
	familyFilter: boolean;
	/** `ip -br -6 addr`: the IPv6 link dump carries no IFLA_LINK, so no `@peer`. */
	plainName?: boolean | undefined;
}

/** The namespace id and, when the host named it, its name, of a peer in another namespace. */
function peerNetns(link: Link, host: Host): { id: number; name?: string | undefined } | undefined {
	const other = (link.peer ?? (link.kind === 'macvlan' ? link.lower : undefined))?.ns;
	if (!other || other === link.ns) return undefined;
	const id = link.ns.nsid(other, true) as number;
	let name: string | undefined;
	for (const [n, ns] of host.named) if (link.ns.nsid(ns, false) === id) name = n;
	return { id, name };
}

/** `eth0@if2`, `veth-a@veth-b` or plain `br0`. */
function linkLabel(link: Link): string {
	const other = link.peer ?? (link.kind === 'macvlan' ? link.lower : undefined);
	if (!other) return link.name;
	if (other.ns === link.ns) return `${link.name}@${other.name}`;
	return `${link.name}@if${other.ifindex}`;
}

/**
 * A link's name and M-DOWN as printed from a per-family link dump: `ip -6 addr` with no device
 * named (AF_INET6) and `bridge link` (AF_BRIDGE). Those dumps carry IFLA_LINK (the peer's or lower
 * device's ifindex) only when it differs from the device's own, and no link-netnsid, so iproute2
 * (print_name_and_link) names that index as it is known in *this* namespace: `vx@eth0` for a peer
 * elsewhere whose index is eth0's here, `vy@if6` when no device here has it; M-DOWN when the
 * device here with that index is down.
 */
export function familyDumpLabel(link: Link): { name: string; mdown: boolean } {
	const other = link.peer ?? (link.kind === 'macvlan' ? link.lower : undefined);
	const iflink = other?.ifindex ?? link.ifindex;
	if (iflink === link.ifindex) return { name: link.name, mdown: false };
	const here = link.ns.links.find((l) => l.ifindex === iflink);
	return { name: `${link.name}@${here?.name ?? `if${iflink}`}`, mdown: here !== undefined && !here.adminUp };
}

/** Prints the flags list `<A,B,C>` (JSON array "flags"); `mdown` overrides the peer test. */
export function printFlags(p: Printer, link: Link, mdown = link.peerDownHere()): void {
	const flags = link.flags();
	if (mdown) flags.push('M-DOWN');
	p.openArray('flags');
	for (const f of flags) p.str(undefined, '', f, 'json');
	p.close();
	p.out(`<${flags.join(',')}> `);
}

/** Prints the header line(s) of a link; the caller opens and closes the JSON object. */
export function printLink(p: Printer, link: Link, host: Host, o: LinkPrintOpts): void {
	const other = link.peer ?? (link.kind === 'macvlan' ? link.lower : undefined);
	const netns = peerNetns(link, host);
	if (o.brief) {
		if (other && other.ns !== link.ns) p.num('link_index', '', other.ifindex, 'json');
		else if (other) p.str('link', '', other.name, 'json');
		p.str('ifname', '', link.name, 'json');
		p.out(padEnd(o.plainName ? familyDumpLabel(link).name : linkLabel(link), 16) + ' ');
		p.str('operstate', '%s', link.operstate(), 'json');
		p.out(padEnd(link.operstate(), 14) + ' ');
		if (!o.forAddr) {
			p.str('address', '%s ', formatMac(link.mac));
			const flags = link.flags();
			if (link.peerDownHere()) flags.push('M-DOWN');
			p.openArray('flags');
			for (const f of flags) p.str(undefined, '', f, 'json');
			p.close();
			p.out(`<${flags.join(',')}> `);
		}
		return;
	}
	p.num('ifindex', '%u: ', link.ifindex);
	if (other && other.ns !== link.ns) p.num('link_index', '', other.ifindex, 'json');
	else if (other) p.str('link', '', other.name, 'json');
	p.str('ifname', '%s', link.name, 'json');
	p.out(`${linkLabel(link)}: `);
	printFlags(p, link);
	p.num('mtu', 'mtu %u ', link.mtu);
	p.str('qdisc', 'qdisc %s ', link.qdisc);
	if (link.master) p.str('master', 'master %s ', link.master.name);
	p.str('operstate', 'state %s ', link.operstate());
	if (!o.forAddr) p.str('linkmode', 'mode %s ', 'DEFAULT');
	p.str('group', 'group %s ', 'default');
	if (link.txqlen > 0) p.num('txqlen', 'qlen %u', link.txqlen);
	if (o.familyFilter) {
		if (netns) p.out(netns.name ? ` link-netns ${netns.name}` : ` link-netnsid ${netns.id}`);
		p.out(o.oneline ? '\\' : '\n');
		if (netns) p.num('link_netnsid', '', netns.id, 'json');
		return;
	}
	p.out(o.oneline ? '\\' : '\n');
	const loop = link.kind === 'loopback';
	p.str('link_type', '    link/%s ', loop ? 'loopback' : 'ether');
	p.str('address', '%s ', formatMac(link.mac));
	p.str('broadcast', 'brd %s', loop ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff');
	if (netns) {
		p.num('link_netnsid', '', netns.id, 'json');
		p.out(netns.name ? ` link-netns ${netns.name}` : ` link-netnsid ${netns.id}`);
	}
	if (o.details) printDetails(p, link, o.forAddr);
	if (o.stats && !o.forAddr) printStats(p, link, o.oneline);
}

/**
 * The `-d` details of a link (print_linkinfo's show_details part and the kind's print_opt), as
 * the imitated iproute2 prints them: 6.4 dropped the double space before `allmulti`, prints a
 * VXLAN's on/off options only where they differ from the default (in the table's order), and
 * from 6.3 on shows the IPv4 GSO/GRO limits the kernel (6.3+) reports.
 */
function printDetails(p: Printer, link: Link, forAddr = false): void {
	const loop = link.kind === 'loopback';
	const { iproute2, kernel } = link.ns.world.profile;
	const v64 = atLeast(iproute2, 6, 4);
	p.num('promiscuity', ' promiscuity %u ', link.master ? 1 : 0);
	p.num('allmulti', v64 ? 'allmulti %u ' : ' allmulti %u ', link.master ? 1 : 0);
	p.num('min_mtu', 'minmtu %u ', loop ? 0 : 68);
	p.num('max_mtu', 'maxmtu %u ', loop ? 0 : link.kind === 'bridge' ? 65535 : 65535);
	if (!loop) {
		p.openObject('linkinfo');
		// A NIC is hardware: its driver registers no link kind.
		if (link.kind !== 'nic') p.str('info_kind', '\n    %s ', link.kind);
		if (link.kind === 'bridge') {
			p.openObject('info_data');
			const id = bridgeId(link);
			for (const [k, v] of [
				['forward_delay', link.forwardDelay], ['hello_time', 200], ['max_age', 2000], ['ageing_time', 30000], ['stp_state', link.stp ? 1 : 0], ['priority', 32768], ['vlan_filtering', 0],
			] as const) p.num(k, `${k} %u `, v);
			p.str('bridge_id', 'bridge_id %s ', id);
			p.str('root_id', 'designated_root %s ', id);
			for (const [k, v] of [['root_port', 0], ['root_path_cost', 0], ['topology_change', 0], ['topology_change_detected', 0]] as const) p.num(k, `${k} %u `, v);
			// STP sends a hello every 2 s while the bridge is up: the timer counts down to the next.
			const hello = link.stp && link.adminUp ? 2000 - ((link.ns.world.now - link.stpOnAt) % 2000) : 0;
			const timer = (ms: number): string => `${String(Math.floor(ms / 1000)).padStart(4)}.${String(Math.floor((ms % 1000) / 10)).padStart(2, '0')}`;
			p.str('hello_timer', 'hello_timer %s ', timer(hello));
			for (const k of ['tcn_timer', 'topology_change_timer', 'gc_timer']) p.str(k, `${k} %s `, '   0.00');
			p.num('group_fwd_mask', 'group_fwd_mask %u ', 0);
			p.str('group_addr', 'group_address %s ', '01:80:c2:00:00:00');
			for (const [k, v] of [
				['mcast_snooping', 1], ['no_linklocal_learn', 0], ['mcast_vlan_snooping', 0], ['mcast_router', 1], ['mcast_query_use_ifaddr', 0], ['mcast_querier', 0], ['mcast_hash_elasticity', 16], ['mcast_hash_max', 4096], ['mcast_last_member_count', 2], ['mcast_startup_query_count', 2], ['mcast_last_member_interval', 100], ['mcast_membership_interval', 26000], ['mcast_querier_interval', 25500], ['mcast_query_interval', 12500], ['mcast_query_response_interval', 1000], ['mcast_startup_query_interval', 3124], ['mcast_stats_enabled', 0], ['mcast_igmp_version', 2], ['mcast_mld_version', 1], ['nf_call_iptables', 0], ['nf_call_ip6tables', 0], ['nf_call_arptables', 0],
			] as const) p.num(k, `${k} %u `, v);
			p.close();
		}
		if (link.kind === 'vxlan' && link.vxlan) {
			const vx = link.vxlan;
			const ip4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
			p.openObject('info_data');
			p.num('id', 'id %u ', vx.id);
			if (vx.group !== undefined) p.str('group', 'group %s ', ip4(vx.group));
			if (vx.remote !== undefined) p.str('remote', 'remote %s ', ip4(vx.remote));
			if (vx.local !== undefined) p.str('local', 'local %s ', ip4(vx.local));
			if (vx.lower) p.str('link', 'dev %s ', vx.lower.name);
			p.openObject('port_range');
			p.num('low', 'srcport %u ', 0);
			p.num('high', '%u ', 0);
			p.close();
			p.num('port', 'dstport %u ', vx.dstport);
			if (v64) {
				p.str('ttl', 'ttl %s ', 'auto', 'text');
				p.num('ttl', '', 0, 'json');
				p.num('ageing', 'ageing %u ', 300);
				// The options the kernel reports, each printed (`no…` when off) only when not its default.
				const opts: [string, boolean, boolean][] = [
					['external', false, false], ['vnifilter', false, false], ['learning', vx.learning, true], ['proxy', false, false], ['rsc', false, false],
					['l2miss', false, false], ['l3miss', false, false], ['udp_csum', true, true], ['udp_zero_csum6_tx', false, false], ['udp_zero_csum6_rx', false, false],
					['remcsum_tx', false, false], ['remcsum_rx', false, false], ...(atLeast(kernel, 6, 8) ? [['localbypass', true, true] as [string, boolean, boolean]] : []),
				];
				for (const [key, value, dflt] of opts) if (p.json || value !== dflt) p.bool(key, `${value ? '' : 'no'}${key} `, value);
			} else {
				if (!vx.learning) p.bool('learning', 'nolearning ', false);
				p.str('ttl', 'ttl %s ', 'auto');
				p.num('ageing', 'ageing %u ', 300);
				p.bool('udp_csum', 'udpcsum ', true);
				p.bool('udp_zero_csum6_tx', 'noudp6zerocsumtx ', false);
				p.bool('udp_zero_csum6_rx', 'noudp6zerocsumrx ', false);
			}
			p.close();
		}
		if (link.kind === 'macvlan') {
			p.openObject('info_data');
			p.str('mode', 'mode %s ', link.macvlanMode);
			p.num('bcqueuelen', 'bcqueuelen %u ', 1000);
			p.num('usedbcqueuelen', 'usedbcqueuelen %u ', 1000);
			p.close();
		}
		if (link.master) {
			p.str('info_slave_kind', '\n    %s_slave ', 'bridge');
			p.openObject('info_slave_data');
			printBridgeSlave(p, link, link.master);
			p.close();
		}
		p.close();
	}
	if (!forAddr) p.str('inet6_addr_gen_mode', 'addrgenmode %s ', 'eui64');
	const q = link.kind === 'veth' ? 2 : 1;
	p.num('num_tx_queues', 'numtxqueues %u ', q);
	p.num('num_rx_queues', 'numrxqueues %u ', q);
	p.num('gso_max_size', 'gso_max_size %u ', 65536);
	p.num('gso_max_segs', 'gso_max_segs %u ', 65535);
	p.num('tso_max_size', 'tso_max_size %u ', tsoMaxSize(link));
	p.num('tso_max_segs', 'tso_max_segs %u ', 65535);
	p.num('gro_max_size', 'gro_max_size %u ', 65536);
	if (atLeast(iproute2, 6, 3) && atLeast(kernel, 6, 3)) {
		p.num('gso_ipv4_max_size', 'gso_ipv4_max_size %u ', 65536);
		p.num('gro_ipv4_max_size', 'gro_ipv4_max_size %u ', 65536);
	}
}

/**
 * The largest TSO request the device takes (IFLA_TSO_MAX_SIZE): GSO_MAX_SIZE (524280) where the
 * driver says so (veth, lo, vxlan), the legacy 64 KiB of alloc_netdev where it does not (a
 * bridge, a virtio NIC); a macvlan, and a vxlan with a `dev`, inherit their lower device's
 * (netif_inherit_tso_max).
 */
function tsoMaxSize(link: Link): number {
	const lower = link.kind === 'macvlan' ? link.lower : link.kind === 'vxlan' ? link.vxlan?.lower : undefined;
	if (lower) return tsoMaxSize(lower);
	return link.kind === 'bridge' || link.kind === 'nic' ? 65536 : 524280;
}

/** A bridge's id as iproute2 prints it: priority, then the MAC in unpadded hex (`8000.2:0:…`). */
function bridgeId(br: Link): string {
	return `8000.${(br.bridgeIdSet ? br.mac : [0, 0, 0, 0, 0, 0]).map((b) => b.toString(16)).join(':')}`;
}

/**
 * A bridge port's attributes (IFLA_BRPORT_*) as iproute2 6.1 prints `bridge_slave`. The bridge is
 * alone on its segments, so it is the root and every port its designated port: the designated
 * bridge and root are the bridge's own id, the cost 0.
 */
function printBridgeSlave(p: Printer, port: Link, br: Link): void {
	const id = 0x8000 | port.portNo;
	p.str('state', 'state %s ', port.portState());
	p.num('priority', 'priority %u ', 32);
	p.num('cost', 'cost %u ', 2);
	const f = port.portFlags;
	for (const [k, v] of [['hairpin', port.hairpin], ['guard', f.guard], ['root_block', f.root_block], ['fastleave', f.fastleave], ['learning', f.learning], ['flood', f.flood]] as const)
		p.bool(k, `${k} ${v ? 'on' : 'off'} `, v);
	p.str('id', 'port_id %s ', `0x${id.toString(16)}`);
	p.str('no', 'port_no %s ', `0x${port.portNo.toString(16)}`);
	p.num('designated_port', 'designated_port %u ', id);
	p.num('designated_cost', 'designated_cost %u ', 0);
	p.str('bridge_id', 'designated_bridge %s ', bridgeId(br));
	p.str('root_id', 'designated_root %s ', bridgeId(br));
	p.fixed('hold_timer', 'hold_timer %s ', 0, 2, 7);
	p.fixed('message_age_timer', 'message_age_timer %s ', 0, 2, 7);
	p.fixed('forward_delay_timer', 'forward_delay_timer %s ', Math.floor(port.forwardDelayLeft() / 10) / 100, 2, 7);
	p.num('topology_change_ack', 'topology_change_ack %u ', 0);
	p.num('config_pending', 'config_pending %u ', 0);
	for (const k of ['proxy_arp', 'proxy_arp_wifi'] as const) p.bool(k, `${k} ${f[k] ? 'on' : 'off'} `, f[k]);
	p.num('multicast_router', 'mcast_router %u ', 1);
	// iproute2 prints the fast-leave flag a second time under this name, in text only.
	p.out(`mcast_fast_leave ${f.fastleave ? 'on' : 'off'} `);
	for (const k of ['mcast_flood', 'bcast_flood', 'mcast_to_unicast', 'neigh_suppress'] as const) p.bool(k, `${k} ${f[k] ? 'on' : 'off'} `, f[k]);
	p.str('group_fwd_mask', 'group_fwd_mask %s ', '0');
	p.str('group_fwd_mask_str', 'group_fwd_mask_str %s ', '0x0');
	for (const k of ['vlan_tunnel', 'isolated', 'locked'] as const) p.bool(k, `${k} ${f[k] ? 'on' : 'off'} `, f[k]);
}

/**
 * The port flags `bridge -d link` prints on a second line (print_protinfo), in its order.
 */
export function printPortFlags(p: Printer, port: Link): void {
	const f = port.portFlags;
	p.out('\n    ');
	for (const [k, v] of [['hairpin', port.hairpin], ['guard', f.guard], ['root_block', f.root_block], ['fastleave', f.fastleave], ['learning', f.learning], ['flood', f.flood], ['mcast_flood', f.mcast_flood], ['bcast_flood', f.bcast_flood]] as const)
		p.bool(k, `${k} ${v ? 'on' : 'off'} `, v);
	p.num('mcast_router', 'mcast_router %u ', 1);
	for (const k of ['mcast_to_unicast', 'neigh_suppress', 'vlan_tunnel', 'isolated', 'locked'] as const) p.bool(k, `${k} ${f[k] ? 'on' : 'off'} `, f[k]);
}

/** The RX and TX counter lines of `ip -s link` (and `ip -s addr`), `lead` starting them on a new line. */
export function printStats(p: Printer, link: Link, oneline: boolean, lead = true): void {
	const nl = oneline ? '\\' : '\n';
	const s = link.stats;
	p.openObject('stats64');
	p.openObject('rx');
	p.out(`${lead ? nl : ''}    RX:  bytes packets errors dropped  missed   mcast           ${nl}`);
	p.num('bytes', `${' '.repeat(Math.max(0, 14 - String(s.rxBytes).length))}%u`, s.rxBytes);
	p.num('packets', ` ${' '.repeat(Math.max(0, 7 - String(s.rxPackets).length))}%u`, s.rxPackets);
	for (const k of ['errors', 'dropped', 'missed', 'multicast']) p.num(k, k === 'errors' ? '      %u' : '       %u', 0);
	p.out(' ');
	p.close();
	p.openObject('tx');
	p.out(`${nl}    TX:  bytes packets errors dropped carrier collsns           ${nl}`);
	p.num('bytes', `${' '.repeat(Math.max(0, 14 - String(s.txBytes).length))}%u`, s.txBytes);
	p.num('packets', ` ${' '.repeat(Math.max(0, 7 - String(s.txPackets).length))}%u`, s.txPackets);
	for (const k of ['errors', 'dropped', 'carrier_errors', 'collisions']) p.num(k, k === 'errors' ? '      %u' : '       %u', 0);
	p.out(' ');
	p.close();
	p.close();
}

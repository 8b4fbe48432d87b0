/**
 * Netfilter's IPv4 hooks as the kernel wires them: the five hooks, the way a packet goes through
 * them, and what runs at each hook, in the order of its priority (the iptables tables, connection
 * tracking and its confirmation). The one description of it: the simulator builds its tables'
 * built-in chains, the hooks a NAT target may run from and the order of its packet walk from it
 * (src/lib/netsim/model/netfilter.ts, kernel/netfilter.ts, engine/netfilter-hooks.ts), and the
 * book's diagram of the hooks draws it (src/lib/topology/netfilter-diagram.ts).
 *
 * Where each fact comes from, in the kernel's sources (Linux 6.x):
 * - hook numbers and priorities: include/uapi/linux/netfilter_ipv4.h (`enum nf_ip_hook_priorities`);
 * - the tables' hooks: net/ipv4/netfilter/iptable_{raw,mangle,nat,filter,security}.c (`valid_hooks`),
 *   nat's two priorities in `nf_nat_ipv4_ops` (net/ipv4/netfilter/iptable_nat.c);
 * - conntrack: `ipv4_conntrack_ops` (net/netfilter/nf_conntrack_proto.c): the lookup at
 *   PREROUTING and OUTPUT after raw, the confirmation last at INPUT and POSTROUTING;
 * - the NAT targets' hooks: `.hooks` of xt_nat.c (SNAT, DNAT), xt_MASQUERADE.c, xt_REDIRECT.c;
 * - bridged frames: net/bridge/br_netfilter_hooks.c runs IPv4 PRE_ROUTING, FORWARD and
 *   POST_ROUTING for a frame a bridge switches between its ports, when
 *   net.bridge.bridge-nf-call-iptables = 1.
 */

/** The hooks, in the kernel's numbering (NF_INET_PRE_ROUTING = 0 … NF_INET_POST_ROUTING = 4). */
export const NF_HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;

/** A hook, named as iptables names its built-in chain. */
export type NfHook = (typeof NF_HOOKS)[number];

/** The iptables tables. */
export type NfTable = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';

/** The priorities that order what runs at one hook (lower runs first). */
export const NF_IP_PRI = {
	RAW: -300,
	CONNTRACK: -200,
	MANGLE: -150,
	NAT_DST: -100,
	FILTER: 0,
	SECURITY: 50,
	NAT_SRC: 100,
	CONNTRACK_CONFIRM: 2147483647,
} as const;

/** One thing registered at a hook: a table's chain, or a step of connection tracking. */
export type NfStage =
	| {
			kind: 'table';
			table: NfTable;
			priority: number;
			/** nat only: which address it rewrites here (destination before routing, source after). */
			nat?: 'dst' | 'src' | undefined;
			/** nat only: the targets that may be used at this hook. */
			targets?: readonly string[] | undefined;
	  }
	| {
			kind: 'conntrack';
			priority: number;
			/** `track`: find the packet's connection or start a new one; `confirm`: a new one enters the table. */
			step: 'track' | 'confirm';
	  };

type Registration = { hooks: readonly NfHook[]; targets?: Partial<Record<NfHook, readonly string[]>> } & (
	| { kind: 'table'; table: NfTable; priority: number; nat?: 'dst' | 'src' }
	| { kind: 'conntrack'; priority: number; step: 'track' | 'confirm' }
);

const ALL: readonly NfHook[] = NF_HOOKS;

/** Everything registered, as the kernel registers it. */
const REGISTRATIONS: readonly Registration[] = [
	{ kind: 'table', table: 'raw', priority: NF_IP_PRI.RAW, hooks: ['PREROUTING', 'OUTPUT'] },
	{ kind: 'conntrack', step: 'track', priority: NF_IP_PRI.CONNTRACK, hooks: ['PREROUTING', 'OUTPUT'] },
	{ kind: 'table', table: 'mangle', priority: NF_IP_PRI.MANGLE, hooks: ALL },
	{
		kind: 'table',
		table: 'nat',
		nat: 'dst',
		priority: NF_IP_PRI.NAT_DST,
		hooks: ['PREROUTING', 'OUTPUT'],
		targets: { PREROUTING: ['DNAT', 'REDIRECT'], OUTPUT: ['DNAT', 'REDIRECT'] },
	},
	{ kind: 'table', table: 'filter', priority: NF_IP_PRI.FILTER, hooks: ['INPUT', 'FORWARD', 'OUTPUT'] },
	{ kind: 'table', table: 'security', priority: NF_IP_PRI.SECURITY, hooks: ['INPUT', 'FORWARD', 'OUTPUT'] },
	{
		kind: 'table',
		table: 'nat',
		nat: 'src',
		priority: NF_IP_PRI.NAT_SRC,
		hooks: ['INPUT', 'POSTROUTING'],
		targets: { INPUT: ['SNAT'], POSTROUTING: ['SNAT', 'MASQUERADE'] },
	},
	{ kind: 'conntrack', step: 'confirm', priority: NF_IP_PRI.CONNTRACK_CONFIRM, hooks: ['INPUT', 'POSTROUTING'] },
];

/** What runs at `hook`, in order (ascending priority). */
export function hookStages(hook: NfHook): NfStage[] {
	return REGISTRATIONS.filter((r) => r.hooks.includes(hook))
		.sort((a, b) => a.priority - b.priority)
		.map((r): NfStage =>
			r.kind === 'conntrack'
				? { kind: 'conntrack', step: r.step, priority: r.priority }
				: { kind: 'table', table: r.table, priority: r.priority, ...(r.nat ? { nat: r.nat, targets: r.targets?.[hook] ?? [] } : {}) },
		);
}

/** The hooks a table is registered at, in hook order: its built-in chains (`iptables -t nat -S`). */
export function tableHooks(table: NfTable): NfHook[] {
	return NF_HOOKS.filter((h) => REGISTRATIONS.some((r) => r.kind === 'table' && r.table === table && r.hooks.includes(h)));
}

/** The NAT targets and the hooks each may run from (the target's hook mask). */
export function natTargetHooks(): Record<string, NfHook[]> {
	const out: Record<string, NfHook[]> = {};
	for (const hook of NF_HOOKS)
		for (const stage of hookStages(hook)) for (const t of (stage.kind === 'table' && stage.targets) || []) (out[t] ??= []).push(hook);
	return out;
}

/** The hooks a bridged IPv4 frame passes under br_netfilter (`bridge-nf-call-iptables = 1`), in order. */
export const BR_NETFILTER_HOOKS: readonly NfHook[] = ['PREROUTING', 'FORWARD', 'POSTROUTING'];

/** A point on a packet's way that is not a hook. */
export type NfWaypoint = 'in' | 'route-in' | 'local' | 'route-out' | 'out';

/**
 * The way through the hooks, as edges: a packet that arrives meets PREROUTING, then the routing
 * decision sends it to INPUT (for this host) or FORWARD (for another); a local process's packet
 * is routed first (OUTPUT's rules can match the interface it leaves by) and then meets OUTPUT;
 * whatever leaves passes POSTROUTING last.
 */
export const NF_PATH: readonly { from: NfHook | NfWaypoint; to: NfHook | NfWaypoint; label?: string }[] = [
	{ from: 'in', to: 'PREROUTING' },
	{ from: 'PREROUTING', to: 'route-in' },
	{ from: 'route-in', to: 'INPUT', label: 'for this host' },
	{ from: 'route-in', to: 'FORWARD', label: 'for another host' },
	{ from: 'INPUT', to: 'local' },
	{ from: 'local', to: 'route-out' },
	{ from: 'route-out', to: 'OUTPUT' },
	{ from: 'OUTPUT', to: 'POSTROUTING' },
	{ from: 'FORWARD', to: 'POSTROUTING' },
	{ from: 'POSTROUTING', to: 'out' },
];

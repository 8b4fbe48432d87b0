import type { IpLink } from './ip-json.ts';

/** An interface of one host, located by namespace name and interface name. */
export interface Endpoint {
	netns: string;
	ifname: string;
}

/** What an interface's `link` attribute leads to. */
export type Resolution =
	| { role: 'peer'; to: Endpoint; guessed: boolean }
	| { role: 'lower'; to: Endpoint }
	| { role: 'peer-unseen'; ifindex: number; netnsid?: number }
	| { role: 'hidden' }
	| { role: 'none' };

/** The namespaces of one host, as captured. */
export interface HostLinks {
	host: string;
	/** Namespace name (`''` = root) → its `ip -j link` records. */
	namespaces: { name: string; links: IpLink[] }[];
	/** Interfaces the lab wires to a switch or the upstream: their `link` is hidden infrastructure. */
	hidden: Endpoint[];
}

interface Ref {
	netns: string;
	link: IpLink;
}

const key = (netns: string, ifname: string): string => `${netns}\u0000${ifname}`;

/**
 * Resolves every interface's `link` on one host: veth peers (also across namespaces), lower
 * devices (a macvlan's parent) and peers in namespaces the state does not show.
 *
 * Across namespaces the kernel gives `link_index` (the peer's ifindex in its namespace) and
 * `link_netnsid` (that namespace's id *as seen from this one*: ids are per-namespace, so the same
 * namespace has different ids from different viewpoints, and the state does not include the id
 * tables). So peers are found by mutual ifindex/link_index pairs, and each namespace's id table is
 * learned from the pairs already found: an id maps to one namespace, and a namespace has one id.
 * Where equal candidates remain, names decide (`veth-alice` ↔ `veth-alice-br`) and a warning says so.
 */
export function resolveLinks(host: HostLinks): { links: Map<string, Resolution>; warnings: string[] } {
	const out = new Map<string, Resolution>();
	const warnings: string[] = [];
	const byIndex = new Map<string, Ref>(); // netns + ifindex → ref
	const byName = new Map<string, Ref>();
	for (const ns of host.namespaces)
		for (const link of ns.links) {
			byIndex.set(`${ns.name}\u0000${link.ifindex}`, { netns: ns.name, link });
			byName.set(key(ns.name, link.ifname), { netns: ns.name, link });
			out.set(key(ns.name, link.ifname), { role: 'none' });
		}
	const hidden = new Set(host.hidden.map((e) => key(e.netns, e.ifname)));
	// netnsid tables learned so far: "viewer netns\0id" → netns, and the reverse
	const idTo = new Map<string, string>();
	const nsToId = new Map<string, number>();
	const learn = (viewer: string, id: number, target: string) => {
		idTo.set(`${viewer}\u0000${id}`, target);
		nsToId.set(`${viewer}\u0000${target}`, id);
	};
	const HIDDEN = '\u0000hidden';

	// 1. same-namespace links ("link": "name"), and lab-wired interfaces
	const cross: Ref[] = [];
	for (const ns of host.namespaces)
		for (const link of ns.links) {
			const k = key(ns.name, link.ifname);
			if (hidden.has(k)) {
				out.set(k, { role: 'hidden' });
				if (link.link_netnsid !== undefined) learn(ns.name, link.link_netnsid, HIDDEN);
				continue;
			}
			if (link.link_netnsid !== undefined && link.link_index !== undefined) {
				cross.push({ netns: ns.name, link });
				continue;
			}
			if (typeof link.link === 'string') {
				const target = byName.get(key(ns.name, link.link));
				if (!target) continue;
				const mutual = target.link.link === link.ifname && target.link.link_netnsid === undefined;
				const to = { netns: ns.name, ifname: target.link.ifname };
				out.set(k, mutual ? { role: 'peer', to, guessed: false } : { role: 'lower', to });
			}
		}

	// 2. cross-namespace veth pairs: mutual candidates, narrowed by the learned id tables
	const consistent = (r: Ref, c: Ref): boolean => {
		const a = idTo.get(`${r.netns}\u0000${r.link.link_netnsid}`);
		if (a !== undefined && a !== c.netns) return false;
		if (a === undefined && nsToId.has(`${r.netns}\u0000${c.netns}`)) return false;
		const b = idTo.get(`${c.netns}\u0000${c.link.link_netnsid}`);
		if (b !== undefined && b !== r.netns) return false;
		if (b === undefined && nsToId.has(`${c.netns}\u0000${r.netns}`)) return false;
		return true;
	};
	const mutualCandidates = (r: Ref): Ref[] =>
		host.namespaces
			.filter((ns) => ns.name !== r.netns)
			.map((ns) => byIndex.get(`${ns.name}\u0000${r.link.link_index}`))
			.filter(
				(c): c is Ref =>
					c !== undefined &&
					c.link.link_index === r.link.ifindex &&
					c.link.link_netnsid !== undefined &&
					!hidden.has(key(c.netns, c.link.ifname)),
			);
	const pair = (r: Ref, c: Ref, guessed: boolean) => {
		out.set(key(r.netns, r.link.ifname), { role: 'peer', to: { netns: c.netns, ifname: c.link.ifname }, guessed });
		out.set(key(c.netns, c.link.ifname), { role: 'peer', to: { netns: r.netns, ifname: r.link.ifname }, guessed });
		learn(r.netns, r.link.link_netnsid!, c.netns);
		learn(c.netns, c.link.link_netnsid!, r.netns);
	};
	let open = cross.slice();
	for (;;) {
		const pending = open.filter((r) => out.get(key(r.netns, r.link.ifname))?.role === 'none');
		let progress = false;
		for (const r of pending) {
			if (out.get(key(r.netns, r.link.ifname))?.role !== 'none') continue;
			const cands = mutualCandidates(r).filter((c) => consistent(r, c));
			if (cands.length === 1 && mutualCandidates(cands[0]!).filter((x) => consistent(cands[0]!, x)).length === 1) {
				pair(r, cands[0]!, false);
				progress = true;
			}
		}
		if (progress) continue;
		// no certain pair left: take the best-named among equals, once, then try again
		const ambiguous = pending
			.filter((r) => out.get(key(r.netns, r.link.ifname))?.role === 'none')
			.map((r) => ({ r, cands: mutualCandidates(r).filter((c) => consistent(r, c)) }))
			.filter((x) => x.cands.length > 1);
		if (ambiguous.length === 0) break;
		const { r, cands } = ambiguous[0]!;
		const best = cands.slice().sort((x, y) => similarity(r.link.ifname, y.link.ifname) - similarity(r.link.ifname, x.link.ifname))[0]!;
		pair(r, best, true);
		warnings.push(
			`${host.host}: ${label(r)} has ${cands.length} possible veth peers; chose ${label(best)} by name`,
		);
		open = pending;
	}

	// 3. what is left: a lower device in another namespace (macvlan moved away from its parent),
	// or a veth whose peer's namespace the state does not show (e.g. a Docker container's)
	for (const r of cross) {
		const k = key(r.netns, r.link.ifname);
		if (out.get(k)?.role !== 'none') continue;
		const id = r.link.link_netnsid!;
		const known = idTo.get(`${r.netns}\u0000${id}`);
		const isVeth = r.link.linkinfo?.info_kind === 'veth';
		let target: Ref | undefined;
		if (known !== undefined && known !== HIDDEN) target = byIndex.get(`${known}\u0000${r.link.link_index}`);
		else if (known === undefined && !isVeth) {
			const cands = host.namespaces
				.filter((ns) => ns.name !== r.netns && !nsToId.has(`${r.netns}\u0000${ns.name}`))
				.map((ns) => byIndex.get(`${ns.name}\u0000${r.link.link_index}`))
				.filter((c): c is Ref => c !== undefined);
			if (cands.length === 1) target = cands[0];
		}
		// a target pointing back by ifindex is a veth whose real peer we cannot see, not a parent
		if (target && target.link.link_index === r.link.ifindex) target = undefined;
		if (target && !isVeth) {
			out.set(k, { role: 'lower', to: { netns: target.netns, ifname: target.link.ifname } });
			learn(r.netns, id, target.netns);
		} else if (r.link.linkinfo?.info_kind === undefined || isVeth)
			out.set(k, { role: 'peer-unseen', ifindex: r.link.link_index!, netnsid: id });
	}
	return { links: out, warnings };
}

const label = (r: Ref): string => `${r.netns || '(root)'}/${r.link.ifname}`;

/** Length of the common prefix of two names: veth-alice and veth-alice-br share 10. */
function similarity(a: string, b: string): number {
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i]) i++;
	return i;
}

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
	const r = new Resolver(host);
	const cross = r.sameNamespace();
	r.pairAcross(cross);
	r.leftovers(cross);
	return { links: r.out, warnings: r.warnings };
}

/** Stands for the hidden infrastructure namespace in the id tables. */
const HIDDEN = '\u0000hidden';

/** One host's interfaces, what is resolved so far, and the netnsid tables learned so far. */
class Resolver {
	readonly out = new Map<string, Resolution>();
	readonly warnings: string[] = [];
	/** netns + ifindex → ref */
	private readonly byIndex = new Map<string, Ref>();
	private readonly byName = new Map<string, Ref>();
	private readonly hidden: Set<string>;
	/** "viewer netns\0id" → netns */
	private readonly idTo = new Map<string, string>();
	/** "viewer netns\0netns" → id */
	private readonly nsToId = new Map<string, number>();

	constructor(private readonly host: HostLinks) {
		for (const ns of host.namespaces)
			for (const link of ns.links) {
				this.byIndex.set(`${ns.name}\u0000${link.ifindex}`, { netns: ns.name, link });
				this.byName.set(key(ns.name, link.ifname), { netns: ns.name, link });
				this.out.set(key(ns.name, link.ifname), { role: 'none' });
			}
		this.hidden = new Set(host.hidden.map((e) => key(e.netns, e.ifname)));
	}

	private learn(viewer: string, id: number, target: string): void {
		this.idTo.set(`${viewer}\u0000${id}`, target);
		this.nsToId.set(`${viewer}\u0000${target}`, id);
	}

	private unresolved(r: Ref): boolean {
		return this.out.get(key(r.netns, r.link.ifname))?.role === 'none';
	}

	/**
	 * Step 1: same-namespace links (`"link": "name"`) and lab-wired interfaces; returns the
	 * interfaces whose link leads into another namespace.
	 */
	sameNamespace(): Ref[] {
		const cross: Ref[] = [];
		for (const ns of this.host.namespaces)
			for (const link of ns.links) {
				const k = key(ns.name, link.ifname);
				if (this.hidden.has(k)) {
					this.out.set(k, { role: 'hidden' });
					if (link.link_netnsid !== undefined) this.learn(ns.name, link.link_netnsid, HIDDEN);
					continue;
				}
				if (link.link_netnsid !== undefined && link.link_index !== undefined) {
					cross.push({ netns: ns.name, link });
					continue;
				}
				if (typeof link.link === 'string') {
					const target = this.byName.get(key(ns.name, link.link));
					if (!target) continue;
					const mutual = target.link.link === link.ifname && target.link.link_netnsid === undefined;
					const to = { netns: ns.name, ifname: target.link.ifname };
					this.out.set(k, mutual ? { role: 'peer', to, guessed: false } : { role: 'lower', to });
				}
			}
		return cross;
	}

	/** Step 2: cross-namespace veth pairs, certain ones first, then the best-named among equals. */
	pairAcross(cross: Ref[]): void {
		let open = cross.slice();
		for (;;) {
			const pending = open.filter((r) => this.unresolved(r));
			let progress = false;
			for (const r of pending) {
				if (!this.unresolved(r)) continue;
				const cands = this.candidates(r);
				if (cands.length === 1 && this.candidates(cands[0]!).length === 1) {
					this.pair(r, cands[0]!, false);
					progress = true;
				}
			}
			if (progress) continue;
			// no certain pair left: take the best-named among equals, once, then try again
			const ambiguous = pending
				.filter((r) => this.unresolved(r))
				.map((r) => ({ r, cands: this.candidates(r) }))
				.filter((x) => x.cands.length > 1);
			if (ambiguous.length === 0) break;
			const { r, cands } = ambiguous[0]!;
			const best = cands.slice().sort((x, y) => similarity(r.link.ifname, y.link.ifname) - similarity(r.link.ifname, x.link.ifname))[0]!;
			this.pair(r, best, true);
			this.warnings.push(`${this.host.host}: ${label(r)} has ${cands.length} possible veth peers; chose ${label(best)} by name`);
			open = pending;
		}
	}

	/** Interfaces in other namespaces that point back at `r`, consistent with the id tables. */
	private candidates(r: Ref): Ref[] {
		return this.host.namespaces
			.filter((ns) => ns.name !== r.netns)
			.map((ns) => this.byIndex.get(`${ns.name}\u0000${r.link.link_index}`))
			.filter(
				(c): c is Ref =>
					c !== undefined &&
					c.link.link_index === r.link.ifindex &&
					c.link.link_netnsid !== undefined &&
					!this.hidden.has(key(c.netns, c.link.ifname)),
			)
			.filter((c) => this.consistent(r, c));
	}

	/** True when pairing r with c agrees with every id learned so far, seen from both sides. */
	private consistent(r: Ref, c: Ref): boolean {
		const a = this.idTo.get(`${r.netns}\u0000${r.link.link_netnsid}`);
		if (a !== undefined && a !== c.netns) return false;
		if (a === undefined && this.nsToId.has(`${r.netns}\u0000${c.netns}`)) return false;
		const b = this.idTo.get(`${c.netns}\u0000${c.link.link_netnsid}`);
		if (b !== undefined && b !== r.netns) return false;
		if (b === undefined && this.nsToId.has(`${c.netns}\u0000${r.netns}`)) return false;
		return true;
	}

	private pair(r: Ref, c: Ref, guessed: boolean): void {
		this.out.set(key(r.netns, r.link.ifname), { role: 'peer', to: { netns: c.netns, ifname: c.link.ifname }, guessed });
		this.out.set(key(c.netns, c.link.ifname), { role: 'peer', to: { netns: r.netns, ifname: r.link.ifname }, guessed });
		this.learn(r.netns, r.link.link_netnsid!, c.netns);
		this.learn(c.netns, c.link.link_netnsid!, r.netns);
	}

	/**
	 * Step 3, what is left: a lower device in another namespace (a macvlan moved away from its
	 * parent), or a veth whose peer's namespace the state does not show (e.g. a Docker container's).
	 */
	leftovers(cross: Ref[]): void {
		for (const r of cross) {
			const k = key(r.netns, r.link.ifname);
			if (this.out.get(k)?.role !== 'none') continue;
			const id = r.link.link_netnsid!;
			const isVeth = r.link.linkinfo?.info_kind === 'veth';
			const target = this.lowerOf(r, isVeth);
			if (target && !isVeth) {
				this.out.set(k, { role: 'lower', to: { netns: target.netns, ifname: target.link.ifname } });
				this.learn(r.netns, id, target.netns);
			} else if (r.link.linkinfo?.info_kind === undefined || isVeth)
				this.out.set(k, { role: 'peer-unseen', ifindex: r.link.link_index!, netnsid: id });
		}
	}

	/** The device `r` sits on in another namespace, if the id tables (or a single candidate) say which. */
	private lowerOf(r: Ref, isVeth: boolean): Ref | undefined {
		const known = this.idTo.get(`${r.netns}\u0000${r.link.link_netnsid!}`);
		let target: Ref | undefined;
		if (known !== undefined && known !== HIDDEN) target = this.byIndex.get(`${known}\u0000${r.link.link_index}`);
		else if (known === undefined && !isVeth) {
			const cands = this.host.namespaces
				.filter((ns) => ns.name !== r.netns && !this.nsToId.has(`${r.netns}\u0000${ns.name}`))
				.map((ns) => this.byIndex.get(`${ns.name}\u0000${r.link.link_index}`))
				.filter((c): c is Ref => c !== undefined);
			if (cands.length === 1) target = cands[0];
		}
		// a target pointing back by ifindex is a veth whose real peer we cannot see, not a parent
		return target && target.link.link_index === r.link.ifindex ? undefined : target;
	}
}

const label = (r: Ref): string => `${r.netns || '(root)'}/${r.link.ifname}`;

/** Length of the common prefix of two names: veth-alice and veth-alice-br share 10. */
function similarity(a: string, b: string): number {
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i]) i++;
	return i;
}

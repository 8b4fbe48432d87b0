/** iptables state (tables, chains, rules with counters) and rule evaluation. */
import { tableHooks, type NfTable } from '../../shared/netfilter.ts';
import { formatIpv4, inPrefix, type Ipv4, type Prefix } from '../addr/ipv4.ts';

/** A negatable match value. */
export interface Neg<T> {
	neg: boolean;
	value: T;
}

/** One rule, kept in parsed form; `-S` and `-L` print it back. */
export interface Rule {
	src?: Neg<Prefix> | undefined;
	dst?: Neg<Prefix> | undefined;
	inIf?: Neg<string> | undefined;
	outIf?: Neg<string> | undefined;
	/** Protocol number (0 = all). */
	proto?: Neg<number> | undefined;
	sport?: Neg<[number, number]> | undefined;
	dport?: Neg<[number, number]> | undefined;
	icmpType?: Neg<number> | undefined;
	/** `-m multiport --dports a,b`. */
	dports?: Neg<number[]> | undefined;
	ctstate?: Neg<string[]> | undefined;
	/** `-m state` instead of `-m conntrack` (prints differently). */
	stateModule?: boolean | undefined;
	comment?: string | undefined;
	/** Explicit `-m` modules in the order given, for `-S`. */
	modules: string[];
	target?: string | undefined;
	goto?: boolean | undefined;
	toSource?: string | undefined;
	toDestination?: string | undefined;
	toPorts?: string | undefined;
	rejectWith?: string | undefined;
	logPrefix?: string | undefined;
	/** `--dst-type LOCAL` style addrtype match, kept as "dst-type LOCAL". */
	addrtype?: string | undefined;
	/** MARK target argument, kept as given ("--set-xmark 0x2000/0x2000"). */
	mark?: string | undefined;
	/** `-m mark --mark VALUE[/MASK]`. */
	markMatch?: string | undefined;
	markMatchNeg?: boolean | undefined;
	/** `-m statistic`: nth (every/packet) or random (probability); count is the rule's state. */
	statistic?: { mode: string; every?: number | undefined; packet?: number | undefined; probability?: string | undefined; count?: number | undefined } | undefined;
	pkts: number;
	bytes: number;
}

/** A chain: built-ins have a policy. */
export interface Chain {
	name: string;
	policy?: 'ACCEPT' | 'DROP' | undefined;
	rules: Rule[];
	/** A built-in chain's counters: the packets its policy decided (nf_tables base chain counters). */
	policyPkts?: number | undefined;
	policyBytes?: number | undefined;
	/**
	 * The policy counters when `-P` last set the policy: iptables-nft 1.8.9 creates base chains
	 * without nf_tables counters and sends zeroed ones with each `-P`, so it shows what the policy
	 * decided since then (and nothing before any `-P`); 1.8.10 and later show the whole count.
	 */
	policyBase?: { pkts: number; bytes: number } | undefined;
	/** A rule of the chain has a stateful match (kept by the kernel operations that change rules). */
	stateful?: boolean | undefined;
}

/** A table by name: filter, nat, mangle, raw. */
export interface Table {
	name: string;
	chains: Chain[];
	/**
	 * The table is in the kernel with its base chains hooked: iptables-nft puts it there with the
	 * first rule, user chain or policy (a listing creates nothing). From then on every packet
	 * passes its chains, and their policies count, also once the last rule is gone.
	 */
	hooked?: boolean | undefined;
}

/** Names of tables iptables knows. */
export const TABLE_NAMES: readonly NfTable[] = ['filter', 'nat', 'mangle', 'raw', 'security'];

/** Each table's built-in chains: the hooks it is registered at (src/lib/shared/netfilter.ts), in hook order. */
const BUILTINS: Record<string, string[]> = Object.fromEntries(TABLE_NAMES.map((t) => [t, tableHooks(t)]));

/** Protocol names as /etc/protocols gives them. */
export const PROTOCOLS: Record<string, number> = { all: 0, icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, sctp: 132 };

/** The name of a protocol number, if it has one. */
export function protoName(n: number): string | undefined {
	return Object.keys(PROTOCOLS).find((k) => PROTOCOLS[k] === n);
}

/** What a packet looks like to the rule matcher. */
export interface PacketView {
	src: Ipv4;
	dst: Ipv4;
	proto: number;
	inIf?: string | undefined;
	outIf?: string | undefined;
	len: number;
	icmpType?: number | undefined;
	sport?: number | undefined;
	dport?: number | undefined;
	ctstate: string;
	/** skb mark; MARK targets change it. */
	mark: number;
	/** The destination is one of this namespace's addresses (addrtype LOCAL). */
	dstLocal: boolean;
}

/** The outcome of a traversal: a verdict and, for NAT chains, the rule that decided. */
export interface Verdict {
	verdict: 'ACCEPT' | 'DROP' | 'REJECT';
	rule?: Rule | undefined;
	/** The chain the deciding rule is in (a user chain when reached by a jump). */
	chain?: string | undefined;
}

/** All iptables tables of one namespace. Tables come into being when first used, as with iptables-nft. */
export class Netfilter {
	tables = new Map<string, Table>();
	/**
	 * A NAT rule went in: iptables-nft's nat base chains register NAT hooks, which hold conntrack
	 * in this namespace for as long as the chains exist (flushing their rules keeps them).
	 */
	natHooks = false;

	/**
	 * Conntrack runs in this namespace while something holds it (nf_ct_netns_get/put): NAT chains,
	 * or a rule with a stateful match, whose deletion lets it go again. Listing a table holds
	 * nothing, so a namespace where no such rule was ever added tracks no flow.
	 */
	get conntrackOn(): boolean {
		if (this.natHooks) return true;
		for (const t of this.tables.values()) for (const c of t.chains) if (c.stateful) return true;
		return false;
	}

	/** The table, created with its built-in chains on first use. */
	table(name: string): Table {
		let t = this.tables.get(name);
		if (!t) {
			t = { name, chains: (BUILTINS[name] ?? []).map((c) => ({ name: c, policy: 'ACCEPT' as const, rules: [] })) };
			this.tables.set(name, t);
		}
		return t;
	}

	/** A chain of a table. */
	chain(table: string, name: string): Chain | undefined {
		return this.tables.get(table)?.chains.find((c) => c.name === name);
	}

	/** True when packets must pass a table's chains: it is hooked, or has a rule or a DROP policy. */
	active(table: string): boolean {
		const t = this.tables.get(table);
		return !!t && (t.hooked === true || t.chains.some((c) => c.rules.length > 0 || c.policy === 'DROP'));
	}

	/** Runs a packet through a built-in chain, following jumps; updates counters. */
	run(table: string, chain: string, p: PacketView): Verdict {
		const t = this.tables.get(table);
		if (!t) return { verdict: 'ACCEPT' };
		const result = this.walk(t, chain, p, 0);
		if (result && result.verdict !== 'RETURN') return result as Verdict;
		const c = t.chains.find((x) => x.name === chain);
		if (c) {
			c.policyPkts = (c.policyPkts ?? 0) + 1;
			c.policyBytes = (c.policyBytes ?? 0) + p.len;
		}
		return { verdict: c?.policy === 'DROP' ? 'DROP' : 'ACCEPT' };
	}

	private walk(t: Table, chain: string, p: PacketView, depth: number): { verdict: string; rule?: Rule; chain?: string } | undefined {
		if (depth > 32) return undefined;
		const c = t.chains.find((x) => x.name === chain);
		if (!c) return undefined;
		for (const rule of c.rules) {
			if (!matches(rule, p)) continue;
			rule.pkts += 1;
			rule.bytes += p.len;
			const target = rule.target;
			if (!target) continue;
			if (target === 'RETURN') return { verdict: 'RETURN' };
			if (target === 'ACCEPT' || target === 'DROP') return { verdict: target, rule, chain: c.name };
			if (target === 'REJECT') return { verdict: 'REJECT', rule, chain: c.name };
			if (target === 'MASQUERADE' || target === 'SNAT' || target === 'DNAT' || target === 'REDIRECT') return { verdict: 'ACCEPT', rule, chain: c.name };
			if (target === 'MARK' && rule.mark) {
				const [value, mask] = parseMark(rule.mark.split(' ')[1] ?? '0');
				p.mark = rule.mark.startsWith('--set-mark') ? ((p.mark & ~mask) | value) >>> 0 : ((p.mark & ~mask) ^ value) >>> 0;
				continue;
			}
			if (target === 'LOG' || target === 'MARK' || target === 'CONNMARK') continue;
			const sub = this.walk(t, target, p, depth + 1);
			if (sub && sub.verdict !== 'RETURN') return sub;
			if (rule.goto) return { verdict: 'RETURN' };
		}
		return undefined;
	}
}

function neg<T>(m: Neg<T> | undefined, test: (v: T) => boolean): boolean {
	if (!m) return true;
	return test(m.value) !== m.neg;
}

function ifMatch(pattern: string, name: string | undefined): boolean {
	if (name === undefined) return false;
	if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
	return pattern === name;
}

/** Parses `VALUE[/MASK]` (hex or decimal). */
function parseMark(text: string): [number, number] {
	const [v, m] = text.split('/');
	const num = (x: string | undefined, d: number): number => (x === undefined ? d : Number(x) >>> 0);
	return [num(v, 0), num(m, 0xffffffff)];
}

/** True when a rule's matches all hold for the packet (the statistic match counts here). */
function matches(r: Rule, p: PacketView): boolean {
	if (!basic(r, p)) return false;
	if (r.statistic?.mode === 'nth') {
		const every = r.statistic.every ?? 1;
		const n = r.statistic.count ?? 0;
		r.statistic.count = n + 1;
		return n % every === (r.statistic.packet ?? 0);
	}
	if (r.statistic?.mode === 'random') {
		// Deterministic stand-in for the kernel's random draw: alternate.
		const n = r.statistic.count ?? 0;
		r.statistic.count = n + 1;
		return n % 2 === 0;
	}
	return true;
}

function basic(r: Rule, p: PacketView): boolean {
	if (r.markMatch) {
		const [value, mask] = parseMark(r.markMatch);
		if (((p.mark & mask) === value) === r.markMatchNeg) return false;
	}
	if (r.addrtype === 'dst-type LOCAL' && !p.dstLocal) return false;
	return (
		neg(r.src, (v) => inPrefix(p.src, v)) &&
		neg(r.dst, (v) => inPrefix(p.dst, v)) &&
		neg(r.inIf, (v) => ifMatch(v, p.inIf)) &&
		neg(r.outIf, (v) => ifMatch(v, p.outIf)) &&
		neg(r.proto, (v) => v === 0 || v === p.proto) &&
		neg(r.sport, (v) => p.sport !== undefined && p.sport >= v[0] && p.sport <= v[1]) &&
		neg(r.dport, (v) => p.dport !== undefined && p.dport >= v[0] && p.dport <= v[1]) &&
		neg(r.icmpType, (v) => p.icmpType === v) &&
		neg(r.dports, (v) => p.dport !== undefined && v.includes(p.dport)) &&
		neg(r.ctstate, (v) => v.includes(p.ctstate))
	);
}

/** The canonical `-S` text of a rule (its matches and target, without `-A CHAIN`). */
export function ruleSpec(r: Rule): string {
	const parts: string[] = [];
	const n = (x: Neg<unknown> | undefined): string => (x?.neg ? '! ' : '');
	const pfx = (p: Prefix): string => `${formatIpv4(p.addr)}/${p.len}`;
	if (r.src) parts.push(`${n(r.src)}-s ${pfx(r.src.value)}`);
	if (r.dst) parts.push(`${n(r.dst)}-d ${pfx(r.dst.value)}`);
	if (r.inIf) parts.push(`${n(r.inIf)}-i ${r.inIf.value}`);
	if (r.outIf) parts.push(`${n(r.outIf)}-o ${r.outIf.value}`);
	if (r.proto && (r.proto.value !== 0 || r.proto.neg)) parts.push(`${n(r.proto)}-p ${protoName(r.proto.value) ?? r.proto.value}`);
	const mods = [...r.modules];
	for (const m of mods) {
		if (m === 'tcp' || m === 'udp') {
			let s = `-m ${m}`;
			if (r.sport) s += ` ${n(r.sport)}--sport ${portText(r.sport.value)}`;
			if (r.dport) s += ` ${n(r.dport)}--dport ${portText(r.dport.value)}`;
			parts.push(s);
		} else if (m === 'icmp') parts.push(`-m icmp ${n(r.icmpType)}--icmp-type ${r.icmpType?.value ?? 'any'}`);
		else if (m === 'conntrack' && r.ctstate) parts.push(`-m conntrack ${n(r.ctstate)}--ctstate ${r.ctstate.value.join(',')}`);
		else if (m === 'state' && r.ctstate) parts.push(`-m state ${n(r.ctstate)}--state ${r.ctstate.value.join(',')}`);
		else if (m === 'comment' && r.comment !== undefined) parts.push(`-m comment --comment ${quote(r.comment)}`);
		else if (m === 'addrtype' && r.addrtype) parts.push(`-m addrtype --${r.addrtype.replace(' ', ' ')}`);
		else if (m === 'mark' && r.markMatch) parts.push(`-m mark ${r.markMatchNeg ? '! ' : ''}--mark ${r.markMatch}`);
		else if (m === 'multiport' && r.dports) parts.push(`-m multiport ${n(r.dports)}--dports ${r.dports.value.join(',')}`);
		else if (m === 'statistic' && r.statistic) {
			const st = r.statistic;
			parts.push(st.mode === 'nth' ? `-m statistic --mode nth --every ${st.every ?? 1} --packet ${st.packet ?? 0}` : `-m statistic --mode random --probability ${st.probability ?? '0.50000000000'}`);
		}
	}
	if (r.target) {
		let t = `${r.goto ? '-g' : '-j'} ${r.target}`;
		if (r.target === 'SNAT' && r.toSource) t += ` --to-source ${r.toSource}`;
		if (r.target === 'DNAT' && r.toDestination) t += ` --to-destination ${r.toDestination}`;
		if ((r.target === 'MASQUERADE' || r.target === 'REDIRECT') && r.toPorts) t += ` --to-ports ${r.toPorts}`;
		if (r.target === 'REJECT') t += ` --reject-with ${r.rejectWith ?? 'icmp-port-unreachable'}`;
		if (r.target === 'LOG' && r.logPrefix !== undefined) t += ` --log-prefix ${quote(r.logPrefix)}`;
		if (r.target === 'MARK' && r.mark) t += ` ${r.mark.startsWith('--set-mark') ? r.mark.replace('--set-mark', '--set-xmark') + (r.mark.includes('/') ? '' : '/0xffffffff') : r.mark}`;
		parts.push(t);
	}
	return parts.join(' ');
}

function quote(s: string): string {
	return /^[A-Za-z0-9_.:/-]+$/.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function portText(p: [number, number]): string {
	return p[0] === p[1] ? String(p[0]) : `${p[0]}:${p[1]}`;
}

/** A rule as `iptables -S` prints it: `-A POSTROUTING -s 192.168.25.0/24 -o eth0 -j MASQUERADE`. */
export function ruleSpecLine(chain: string, r: Rule): string {
	const spec = ruleSpec(r);
	return `-A ${chain}${spec ? ` ${spec}` : ''}`;
}

/** A built-in chain's policy as `iptables -S` prints it: `-P FORWARD DROP`. */
export function policySpec(chain: string, policy: string): string {
	return `-P ${chain} ${policy}`;
}

/** What `iptables -L` (with -n, -v, -x, --line-numbers) and `iptables -S` print. */
import { formatIpv4, type Prefix } from '../../addr/ipv4.ts';
import { chainReferences } from '../../kernel/netfilter.ts';
import { policySpec, protoName, ruleSpecLine, type Chain, type Neg, type Rule } from '../../model/netfilter.ts';
import { ICMP_TYPES, serviceName } from '../../model/services.ts';
import { padEnd, padStart } from '../../print/printer.ts';
import { atLeast, type SimProfile } from '../../profile/profile.ts';

/** How `-L` prints. */
interface ListOpts {
	/** The machine imitated: iptables' version decides some spellings. */
	profile: SimProfile;
	numeric: boolean;
	verbose: boolean;
	lineNumbers: boolean;
	exact: boolean;
}

/** Built-in chains in their table order, then user chains by name (as iptables-nft lists them). */
export function ordered(chains: Chain[]): Chain[] {
	return [...chains.filter((c) => c.policy !== undefined), ...chains.filter((c) => c.policy === undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
}

/** Counter formatting of `-L -v` (xtables_print_num with K/M/G units). */
function counter(n: number, exact: boolean, width: number): string {
	if (exact) return padStart(String(n), width);
	const units = ['', 'K', 'M', 'G', 'T'];
	let v = n;
	let u = 0;
	while (v > 99999 && u < units.length - 1) {
		v = Math.floor(v / 1000);
		u++;
	}
	return u === 0 ? padStart(String(v), width) : padStart(`${v}${units[u]}`, width - 1);
}

/** The matches' words at the end of a `-L` line, module by module. */
function matchWords(r: Rule, numeric: boolean): string[] {
	const extra: string[] = [];
	for (const m of r.modules) {
		if (m === 'tcp' || m === 'udp') {
			let t = m;
			const name = (port: number): string => (numeric ? undefined : serviceName(m, port)) ?? String(port);
			const pt = (v: [number, number]): string => (v[0] === v[1] ? name(v[0]) : `${name(v[0])}:${name(v[1])}`);
			if (r.sport) t += ` ${r.sport.value[0] === r.sport.value[1] ? 'spt' : 'spts'}:${r.sport.neg ? '!' : ''}${pt(r.sport.value)}`;
			if (r.dport) t += ` ${r.dport.value[0] === r.dport.value[1] ? 'dpt' : 'dpts'}:${r.dport.neg ? '!' : ''}${pt(r.dport.value)}`;
			extra.push(t);
		} else if (m === 'icmp') extra.push(r.icmpType ? (numeric ? `icmptype ${r.icmpType.value}` : `icmp ${ICMP_TYPES[r.icmpType.value] ?? r.icmpType.value}`) : 'icmp any');
		else if ((m === 'conntrack' || m === 'state') && r.ctstate) extra.push(`${m === 'state' ? 'state' : 'ctstate'} ${r.ctstate.value.join(',')}`);
		else if (m === 'comment' && r.comment !== undefined) extra.push(`/* ${r.comment} */`);
		else if (m === 'addrtype' && r.addrtype) extra.push(`ADDRTYPE match ${r.addrtype.replace(' ', ' ')}`);
		else if (m === 'mark' && r.markMatch) extra.push(`mark match ${r.markMatchNeg ? '! ' : ''}${r.markMatch}`);
		else if (m === 'multiport' && r.dports) extra.push(`multiport dports ${r.dports.neg ? '! ' : ''}${r.dports.value.join(',')}`);
		else if (m === 'statistic' && r.statistic) {
			const st = r.statistic;
			extra.push(st.mode === 'nth' ? `statistic mode nth every ${st.every ?? 1}${st.packet ? ` packet ${st.packet}` : ''}` : `statistic mode random probability ${st.probability ?? '0.50000000000'}`);
		}
	}
	return extra;
}

/** The target's words at the end of a `-L` line. */
function targetWords(r: Rule): string[] {
	const extra: string[] = [];
	if (r.target === 'MARK' && r.mark) {
		const [v, mask] = (r.mark.split(' ')[1] ?? '0').split('/');
		extra.push(r.mark.startsWith('--set-xmark') && mask !== undefined && v === mask ? `MARK or ${v}` : `MARK ${r.mark.startsWith('--set-xmark') ? 'xset' : 'set'} ${r.mark.split(' ')[1]}`);
	}
	if (r.target === 'DNAT' && r.toDestination) extra.push(`to:${r.toDestination}`);
	if (r.target === 'SNAT' && r.toSource) extra.push(`to:${r.toSource}`);
	if (r.target === 'MASQUERADE' && r.toPorts) extra.push(`masq ports: ${r.toPorts}`);
	if (r.target === 'REJECT') extra.push(`reject-with ${r.rejectWith ?? 'icmp-port-unreachable'}`);
	if (r.target === 'LOG') extra.push(`LOG flags 0 level 4${r.logPrefix !== undefined ? ` prefix "${r.logPrefix}"` : ''}`);
	return extra;
}

/** One rule line of `-L`. */
function ruleLine(r: Rule, o: ListOpts): string {
	const { numeric, verbose, exact } = o;
	let s = '';
	if (verbose) s += exact ? `${padStart(String(r.pkts), 8)} ${padStart(String(r.bytes), 8)} ` : `${counter(r.pkts, false, 5)} ${counter(r.bytes, false, 5)} `;
	s += padEnd(r.target ?? '', 9) + ' ';
	const p = r.proto?.value ?? 0;
	// iptables 1.8.9 printed the protocol as a number with -n (a regression); 1.8.10 prints names again.
	const asNumber = numeric && !atLeast(o.profile.iptables, 1, 8, 10);
	s += (r.proto?.neg ? '!' : ' ') + padEnd(asNumber ? String(p) : protoName(p) ?? String(p), 5);
	s += '-- ';
	if (verbose) {
		const any = numeric ? '*' : 'any';
		s += ' ' + padEnd(`${r.inIf?.neg ? '!' : ''}${r.inIf?.value ?? any}`, 6) + ' ';
		s += padEnd(`${r.outIf?.neg ? '!' : ''}${r.outIf?.value ?? any}`, 6) + ' ';
	}
	const addr = (x: Neg<Prefix> | undefined): string => {
		if (!x || x.value.len === 0) return numeric ? '0.0.0.0/0' : 'anywhere';
		return x.value.len === 32 ? formatIpv4(x.value.addr) : `${formatIpv4(x.value.addr)}/${x.value.len}`;
	};
	s += (r.src?.neg ? '!' : ' ') + padEnd(addr(r.src), 19) + ' ';
	s += (r.dst?.neg ? '!' : ' ') + padEnd(addr(r.dst), 19) + ' ';
	const extra = [...matchWords(r, numeric), ...targetWords(r)];
	if (extra.length) s += ` ${extra.join(' ')}`;
	return s;
}

/** `-L`: each chain with its policy or references, a header, and its rules. */
export function listChains(all: Chain[], chains: Chain[], o: ListOpts): string {
	const blocks: string[] = [];
	for (const c of chains) {
		let s = `Chain ${c.name} `;
		// iptables-nft 1.8.9 shows a base chain's counters from its last `-P` on (none before);
		// 1.8.10 and later show them whole.
		const whole = atLeast(o.profile.iptables, 1, 8, 10);
		const base = whole ? { pkts: 0, bytes: 0 } : c.policyBase;
		const pk = base ? (c.policyPkts ?? 0) - base.pkts : 0;
		const by = base ? (c.policyBytes ?? 0) - base.bytes : 0;
		if (c.policy !== undefined) s += o.verbose ? `(policy ${c.policy} ${o.exact ? pk : counter(pk, false, 0).trim()} packets, ${o.exact ? by : counter(by, false, 0).trim()} bytes)\n` : `(policy ${c.policy})\n`;
		else s += `(${chainReferences(all, c.name)} references)\n`;
		let head = '';
		if (o.lineNumbers) head += 'num  ';
		if (o.verbose) head += o.exact ? '    pkts      bytes ' : ' pkts bytes ';
		head += 'target     prot opt ';
		if (o.verbose) head += 'in     out     ';
		head += 'source               destination         ';
		s += `${head}\n`;
		c.rules.forEach((r, i) => {
			s += `${o.lineNumbers ? padEnd(String(i + 1), 4) + ' ' : ''}${ruleLine(r, o)}\n`;
		});
		blocks.push(s);
	}
	return blocks.join('\n');
}

/** `-S`: the chains' policies or `-N` lines, then their rules (only rule `num` when given). */
export function specChains(chains: Chain[], num: number | undefined): string {
	let out = '';
	for (const c of chains) out += c.policy !== undefined ? `${policySpec(c.name, c.policy)}\n` : `-N ${c.name}\n`;
	for (const c of chains) {
		c.rules.forEach((r, i) => {
			if (num !== undefined && i !== num - 1) return;
			out += `${ruleSpecLine(c.name, r)}\n`;
		});
	}
	if (num !== undefined) out = out.split('\n').filter((l) => l.startsWith('-A')).join('\n') + '\n';
	return out;
}

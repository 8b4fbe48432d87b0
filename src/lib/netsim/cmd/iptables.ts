/** `iptables` 1.8.9 (nf_tables backend): rule management, `-L` tables and `-S` rules, worded as it is. */
import { formatIpv4, networkOf, parsePrefix, type Prefix } from '../addr/ipv4.ts';
import { policySpec, protoName, PROTOCOLS, ruleSpec, ruleSpecLine, TABLE_NAMES, type Chain, type Neg, type Rule } from '../model/netfilter.ts';
import { padEnd, padStart } from '../print/printer.ts';
import { ICMP_TYPES, serviceName } from '../model/services.ts';
import type { Context, ExecResult } from '../tool/types.ts';

const V = 'iptables v1.8.9 (nf_tables)';
const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";
const BUILTIN_TARGETS = ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'LOG', 'MARK', 'CONNMARK', 'NOTRACK', 'CT'];

class IptError extends Error {
	constructor(readonly exit: number, readonly text: string) {
		super(text);
	}
}

function die(exit: number, text: string): never {
	throw new IptError(exit, text);
}

interface Cmd {
	op?: string | undefined;
	chain?: string | undefined;
	num?: number | undefined;
	policy?: string | undefined;
	newName?: string | undefined;
}

/** Parses the rule part of a command line into a Rule. */
function parseRule(args: string[], start: number, table: string): { rule: Rule; table: string; numeric: boolean; verbose: boolean; lineNumbers: boolean; exact: boolean } {
	const rule: Rule = { modules: [], pkts: 0, bytes: 0 };
	let numeric = false;
	let verbose = false;
	let lineNumbers = false;
	let exact = false;
	let negate = false;
	const take = (i: number, opt: string): string => {
		const v = args[i + 1];
		if (v === undefined) die(2, `${V}: option "${opt}" requires an argument\n${TRY}`);
		return v;
	};
	const neg = <T>(value: T): Neg<T> => {
		const n = { neg: negate, value };
		negate = false;
		return n;
	};
	const prefix = (v: string): Prefix => {
		const p = parsePrefix(v);
		if (!p) die(2, `${V}: host/network \`${v}' not found\n${TRY}`);
		return { addr: networkOf(p.addr, p.len), len: p.len };
	};
	const ports = (v: string): [number, number] => {
		const [a, b] = v.split(':');
		const lo = Number(a);
		const hi = b === undefined ? lo : Number(b);
		if (!/^\d+$/.test(a ?? '') || lo > 65535 || Number.isNaN(hi)) die(2, `${V}: invalid port/service \`${v}' specified\n${TRY}`);
		return [lo, hi];
	};
	const protoMod = (): string | undefined => {
		const n = rule.proto?.value;
		return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 1 ? 'icmp' : undefined;
	};
	for (let i = start; i < args.length; i++) {
		const a = args[i] as string;
		if (a === '!') {
			negate = true;
			continue;
		}
		switch (a) {
			case '-s':
			case '--source':
			case '--src':
				rule.src = neg(prefix(take(i, a)));
				i++;
				break;
			case '-d':
			case '--destination':
			case '--dst':
				rule.dst = neg(prefix(take(i, a)));
				i++;
				break;
			case '-i':
			case '--in-interface':
				rule.inIf = neg(take(i, a));
				i++;
				break;
			case '-o':
			case '--out-interface':
				rule.outIf = neg(take(i, a));
				i++;
				break;
			case '-p':
			case '--protocol': {
				const v = take(i, a).toLowerCase();
				i++;
				const n = /^\d+$/.test(v) ? Number(v) : PROTOCOLS[v];
				if (n === undefined) die(2, `${V}: unknown protocol "${v}" specified\n${TRY}`);
				rule.proto = neg(n);
				break;
			}
			case '-m':
			case '--match': {
				const m = take(i, a);
				i++;
				if (!['tcp', 'udp', 'icmp', 'conntrack', 'state', 'comment', 'addrtype', 'mark', 'multiport', 'physdev', 'set', 'limit', 'statistic'].includes(m)) die(2, `${V}: Couldn't load match \`${m}':No such file or directory\n\n${TRY}`);
				rule.modules.push(m);
				break;
			}
			case '--dports':
			case '--destination-ports': {
				if (!rule.modules.includes('multiport')) die(2, `${V}: unknown option "${a}"\n${TRY}`);
				const v = take(i, a);
				i++;
				rule.dports = neg(v.split(',').map(Number));
				break;
			}
			case '--dport':
			case '--destination-port':
			case '--sport':
			case '--source-port': {
				if (!protoMod() || (protoMod() === 'icmp')) die(2, `${V}: unknown option "${a}"\n${TRY}`);
				const v = ports(take(i, a));
				i++;
				if (a.startsWith('--d')) rule.dport = neg(v);
				else rule.sport = neg(v);
				if (!rule.modules.includes(protoMod() as string)) rule.modules.push(protoMod() as string);
				break;
			}
			case '--icmp-type': {
				if (protoMod() !== 'icmp') die(2, `${V}: unknown option "${a}"\n${TRY}`);
				const v = take(i, a);
				i++;
				const names: Record<string, number> = { 'echo-request': 8, 'echo-reply': 0, 'destination-unreachable': 3, 'time-exceeded': 11, any: 255 };
				const n = /^\d+$/.test(v) ? Number(v) : names[v];
				if (n === undefined) die(2, `${V}: Invalid ICMP type \`${v}'\n`);
				rule.icmpType = neg(n);
				if (!rule.modules.includes('icmp')) rule.modules.push('icmp');
				break;
			}
			case '--ctstate':
			case '--state': {
				const v = take(i, a);
				i++;
				const order = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
				rule.ctstate = neg(v.split(',').map((s) => s.toUpperCase()).sort((x, y) => order.indexOf(x) - order.indexOf(y)));
				rule.stateModule = a === '--state';
				break;
			}
			case '--comment':
				rule.comment = take(i, a);
				i++;
				break;
			case '--dst-type':
			case '--src-type':
				rule.addrtype = `${a.slice(2)} ${take(i, a)}`;
				i++;
				break;
			case '-j':
			case '--jump':
			case '-g':
			case '--goto':
				rule.target = take(i, a);
				rule.goto = a === '-g' || a === '--goto';
				i++;
				break;
			case '--to-source':
				rule.toSource = take(i, a);
				i++;
				break;
			case '--to-destination':
				rule.toDestination = take(i, a);
				i++;
				break;
			case '--to-ports':
				rule.toPorts = take(i, a);
				i++;
				break;
			case '--reject-with':
				rule.rejectWith = take(i, a);
				i++;
				break;
			case '--log-prefix':
				rule.logPrefix = take(i, a);
				i++;
				break;
			case '--set-xmark':
			case '--set-mark':
				rule.mark = `${a} ${take(i, a)}`;
				i++;
				break;
			case '--mark':
				rule.markMatchNeg = negate;
				negate = false;
				rule.markMatch = take(i, a);
				i++;
				break;
			case '--mode': {
				const v = take(i, a);
				i++;
				if (v !== 'nth' && v !== 'random') die(2, `${V}: Bad mode "${v}"\n${TRY}`);
				rule.statistic = { ...rule.statistic, mode: v };
				break;
			}
			case '--every':
			case '--packet':
			case '--probability': {
				const v = take(i, a);
				i++;
				const st = (rule.statistic ??= { mode: 'random' });
				if (a === '--every') st.every = Number(v);
				else if (a === '--packet') st.packet = Number(v);
				else st.probability = Number(v).toFixed(11);
				break;
			}
			case '-n':
			case '--numeric':
				numeric = true;
				break;
			case '-v':
			case '--verbose':
				verbose = true;
				break;
			case '-x':
			case '--exact':
				exact = true;
				break;
			case '--line-numbers':
				lineNumbers = true;
				break;
			case '-w':
			case '--wait':
				if (/^\d+$/.test(args[i + 1] ?? '')) i++;
				break;
			default:
				if (/^-[nvx]+$/.test(a)) {
					if (a.includes('n')) numeric = true;
					if (a.includes('v')) verbose = true;
					if (a.includes('x')) exact = true;
					break;
				}
				if (a.startsWith('-')) die(2, `${V}: unknown option "${a}"\n${TRY}`);
				die(2, `Bad argument \`${a}'\n${TRY}`);
		}
	}
	return { rule, table, numeric, verbose, lineNumbers, exact };
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

/** One rule line of `-L`. */
function ruleLine(r: Rule, numeric: boolean, verbose: boolean, exact: boolean): string {
	let s = '';
	if (verbose) s += exact ? `${padStart(String(r.pkts), 8)} ${padStart(String(r.bytes), 8)} ` : `${counter(r.pkts, false, 5)} ${counter(r.bytes, false, 5)} `;
	s += padEnd(r.target ?? '', 9) + ' ';
	const p = r.proto?.value ?? 0;
	s += (r.proto?.neg ? '!' : ' ') + padEnd(numeric ? String(p) : protoName(p) ?? String(p), 5);
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
	const extra: string[] = [];
	for (const m of r.modules) {
		if (m === 'tcp' || m === 'udp') {
			let t = m;
			const name = (port: number): string => (numeric ? undefined : serviceName(m as 'tcp' | 'udp', port)) ?? String(port);
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
	if (r.target === 'MARK' && r.mark) {
		const [v, mask] = (r.mark.split(' ')[1] ?? '0').split('/');
		extra.push(r.mark.startsWith('--set-xmark') && mask !== undefined && v === mask ? `MARK or ${v}` : `MARK ${r.mark.startsWith('--set-xmark') ? 'xset' : 'set'} ${r.mark.split(' ')[1]}`);
	}
	if (r.target === 'DNAT' && r.toDestination) extra.push(`to:${r.toDestination}`);
	if (r.target === 'SNAT' && r.toSource) extra.push(`to:${r.toSource}`);
	if (r.target === 'MASQUERADE' && r.toPorts) extra.push(`masq ports: ${r.toPorts}`);
	if (r.target === 'REJECT') extra.push(`reject-with ${r.rejectWith ?? 'icmp-port-unreachable'}`);
	if (r.target === 'LOG') extra.push(`LOG flags 0 level 4${r.logPrefix !== undefined ? ` prefix "${r.logPrefix}"` : ''}`);
	if (extra.length) s += ` ${extra.join(' ')}`;
	return s;
}

/** Built-in chains in their table order, then user chains by name (as iptables-nft lists them). */
function ordered(chains: Chain[]): Chain[] {
	return [...chains.filter((c) => c.policy !== undefined), ...chains.filter((c) => c.policy === undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
}

function references(chains: Chain[], name: string): number {
	return chains.reduce((n, c) => n + c.rules.filter((r) => r.target === name).length, 0);
}

/** Runs iptables. */
export function iptables(argv: string[], ctx: Context): ExecResult {
	try {
		return run(argv, ctx);
	} catch (e) {
		if (e instanceof IptError) return { stdout: '', stderr: e.text, exit: e.exit };
		throw e;
	}
}

function run(argv: string[], ctx: Context): ExecResult {
	const nf = ctx.ns.netfilter;
	let table = 'filter';
	const cmd: Cmd = {};
	const rest: string[] = [];
	const setOp = (op: string): void => {
		if (cmd.op) die(2, `${V}: Cannot use -${op} with -${cmd.op}\n\n${TRY}`);
		cmd.op = op;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		const long: Record<string, string> = { '--append': 'A', '--insert': 'I', '--delete': 'D', '--list': 'L', '--list-rules': 'S', '--flush': 'F', '--delete-chain': 'X', '--new-chain': 'N', '--policy': 'P', '--zero': 'Z', '--check': 'C', '--replace': 'R', '--rename-chain': 'E' };
		const op = long[a] ?? (/^-[AIDLSFXNPZCRE]$/.test(a) ? a.slice(1) : undefined);
		if (op) {
			setOp(op);
			const next = argv[i + 1];
			if (next !== undefined && !next.startsWith('-')) {
				cmd.chain = next;
				i++;
				if ((op === 'I' || op === 'D' || op === 'R' || op === 'L' || op === 'S' || op === 'Z') && /^\d+$/.test(argv[i + 1] ?? '')) {
					cmd.num = Number(argv[i + 1]);
					i++;
				} else if (op === 'P' || op === 'E') {
					const v = argv[i + 1];
					if (v === undefined) die(2, `${V}: -${op} requires a chain and a ${op === 'P' ? 'policy' : 'name'}\n${TRY}`);
					if (op === 'P') cmd.policy = v;
					else cmd.newName = v;
					i++;
				}
			} else if (op === 'N' && next !== undefined) {
				die(2, `${V}: chain name not allowed to start with \`-'\n${TRY}`);
			} else if (op === 'A' || op === 'I' || op === 'D' || op === 'N' || op === 'P' || op === 'C' || op === 'R' || op === 'E') {
				die(2, `${V}: option "${a}" requires an argument\n${TRY}`);
			}
			continue;
		}
		if (a === '-t' || a === '--table') {
			const v = argv[++i];
			if (v === undefined) die(2, `${V}: option "-t" requires an argument\n${TRY}`);
			table = v;
			continue;
		}
		if (a === '-V' || a === '--version') return { stdout: `${V}\n`, stderr: '', exit: 0 };
		if (a === '-h' || a === '--help') return { stdout: `${V}\n\nUsage: iptables -[ACD] chain rule-specification [options]\n`, stderr: '', exit: 0 };
		if (/^-[LnvSx]+$/.test(a) && a.includes('L') && !cmd.op) {
			setOp('L');
			rest.push(`-${a.slice(1).replace('L', '')}`.replace(/^-$/, ''));
			const next = argv[i + 1];
			if (next !== undefined && !next.startsWith('-')) {
				cmd.chain = next;
				i++;
			}
			continue;
		}
		rest.push(a);
	}
	const parsed = parseRule(rest.filter((x) => x !== ''), 0, table);
	if (!cmd.op) die(2, `${V}: no command specified\n${TRY}`);
	if (!TABLE_NAMES.includes(table)) die(3, `${V}: table '${table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`);
	const t = nf.table(table);
	const chainOf = (name: string | undefined, forList = false): Chain => {
		const c = t.chains.find((x) => x.name === name);
		if (!c) {
			if (forList) die(1, `${V}: chain \`${name}' in table \`${table}' is incompatible, use 'nft' tool.\n`);
			die(1, 'iptables: No chain/target/match by that name.\n');
		}
		return c;
	};
	const rule = parsed.rule;
	if (cmd.num === 0 && (cmd.op === 'I' || cmd.op === 'D' || cmd.op === 'R')) die(2, `${V}: Invalid rule number \`0'\n${TRY}`);
	if (cmd.op === 'R' && cmd.num === undefined) die(2, `${V}: -R requires a rule number\n${TRY}`);
	if (cmd.op === 'A' || cmd.op === 'I' || cmd.op === 'R' || cmd.op === 'D' || cmd.op === 'C') {
		if (rule.outIf !== undefined && (cmd.chain === 'INPUT' || cmd.chain === 'PREROUTING')) die(2, `${V}: Can't use -o with ${cmd.chain}\n\n${TRY}`);
		if (rule.inIf !== undefined && (cmd.chain === 'OUTPUT' || cmd.chain === 'POSTROUTING')) die(2, `${V}: Can't use -i with ${cmd.chain}\n\n${TRY}`);
	}
	if (cmd.op === 'P' && table === 'nat' && cmd.policy === 'DROP') die(2, `${V}: \nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\n${TRY}`);
	const checkTarget = (): void => {
		if (!rule.target) return;
		if (BUILTIN_TARGETS.includes(rule.target)) {
			if (rule.target === 'DNAT' && !rule.toDestination) die(2, `${V}: DNAT: option "--to-destination" must be specified\n\n${TRY}`);
			if (rule.target === 'SNAT' && !rule.toSource) die(2, `${V}: SNAT: option "--to-source" must be specified\n\n${TRY}`);
			if (['MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT'].includes(rule.target) && table !== 'nat') die(4, `${V}:  RULE_APPEND failed (Invalid argument): rule in chain ${cmd.chain}\n`);
			if (table === 'nat') nf.conntrackOn = true;
			return;
		}
		if (!t.chains.some((c) => c.name === rule.target && c.policy === undefined)) die(2, `${V}: Chain '${rule.target}' does not exist\n${TRY}`);
	};
	if (rule.ctstate) nf.conntrackOn = true;
	switch (cmd.op) {
		case 'A':
		case 'I': {
			const c = chainOf(cmd.chain);
			checkTarget();
			if (cmd.op === 'A') c.rules.push(rule);
			else {
				const pos = (cmd.num ?? 1) - 1;
				if (pos > c.rules.length) die(1, 'iptables: Index of insertion too big.\n');
				c.rules.splice(pos, 0, rule);
			}
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'R': {
			const c = chainOf(cmd.chain);
			checkTarget();
			const pos = (cmd.num ?? 0) - 1;
			if (pos < 0 || pos >= c.rules.length) die(1, 'iptables: Index of replacement too big.\n');
			c.rules[pos] = rule;
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'D':
		case 'C': {
			if (cmd.op === 'C' && !t.chains.some((x) => x.name === cmd.chain)) die(1, 'iptables: Bad rule (does a matching rule exist in that chain?).\n');
			const c = chainOf(cmd.chain);
			if (cmd.num !== undefined && cmd.op === 'D') {
				if (cmd.num < 1 || cmd.num > c.rules.length) die(1, 'iptables: Index of deletion too big.\n');
				c.rules.splice(cmd.num - 1, 1);
				return { stdout: '', stderr: '', exit: 0 };
			}
			if (rule.target && !BUILTIN_TARGETS.includes(rule.target) && !t.chains.some((x) => x.name === rule.target)) die(2, `${V}: Chain '${rule.target}' does not exist\n${TRY}`);
			const spec = ruleSpec(rule);
			const idx = c.rules.findIndex((r) => ruleSpec(r) === spec);
			if (idx < 0) die(1, cmd.op === 'C' ? 'iptables: Bad rule (does a matching rule exist in that chain?).\n' : 'iptables: Bad rule (does a matching rule exist in that chain?).\n');
			if (cmd.op === 'D') c.rules.splice(idx, 1);
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'N': {
			const name = cmd.chain as string;
			if (name.length >= 29) die(2, `${V}: chain name \`${name}' too long (must be under 29 chars)\n${TRY}`);
			if (/\s/.test(name) || name === '') die(2, `${V}: Invalid chain name \`${name}'\n${TRY}`);
			if (t.chains.some((c) => c.name === cmd.chain)) die(1, 'iptables: Chain already exists.\n');
			t.chains.push({ name: cmd.chain as string, rules: [] });
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'X': {
			const victims = cmd.chain ? [chainOf(cmd.chain)] : t.chains.filter((c) => c.policy === undefined);
			for (const c of victims) {
				if (c.policy !== undefined) die(1, `${V}: Cannot delete built-in chain \`${c.name}'\n`);
				if (references(t.chains, c.name) > 0 || (cmd.chain && c.rules.length > 0)) die(4, `${V}:  CHAIN_DEL failed (Device or resource busy): chain ${c.name}\n`);
			}
			t.chains = t.chains.filter((c) => !victims.includes(c));
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'F': {
			const victims = cmd.chain ? [chainOf(cmd.chain)] : t.chains;
			for (const c of victims) c.rules = [];
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'Z': {
			const victims = cmd.chain ? [chainOf(cmd.chain)] : t.chains;
			for (const c of victims) for (const r of c.rules) r.pkts = r.bytes = 0;
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'P': {
			const c = t.chains.find((x) => x.name === cmd.chain);
			if (!c || c.policy === undefined) die(1, 'iptables: Bad built-in chain name.\n');
			if (cmd.policy !== 'ACCEPT' && cmd.policy !== 'DROP') die(1, 'iptables: Bad policy name. Run `dmesg\' for more information.\n');
			c.policy = cmd.policy;
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'E': {
			const c = chainOf(cmd.chain);
			if (t.chains.some((x) => x.name === cmd.newName)) die(1, 'iptables: File exists.\n');
			for (const x of t.chains) for (const r of x.rules) if (r.target === c.name) r.target = cmd.newName;
			c.name = cmd.newName as string;
			return { stdout: '', stderr: '', exit: 0 };
		}
		case 'S': {
			const chains = cmd.chain ? [chainOf(cmd.chain, true)] : ordered(t.chains);
			let out = '';
			for (const c of chains) out += c.policy !== undefined ? `${policySpec(c.name, c.policy)}\n` : `-N ${c.name}\n`;
			for (const c of chains) {
				c.rules.forEach((r, i) => {
					if (cmd.num !== undefined && i !== cmd.num - 1) return;
					out += `${ruleSpecLine(c.name, r)}\n`;
				});
			}
			if (cmd.num !== undefined) out = out.split('\n').filter((l) => l.startsWith('-A')).join('\n') + '\n';
			return { stdout: out, stderr: '', exit: 0 };
		}
		case 'L': {
			const chains = cmd.chain ? [chainOf(cmd.chain, true)] : ordered(t.chains);
			const { numeric, verbose, lineNumbers, exact } = parsed;
			const blocks: string[] = [];
			for (const c of chains) {
				let s = `Chain ${c.name} `;
				if (c.policy !== undefined) s += verbose ? `(policy ${c.policy} 0 packets, 0 bytes)\n` : `(policy ${c.policy})\n`;
				else s += `(${references(t.chains, c.name)} references)\n`;
				let head = '';
				if (lineNumbers) head += 'num  ';
				if (verbose) head += exact ? '    pkts      bytes ' : ' pkts bytes ';
				head += 'target     prot opt ';
				if (verbose) head += 'in     out     ';
				head += 'source               destination         ';
				s += `${head}\n`;
				c.rules.forEach((r, i) => {
					s += `${lineNumbers ? padEnd(String(i + 1), 4) + ' ' : ''}${ruleLine(r, numeric, verbose, exact)}\n`;
				});
				blocks.push(s);
			}
			return { stdout: blocks.join('\n'), stderr: '', exit: 0 };
		}
	}
	die(2, `${V}: no command specified\n${TRY}`);
}

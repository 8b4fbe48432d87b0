/**
 * The rule part of an iptables command line (do_parse's option loop and the matches' and targets'
 * own parsers): what a rule matches, what it does, and how `-L` should print.
 */
import { maskOf, networkOf, parseIpv4Loose, parseIpv4Strict, type Prefix } from '../../addr/ipv4.ts';
import { servicePort } from '../../model/services.ts';
import { PROTOCOLS, type Neg, type Rule } from '../../model/netfilter.ts';
import { exitWith } from '../../tool/exit.ts';
import { TRY, V } from './words.ts';

/** A parsed rule and the listing flags given with it. */
export interface RuleArgs {
	rule: Rule;
	numeric: boolean;
	verbose: boolean;
	lineNumbers: boolean;
	exact: boolean;
	/**
	 * The generic options given, by the letter iptables' option table knows them by (`n s d p j v x
	 * i o 0`, `0` for --line-numbers), in the order of that table's bits: the command is checked
	 * against them after the parse (generic_opt_check).
	 */
	given: Set<string>;
}

/** Match modules iptables can load here. */
const MODULES = ['tcp', 'udp', 'icmp', 'conntrack', 'state', 'comment', 'addrtype', 'mark', 'multiport', 'physdev', 'set', 'limit', 'statistic'];

/** ICMP type names `--icmp-type` takes. */
const ICMP_NAMES: Record<string, number> = { 'echo-request': 8, 'echo-reply': 0, 'destination-unreachable': 3, 'time-exceeded': 11, any: 255 };

/** The address types of `-m addrtype` (rtn types, as libxt_addrtype names them). */
const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

/** conntrack states in the order iptables prints them. */
const STATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

/** A cursor over the words, the rule being built and the pending `!`. */
class RuleReader {
	readonly out: RuleArgs = { rule: { modules: [], pkts: 0, bytes: 0 }, numeric: false, verbose: false, lineNumbers: false, exact: false, given: new Set() };
	i = 0;
	negate = false;
	constructor(readonly args: readonly string[]) {}

	get rule(): Rule {
		return this.out.rule;
	}

	/** The option's value (the next word), or iptables' complaint that it is missing. */
	take(opt: string): string {
		const v = this.args[this.i + 1];
		if (v === undefined) exitWith(2, `${V}: option "${opt}" requires an argument\n${TRY}`);
		this.i++;
		return v;
	}

	/** Notes a generic option; the ones that take a value may be given once (set_option). */
	once(letter: string): void {
		if (this.out.given.has(letter) && 'nsdpjio'.includes(letter)) exitWith(2, `${V}: multiple -${letter} flags not allowed\n${TRY}`);
		this.out.given.add(letter);
	}

	/** A match value, negated when a `!` came before it (the `!` is used up). */
	neg<T>(value: T): Neg<T> {
		const n = { neg: this.negate, value };
		this.negate = false;
		return n;
	}

	/** The protocol's match module (tcp, udp, icmp), if `-p` named one. */
	protoModule(): string | undefined {
		const n = this.rule.proto?.value;
		return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 1 ? 'icmp' : undefined;
	}
}

/** An option iptables does not know here (its module is not loaded). */
function unknownOption(opt: string): never {
	exitWith(2, `${V}: unknown option "${opt}"\n${TRY}`);
}

type Handler = (r: RuleReader, opt: string) => void;

/**
 * `-s`/`-d` ADDRESS[/MASK] as xtables_ipparse_any reads it: the mask first (a length up to 32 or a
 * dotted mask), then the address. A dotted mask the simulator keeps only when it is contiguous.
 */
function prefix(v: string): Prefix {
	const slash = v.lastIndexOf('/');
	const host = slash < 0 ? v : v.slice(0, slash);
	let len = 32;
	if (slash >= 0) {
		const m = v.slice(slash + 1);
		const dotted = m.includes('.') ? parseIpv4Strict(m) : null;
		if (dotted !== null) {
			const ones = dotted === 0 ? 0 : 32 - Math.log2((~dotted >>> 0) + 1);
			if (!Number.isInteger(ones) || maskOf(ones) !== dotted >>> 0) exitWith(2, `${V}: host/network \`${v}' not found\n${TRY}`);
			len = ones;
		} else if (/^\d+$/.test(m) && Number(m) <= 32) len = Number(m);
		else exitWith(2, `${V}: invalid mask \`${m}' specified\n${TRY}`);
	}
	// xtables reads an address as inet_aton does (`0` is 0.0.0.0).
	const addr = parseIpv4Loose(host)?.addr ?? null;
	if (addr === null) exitWith(2, `${V}: host/network \`${host}' not found\n${TRY}`);
	return { addr: networkOf(addr, len), len };
}

/** `-i`/`-o`: a name shorter than IFNAMSIZ (xtables_parse_interface). */
function ifname(v: string): string {
	if (v.length > 15) exitWith(2, `${V}: interface name \`${v}' must be shorter than IFNAMSIZ (15)\n${TRY}`);
	return v;
}

/** One port: a number up to 65535 or a service name of the protocol (xtables_parse_port). */
function port(text: string, whole: string, proto: 'tcp' | 'udp'): number {
	const n = /^\d+$/.test(text) ? Number(text) : servicePort(proto, text);
	if (n === undefined || n > 65535) exitWith(2, `${V}: invalid port/service \`${whole}' specified\n${TRY}`);
	return n;
}

/** PORT[:PORT] (an empty side is 0 or 65535), the range in order (parse_multi_ports' single case). */
function ports(v: string, proto: 'tcp' | 'udp'): [number, number] {
	const colon = v.indexOf(':');
	if (colon < 0) {
		const n = port(v, v, proto);
		return [n, n];
	}
	const lo = colon === 0 ? 0 : port(v.slice(0, colon), v.slice(0, colon), proto);
	const rest = v.slice(colon + 1);
	const hi = rest === '' ? 65535 : port(rest, rest, proto);
	if (lo > hi) exitWith(2, `${V}: invalid portrange (min > max)\n${TRY}`);
	return [lo, hi];
}

/** Who a packet is from and to: addresses, interfaces, protocol. */
const ADDRESSES: Record<string, Handler> = {
	'-s': (r, opt) => {
		r.once('s');
		r.rule.src = r.neg(prefix(r.take(opt)));
	},
	'-d': (r, opt) => {
		r.once('d');
		r.rule.dst = r.neg(prefix(r.take(opt)));
	},
	'-i': (r, opt) => {
		r.once('i');
		r.rule.inIf = r.neg(ifname(r.take(opt)));
	},
	'-o': (r, opt) => {
		r.once('o');
		r.rule.outIf = r.neg(ifname(r.take(opt)));
	},
	'-p': (r, opt) => {
		r.once('p');
		const v = r.take(opt).toLowerCase();
		const n = /^\d+$/.test(v) && Number(v) <= 255 ? Number(v) : PROTOCOLS[v];
		if (n === undefined) exitWith(2, `${V}: unknown protocol "${v}" specified\n${TRY}`);
		r.rule.proto = r.neg(n);
	},
};

/** Match modules and their options. */
const MATCHES: Record<string, Handler> = {
	'-m': (r, opt) => {
		const m = r.take(opt);
		if (!MODULES.includes(m)) exitWith(2, `${V}: Couldn't load match \`${m}':No such file or directory\n\n${TRY}`);
		r.rule.modules.push(m);
	},
	'--every': (r, opt) => {
		const v = r.take(opt);
		const st = (r.rule.statistic ??= { mode: 'random' });
		if (opt !== '--probability' && !(/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 0xffffffff) && !(opt === '--packet' && v === '0')) exitWith(2, `${V}: statistic: bad value for option "${opt}", or out of range (${opt === '--every' ? 1 : 0}-4294967295).\n\n${TRY}`);
		if (opt === '--every') st.every = Number(v);
		else if (opt === '--packet') st.packet = Number(v);
		else st.probability = Number(v).toFixed(11);
	},
	'--dports': (r, opt) => {
		if (!r.rule.modules.includes('multiport')) unknownOption(opt);
		const proto = r.rule.proto;
		if (proto && !proto.neg && proto.value !== 0 && ![6, 17, 136, 132, 33].includes(proto.value)) exitWith(2, `${V}: multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP\n${TRY}`);
		if (!proto || proto.neg || ![6, 17, 136, 132, 33].includes(proto.value)) exitWith(2, `${V}: multiport needs \`-p tcp', \`-p udp', \`-p udplite', \`-p sctp' or \`-p dccp'\n${TRY}`);
		const list = r.take(opt);
		const svc = r.protoModule() === 'udp' ? 'udp' : 'tcp';
		// Up to 15 ports (XT_MULTI_PORTS), each a number or a service name.
		if (list.split(',').length > 15) exitWith(2, `${V}: too many ports specified\n${TRY}`);
		r.rule.dports = r.neg(list.split(',').map((p) => port(p, p, svc)));
	},
	'--dport': (r, opt) => {
		const mod = r.protoModule();
		// `-m tcp`/`-m udp` give the options whatever -p says, and then insist on their protocol.
		const loaded = r.rule.modules.find((m) => m === 'tcp' || m === 'udp');
		if (loaded && loaded !== mod) exitWith(2, `${V}: ${loaded.toUpperCase()} match requires '-p ${loaded}'\n${TRY}`);
		if (!mod || mod === 'icmp') unknownOption(opt);
		const v = ports(r.take(opt), mod as 'tcp' | 'udp');
		if (opt.startsWith('--d')) r.rule.dport = r.neg(v);
		else r.rule.sport = r.neg(v);
		if (!r.rule.modules.includes(mod)) r.rule.modules.push(mod);
	},
	'--icmp-type': (r, opt) => {
		if (r.protoModule() !== 'icmp') unknownOption(opt);
		const v = r.take(opt);
		const n = /^\d+$/.test(v) ? Number(v) : ICMP_NAMES[v];
		if (n === undefined || n > 255) exitWith(2, `${V}: Unknown ICMP type \`${v}'\n${TRY}`);
		r.rule.icmpType = r.neg(n);
		if (!r.rule.modules.includes('icmp')) r.rule.modules.push('icmp');
	},
	'--ctstate': (r, opt) => {
		const v = r.take(opt);
		// Each state must be one the module knows; `--state` has no SNAT/DNAT.
		const known = opt === '--state' ? STATE_ORDER.slice(0, 5) : STATE_ORDER;
		for (const s of v.split(',')) if (!known.includes(s.toUpperCase())) exitWith(2, `${V}: Bad ${opt === '--state' ? 'state' : 'ctstate'} "${s}"\n${TRY}`);
		r.rule.ctstate = r.neg(v.split(',').map((s) => s.toUpperCase()).sort((x, y) => STATE_ORDER.indexOf(x) - STATE_ORDER.indexOf(y)));
		r.rule.stateModule = opt === '--state';
	},
	'--comment': (r, opt) => (r.rule.comment = r.take(opt)),
	'--dst-type': (r, opt) => {
		const v = r.take(opt);
		for (const t of v.split(',')) if (!ADDR_TYPES.includes(t.toUpperCase())) exitWith(2, `${V}: addrtype: bad type "${t}"\n${TRY}`);
		r.rule.addrtype = `${opt.slice(2)} ${v}`;
	},
	'--mark': (r, opt) => {
		r.rule.markMatchNeg = r.negate;
		r.negate = false;
		r.rule.markMatch = markValue(r.take(opt), 'mark', opt);
	},
	'--mode': (r, opt) => {
		const v = r.take(opt);
		if (v !== 'nth' && v !== 'random') exitWith(2, `${V}: Bad mode "${v}"\n${TRY}`);
		r.rule.statistic = { ...r.rule.statistic, mode: v };
	},

};

/** What a rule does: its target and the target's options. */
const TARGETS: Record<string, Handler> = {
	'-j': (r, opt) => {
		if (r.negate) exitWith(2, `${V}: cannot have ! before -${opt === '-g' || opt === '--goto' ? 'g' : 'j'}\n${TRY}`);
		r.once('j');
		r.rule.target = r.take(opt);
		r.rule.goto = opt === '-g' || opt === '--goto';
	},
	'--to-source': (r, opt) => (r.rule.toSource = natRange(r.take(opt))),
	'--to-destination': (r, opt) => (r.rule.toDestination = natRange(r.take(opt))),
	'--to-ports': (r, opt) => (r.rule.toPorts = natPorts(r.take(opt))),
	'--reject-with': (r, opt) => {
		const v = r.take(opt);
		const name = REJECT_TYPES.find(([long, short]) => v === long || v === short)?.[0];
		if (!name) exitWith(2, `${V}: unknown reject type "${v}"\n${TRY}`);
		r.rule.rejectWith = name;
	},
	'--log-prefix': (r, opt) => (r.rule.logPrefix = r.take(opt)),
	'--set-xmark': (r, opt) => (r.rule.mark = `${opt} ${markValue(r.take(opt), 'MARK', opt)}`),
};

/** REJECT's `--reject-with` types, each with its short alias (libipt_REJECT). */
const REJECT_TYPES: [string, string][] = [
	['icmp-net-unreachable', 'net-unreach'],
	['icmp-host-unreachable', 'host-unreach'],
	['icmp-proto-unreachable', 'proto-unreach'],
	['icmp-port-unreachable', 'port-unreach'],
	['icmp-net-prohibited', 'net-prohib'],
	['icmp-host-prohibited', 'host-prohib'],
	['tcp-reset', 'tcp-rst'],
	['icmp-admin-prohibited', 'admin-prohib'],
];

/** VALUE[/MASK] of `--mark`/`--set-mark`: unsigned 32-bit integers, else the module's complaint. */
function markValue(v: string, module: string, opt: string): string {
	const num = (x: string): boolean => /^(0[xX][0-9a-fA-F]+|\d+)$/.test(x) && Number(x) <= 0xffffffff;
	const [value, mask, extra] = v.split('/');
	if (extra !== undefined && num(value ?? '') && num(mask ?? '')) exitWith(2, `${V}: ${module}: trailing garbage after value for option "${opt}".\n\n${TRY}`);
	if (!num(value ?? '') || (mask !== undefined && !num(mask)) || extra !== undefined) exitWith(2, `${V}: ${module}: bad integer value for option "${opt}", or out of range.\n\n${TRY}`);
	return v;
}

/** SNAT/DNAT's ADDR[-ADDR][:PORT[-PORT]]: IPv4 addresses, then ports (parse_to). */
function natRange(v: string): string {
	const [addrs, portRange] = v.split(':');
	for (const a of (addrs ?? '').split('-')) if (a !== '' && parseIpv4Strict(a) === null) exitWith(2, `${V}: Bad IP address "${a}"\n${TRY}`);
	if (portRange !== undefined) natPorts(portRange);
	return v;
}

/** PORT[-PORT] of a NAT target: numbers up to 65535 in order. */
function natPorts(v: string): string {
	const [lo, hi] = v.split('-');
	for (const p of [lo, hi]) if (p !== undefined && !(/^\d+$/.test(p) && Number(p) <= 65535)) exitWith(2, `${V}: Port \`${p}' not valid\n${TRY}`);
	if (hi !== undefined && Number(hi) < Number(lo)) exitWith(2, `${V}: Port range \`${hi}' funky\n${TRY}`);
	return v;
}

/** How `-L` prints, and `-w` (there is no lock to wait for). */
const DISPLAY: Record<string, Handler> = {
	'-n': (r) => {
		r.once('n');
		r.out.numeric = true;
	},
	'-v': (r) => {
		r.once('v');
		r.out.verbose = true;
	},
	'-x': (r) => {
		r.once('x');
		r.out.exact = true;
	},
	'--line-numbers': (r) => {
		r.once('0');
		r.out.lineNumbers = true;
	},
	'-w': (r) => {
		if (/^\d+$/.test(r.args[r.i + 1] ?? '')) r.i++;
	},
};

/** Long names and aliases of the options, by the name their handler is filed under. */
const ALIASES: Record<string, string> = {
	'--source': '-s', '--src': '-s', '--destination': '-d', '--dst': '-d', '--in-interface': '-i', '--out-interface': '-o', '--protocol': '-p',
	'--match': '-m', '--destination-ports': '--dports', '--destination-port': '--dport', '--sport': '--dport', '--source-port': '--dport',
	'--state': '--ctstate', '--src-type': '--dst-type', '--packet': '--every', '--probability': '--every',
	'--jump': '-j', '-g': '-j', '--goto': '-j', '--set-mark': '--set-xmark',
	'--numeric': '-n', '--verbose': '-v', '--exact': '-x', '--wait': '-w',
};

const HANDLERS: Record<string, Handler> = { ...ADDRESSES, ...MATCHES, ...TARGETS, ...DISPLAY };

/** A word no handler takes: a cluster of -n, -v, -x, else an unknown option or a stray argument. */
function other(r: RuleReader, a: string): void {
	if (/^-[nvx]+$/.test(a)) {
		for (const letter of a.slice(1)) HANDLERS[`-${letter}`]?.(r, `-${letter}`);
		return;
	}
	if (a.startsWith('-')) unknownOption(a);
	exitWith(2, `Bad argument \`${a}'\n${TRY}`);
}

/** The options a module or target must be given (x6_fcheck after the parse), in iptables' words. */
function moduleFinalChecks(rule: Rule): void {
	if (rule.modules.includes('state') && !rule.ctstate) exitWith(2, `${V}: state: option "--state" must be specified\n\n${TRY}`);
	if (rule.modules.includes('conntrack') && !rule.ctstate) exitWith(2, `${V}: conntrack: At least one option is required\n${TRY}`);
	if (rule.modules.includes('physdev')) exitWith(2, `${V}: PHYSDEV: no physdev option specified\n${TRY}`);
	if (rule.statistic?.mode === 'nth' && rule.statistic.every === undefined) exitWith(2, `${V}: --every and --packet must be specified when using nth mode\n${TRY}`);
	if (rule.modules.includes('comment') && rule.comment === undefined) exitWith(2, `${V}: comment: option "--comment" must be specified\n\n${TRY}`);
	// A port in a NAT range needs a protocol that has ports.
	const natTo = rule.target === 'DNAT' ? rule.toDestination : rule.target === 'SNAT' ? rule.toSource : undefined;
	if ((natTo?.includes(':') || rule.toPorts !== undefined) && (rule.proto?.neg !== false || ![6, 17, 33, 132].includes(rule.proto.value))) exitWith(2, `${V}: Need TCP, UDP, SCTP or DCCP with port specification\n${TRY}`);
	if (rule.target === 'MARK' && rule.mark === undefined) exitWith(2, `${V}: MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required\n${TRY}`);
}

/** Parses the rule part of a command line. */
export function parseRule(args: readonly string[]): RuleArgs {
	const r = new RuleReader(args);
	for (; r.i < args.length; r.i++) {
		const a = args[r.i] as string;
		if (a === '!') {
			if (r.negate) exitWith(2, `${V}: multiple consecutive ! not allowed\n${TRY}`);
			r.negate = true;
			continue;
		}
		const name = Object.prototype.hasOwnProperty.call(ALIASES, a) ? (ALIASES[a] as string) : a;
		const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
		if (handler) handler(r, a);
		else other(r, a);
	}
	moduleFinalChecks(r.out.rule);
	return r.out;
}

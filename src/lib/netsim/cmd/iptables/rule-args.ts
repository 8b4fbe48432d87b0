/**
 * The rule part of an iptables command line (do_parse's option loop and the matches' and targets'
 * own parsers): what a rule matches, what it does, and how `-L` should print.
 */
import { networkOf, parsePrefix, type Prefix } from '../../addr/ipv4.ts';
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
}

/** Match modules iptables can load here. */
const MODULES = ['tcp', 'udp', 'icmp', 'conntrack', 'state', 'comment', 'addrtype', 'mark', 'multiport', 'physdev', 'set', 'limit', 'statistic'];

/** ICMP type names `--icmp-type` takes. */
const ICMP_NAMES: Record<string, number> = { 'echo-request': 8, 'echo-reply': 0, 'destination-unreachable': 3, 'time-exceeded': 11, any: 255 };

/** conntrack states in the order iptables prints them. */
const STATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

/** A cursor over the words, the rule being built and the pending `!`. */
class RuleReader {
	readonly out: RuleArgs = { rule: { modules: [], pkts: 0, bytes: 0 }, numeric: false, verbose: false, lineNumbers: false, exact: false };
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

function prefix(v: string): Prefix {
	const p = parsePrefix(v);
	if (!p) exitWith(2, `${V}: host/network \`${v}' not found\n${TRY}`);
	return { addr: networkOf(p.addr, p.len), len: p.len };
}

function ports(v: string): [number, number] {
	const [a, b] = v.split(':');
	const lo = Number(a);
	const hi = b === undefined ? lo : Number(b);
	if (!/^\d+$/.test(a ?? '') || lo > 65535 || Number.isNaN(hi)) exitWith(2, `${V}: invalid port/service \`${v}' specified\n${TRY}`);
	return [lo, hi];
}

/** Who a packet is from and to: addresses, interfaces, protocol. */
const ADDRESSES: Record<string, Handler> = {
	'-s': (r, opt) => (r.rule.src = r.neg(prefix(r.take(opt)))),
	'-d': (r, opt) => (r.rule.dst = r.neg(prefix(r.take(opt)))),
	'-i': (r, opt) => (r.rule.inIf = r.neg(r.take(opt))),
	'-o': (r, opt) => (r.rule.outIf = r.neg(r.take(opt))),
	'-p': (r, opt) => {
		const v = r.take(opt).toLowerCase();
		const n = /^\d+$/.test(v) ? Number(v) : PROTOCOLS[v];
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
	'--dports': (r, opt) => {
		if (!r.rule.modules.includes('multiport')) unknownOption(opt);
		r.rule.dports = r.neg(r.take(opt).split(',').map(Number));
	},
	'--dport': (r, opt) => {
		const mod = r.protoModule();
		if (!mod || mod === 'icmp') unknownOption(opt);
		const v = ports(r.take(opt));
		if (opt.startsWith('--d')) r.rule.dport = r.neg(v);
		else r.rule.sport = r.neg(v);
		if (!r.rule.modules.includes(mod)) r.rule.modules.push(mod);
	},
	'--icmp-type': (r, opt) => {
		if (r.protoModule() !== 'icmp') unknownOption(opt);
		const v = r.take(opt);
		const n = /^\d+$/.test(v) ? Number(v) : ICMP_NAMES[v];
		if (n === undefined) exitWith(2, `${V}: Invalid ICMP type \`${v}'\n`);
		r.rule.icmpType = r.neg(n);
		if (!r.rule.modules.includes('icmp')) r.rule.modules.push('icmp');
	},
	'--ctstate': (r, opt) => {
		const v = r.take(opt);
		r.rule.ctstate = r.neg(v.split(',').map((s) => s.toUpperCase()).sort((x, y) => STATE_ORDER.indexOf(x) - STATE_ORDER.indexOf(y)));
		r.rule.stateModule = opt === '--state';
	},
	'--comment': (r, opt) => (r.rule.comment = r.take(opt)),
	'--dst-type': (r, opt) => (r.rule.addrtype = `${opt.slice(2)} ${r.take(opt)}`),
	'--mark': (r, opt) => {
		r.rule.markMatchNeg = r.negate;
		r.negate = false;
		r.rule.markMatch = r.take(opt);
	},
	'--mode': (r, opt) => {
		const v = r.take(opt);
		if (v !== 'nth' && v !== 'random') exitWith(2, `${V}: Bad mode "${v}"\n${TRY}`);
		r.rule.statistic = { ...r.rule.statistic, mode: v };
	},
	'--every': (r, opt) => {
		const v = r.take(opt);
		const st = (r.rule.statistic ??= { mode: 'random' });
		if (opt === '--every') st.every = Number(v);
		else if (opt === '--packet') st.packet = Number(v);
		else st.probability = Number(v).toFixed(11);
	},
};

/** What a rule does: its target and the target's options. */
const TARGETS: Record<string, Handler> = {
	'-j': (r, opt) => {
		r.rule.target = r.take(opt);
		r.rule.goto = opt === '-g' || opt === '--goto';
	},
	'--to-source': (r, opt) => (r.rule.toSource = r.take(opt)),
	'--to-destination': (r, opt) => (r.rule.toDestination = r.take(opt)),
	'--to-ports': (r, opt) => (r.rule.toPorts = r.take(opt)),
	'--reject-with': (r, opt) => (r.rule.rejectWith = r.take(opt)),
	'--log-prefix': (r, opt) => (r.rule.logPrefix = r.take(opt)),
	'--set-xmark': (r, opt) => (r.rule.mark = `${opt} ${r.take(opt)}`),
};

/** How `-L` prints, and `-w` (there is no lock to wait for). */
const DISPLAY: Record<string, Handler> = {
	'-n': (r) => (r.out.numeric = true),
	'-v': (r) => (r.out.verbose = true),
	'-x': (r) => (r.out.exact = true),
	'--line-numbers': (r) => (r.out.lineNumbers = true),
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
		if (a.includes('n')) r.out.numeric = true;
		if (a.includes('v')) r.out.verbose = true;
		if (a.includes('x')) r.out.exact = true;
		return;
	}
	if (a.startsWith('-')) unknownOption(a);
	exitWith(2, `Bad argument \`${a}'\n${TRY}`);
}

/** Parses the rule part of a command line. */
export function parseRule(args: readonly string[]): RuleArgs {
	const r = new RuleReader(args);
	for (; r.i < args.length; r.i++) {
		const a = args[r.i] as string;
		if (a === '!') {
			r.negate = true;
			continue;
		}
		const name = Object.prototype.hasOwnProperty.call(ALIASES, a) ? (ALIASES[a] as string) : a;
		const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
		if (handler) handler(r, a);
		else other(r, a);
	}
	return r.out;
}

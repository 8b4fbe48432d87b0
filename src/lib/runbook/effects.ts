import { oneLine } from './commands.ts';
import { FunctionScope } from './functions.ts';
import { shellCommands } from './programs.ts';
import type { Chapter } from './types.ts';

/**
 * What a chapter's commands do to a machine, read from the commands themselves, so that its
 * downloadable script can check the machine before it changes anything and put it back after.
 *
 * Two kinds of effects:
 * - **Owned** things: what the commands create, or remove by name (links, network namespaces,
 *   iptables chains and rules, addresses on links the chapter did not create, routes, files). The
 *   script refuses to start when any of them already exists, so whatever its cleanup finds under
 *   those names at the end was made by this run, and removing it by name is safe.
 * - **Settings**: what the commands change in place (sysctls, chain policies, directories made
 *   with `mkdir -p` or removed with `rmdir`). The script saves them before it starts and puts them
 *   back, at the end and on error, to the values it found.
 *
 * Only the machine's own network namespace counts: whatever happens inside a namespace the
 * chapter creates (`ip netns exec NS …`, `ip -n NS …`) goes away with it.
 */

/** Something the commands create or remove by name: it must not exist before the script starts. */
export type Owned =
	| { kind: 'link'; name: string }
	| { kind: 'netns'; name: string }
	| { kind: 'chain'; tool: string; table: string; chain: string }
	/** `check` is the rule as an `iptables -C` command; `rule` is it as `-A CHAIN …` for messages. */
	| { kind: 'rule'; tool: string; table: string; check: string[]; rule: string }
	/** An address added to (or removed from) a link the chapter did not create. */
	| { kind: 'address'; address: string; dev: string }
	| { kind: 'route'; family: '' | '-6'; table: string; prefix: string }
	| { kind: 'path'; path: string };

/** A setting the commands change in place: saved before the script starts, put back at the end. */
export type Setting =
	| { kind: 'sysctl'; key: string }
	| { kind: 'policy'; tool: string; table: string; chain: string }
	/** A directory made (`mkdir -p`) or removed (`rmdir`): put back if it was there, removed if empty and new. */
	| { kind: 'dir'; path: string }
	/**
	 * A mount point a tool makes as a side effect and never removes (`ip netns add` bind-mounts
	 * `/run/netns` on itself): unmounted at the end if it was not one before and is empty.
	 */
	| { kind: 'mount'; path: string }
	/**
	 * The nf_tables tables and base chains: iptables-nft (and the CNI plugins, through it) makes
	 * them on first use and never removes them; new ones left empty are removed at the end.
	 */
	| { kind: 'nftables' };

/** The effects of a chapter's commands on one lab machine's own network namespace and files. */
export interface HostEffects {
	host: string;
	owned: Owned[];
	settings: Setting[];
	/**
	 * Packets are routed through this machine: the commands touch IPv4 forwarding
	 * (`net.ipv4.ip_forward`, `conf.*.forwarding`), or give it addresses on two of its links.
	 */
	forwards: boolean;
	/** The commands create a bridge: where br_netfilter is loaded, its packets pass iptables' FORWARD chain. */
	bridges: boolean;
}

const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
const IPTABLES = /^(ip6?tables)(?:-nft|-legacy)?$/;

/** Expands `for V in A B; do BODY; done` into BODY once per word, `$V`/`${V}` replaced. */
export function expandLoops(line: string): string {
	return line.replace(/\bfor ([A-Za-z_]\w*) in ([^;]*?)\s*;\s*do\s+(.*?)\s*;?\s*done\b/g, (_, v: string, list: string, body: string) =>
		list
			.split(/\s+/)
			.filter(Boolean)
			.map((w) => body.replace(new RegExp(`\\$\\{${v}\\}|\\$${v}\\b`, 'g'), w))
			.join('; '),
	);
}

/** True for words iproute2 would take as `object` (it matches any prefix: `ip a`, `ip r`). */
const is = (word: string | undefined, full: string, min = 1): boolean => !!word && word.length >= min && full.startsWith(word);

/** Collects one host's effects command by command. */
class Collector {
	readonly owned: Owned[] = [];
	readonly settings: Setting[] = [];
	forwards = false;
	bridges = false;
	private readonly links = new Set<string>();
	private readonly chains = new Set<string>();
	/** The machine's shell functions: a call counts as its body (./functions.ts). */
	private readonly scope = new FunctionScope();

	add(command: string): void {
		for (const line of this.scope.read(command)) for (const c of shellCommands(expandLoops(oneLine(line)))) this.simple(c.words, c.writes, false);
	}

	/** The effects, once every command is in: addresses on own links and rules in own chains are left out. */
	result(host: string): HostEffects {
		const seen = new Set<string>();
		const unique = <T>(list: T[]): T[] => list.filter((x) => !seen.has(JSON.stringify(x)) && !!seen.add(JSON.stringify(x)));
		const owned = this.owned.filter((o) => {
			if (o.kind === 'address') return !this.links.has(o.dev);
			if (o.kind === 'rule') return !this.chains.has(`${o.tool} ${o.table} ${(o.check[o.check.indexOf('-C') + 1] ?? '')}`);
			return true;
		});
		// A machine given addresses on two of its own links is the chapter's router between them.
		const routes = new Set(owned.flatMap((o) => (o.kind === 'address' ? [o.dev] : []))).size > 1;
		return {
			host,
			owned: unique(owned),
			settings: unique(this.settings),
			forwards: this.forwards || routes,
			bridges: this.bridges,
		};
	}

	private simple(all: string[], writes: string[], inNetns: boolean): void {
		for (const target of writes) this.write(target, inNetns);
		let words = all;
		for (;;) {
			while (words.length && /^[A-Za-z_]\w*=/.test(words[0]!)) words = words.slice(1);
			const [first, ...rest] = words;
			if (first === 'sudo' || first === 'exec' || first === 'nohup' || first === 'command' || first === 'env' || first === '!') words = rest;
			else if (first === 'timeout') {
				let i = 0;
				while (rest[i]?.startsWith('-')) i++;
				words = rest.slice(i + 1);
			} else break;
		}
		const [cmd, ...args] = words;
		if (!cmd) return;
		if ((cmd === 'sh' || cmd === 'bash') && args[0] === '-c' && args[1]) {
			for (const c of shellCommands(expandLoops(args[1]))) this.simple(c.words, c.writes, inNetns);
			return;
		}
		if (!inNetns && (IPTABLES.test(cmd) || /\/cni\/[^/]+$/.test(cmd))) this.settings.push({ kind: 'nftables' });
		if (cmd === 'ip') return this.ip(args, inNetns);
		if (IPTABLES.test(cmd)) return inNetns ? undefined : this.iptables(IPTABLES.exec(cmd)![1]!, args);
		if (cmd === 'sysctl') return inNetns ? undefined : this.sysctl(args);
		const paths = args.filter((a) => a.startsWith('/') && !/[$*?[]/.test(a));
		if (cmd === 'mkdir') {
			const parents = args.some((a) => a === '-p' || a === '--parents' || /^-[a-z]*p/.test(a));
			for (const p of paths) {
				const parts = p.replace(/\/+$/, '').split('/').filter(Boolean);
				const from = parents ? 1 : parts.length;
				for (let n = from; n <= parts.length; n++) this.settings.push({ kind: 'dir', path: `/${parts.slice(0, n).join('/')}` });
			}
		} else if (cmd === 'rmdir') paths.forEach((p) => this.settings.push({ kind: 'dir', path: p.replace(/\/+$/, '') }));
		else if (cmd === 'rm' || cmd === 'tee' || cmd === 'touch') paths.forEach((p) => this.path(p));
	}

	private write(target: string, inNetns: boolean): void {
		if (!target.startsWith('/') || /[$*?[]/.test(target)) return;
		if (target.startsWith('/proc/sys/')) {
			if (!inNetns) this.sysctlKey(target.slice('/proc/sys/'.length).replace(/\//g, '.'));
		} else if (!/^\/(dev|proc|sys)\//.test(target)) this.path(target);
	}

	private path(path: string): void {
		if (!/^\/(dev|proc|sys)\//.test(path)) this.owned.push({ kind: 'path', path: path.replace(/\/+$/, '') });
	}

	private sysctlKey(key: string): void {
		this.settings.push({ kind: 'sysctl', key });
		if (key === 'net.ipv4.ip_forward' || /^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(key)) this.forwards = true;
	}

	private sysctl(args: string[]): void {
		for (let i = 0; i < args.length; i++) {
			const a = args[i]!;
			if (a === '-p' || a === '--load' || a === '-f') i++;
			else if (!a.startsWith('-') && a.includes('=')) this.sysctlKey(a.slice(0, a.indexOf('=')).replace(/\//g, '.'));
		}
	}

	private ip(args: string[], inNetns: boolean): void {
		let i = 0;
		let family: '' | '-6' = '';
		let netns = inNetns;
		for (; i < args.length && args[i]!.startsWith('-'); i++) {
			const o = args[i]!;
			if (o === '-n' || o === '-netns' || o === '--netns') {
				netns = true;
				i++;
			} else if (o === '-6') family = '-6';
			else if (o === '-b' || o === '-batch' || o === '-rc' || o === '-rcvbuf') i++;
		}
		const [object, verb, ...rest] = args.slice(i);
		if (object === 'netns') {
			if (verb === 'exec' && rest.length > 1) {
				const [, ...command] = rest;
				this.simple(command, [], true);
			} else if ((verb === 'add' || verb === 'del' || verb === 'delete') && rest[0]) {
				this.owned.push({ kind: 'netns', name: rest[0] });
				if (verb === 'add') this.settings.push({ kind: 'mount', path: '/run/netns' });
			}
			return;
		}
		if (netns || !verb) return;
		if (is(object, 'link')) this.link(verb, rest);
		else if (is(object, 'address')) {
			if (is(verb, 'add') || is(verb, 'delete', 3) || verb === 'replace' || verb === 'change') {
				let dev = '';
				let address = '';
				for (let k = 0; k < rest.length; k++) {
					const w = rest[k]!;
					if (w === 'dev') dev = rest[++k] ?? '';
					else if (['label', 'broadcast', 'brd', 'peer', 'scope', 'valid_lft', 'preferred_lft', 'metric', 'anycast'].includes(w)) k++;
					else if (w === 'local') address = rest[++k] ?? address;
					else if (!address && /^[\d.:a-f]+(\/\d+)?$/i.test(w)) address = w;
					else if (!dev && !address) dev = w;
				}
				if (address) this.owned.push({ kind: 'address', address: address.replace(/\/\d+$/, ''), dev });
			}
		} else if (is(object, 'route')) {
			if (!['add', 'del', 'delete', 'replace', 'append', 'prepend', 'change'].includes(verb)) return;
			let table = 'main';
			let prefix = '';
			const valued = new Set(['via', 'dev', 'oif', 'src', 'metric', 'preference', 'proto', 'protocol', 'scope', 'mtu', 'advmss', 'realm', 'realms', 'nexthop', 'nhid', 'weight', 'encap', 'tos', 'dsfield', 'rtt', 'rttvar', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'expires', 'quickack', 'congctl', 'features', 'ssthresh', 'reordering', 'hoplimit', 'fastopen_no_cookie', 'pref', 'from']);
			for (let k = 0; k < rest.length; k++) {
				const w = rest[k]!;
				if (w === 'table') table = rest[++k] ?? table;
				else if (valued.has(w)) k++;
				else if (w === 'to') prefix ||= rest[++k] ?? '';
				else if (!prefix && /^(default|[\d.]+(\/\d+)?|[\da-f]*:[\da-f:]*(\/\d+)?)$/i.test(w)) prefix = w;
			}
			if (prefix) this.owned.push({ kind: 'route', family, table, prefix });
		}
	}

	private link(verb: string, rest: string[]): void {
		if (verb === 'add') {
			const [name, type, peer] = linkAddNames(rest);
			if (name.name && !name.netns) {
				this.owned.push({ kind: 'link', name: name.name });
				this.links.add(name.name);
			}
			if (peer?.name && !peer.netns) {
				this.owned.push({ kind: 'link', name: peer.name });
				this.links.add(peer.name);
			}
			if (type === 'bridge') this.bridges = true;
		} else if (verb === 'del' || verb === 'delete') {
			const name = rest[0] === 'dev' ? rest[1] : rest[0];
			if (name) this.owned.push({ kind: 'link', name });
		} else if (verb === 'set') {
			const k = rest.indexOf('name');
			if (k > 0 && rest[k + 1]) {
				this.owned.push({ kind: 'link', name: rest[k + 1]! });
				this.links.add(rest[k + 1]!);
			}
		}
	}

	private iptables(tool: string, args: string[]): void {
		let table = 'filter';
		let op = '';
		let chain = '';
		let number = false;
		let policy = false;
		const spec: string[] = [];
		for (let k = 0; k < args.length; k++) {
			const w = args[k]!;
			if (w === '-t' || w === '--table') table = args[++k] ?? table;
			else if (/^-t\w+$/.test(w)) table = w.slice(2);
			else if (!op && /^(-[ADINXFPRZ]|--(append|delete|insert|new-chain|delete-chain|flush|policy|replace|zero))$/.test(w)) {
				op = w.startsWith('--') ? { append: 'A', delete: 'D', insert: 'I', 'new-chain': 'N', 'delete-chain': 'X', flush: 'F', policy: 'P', replace: 'R', zero: 'Z' }[w.slice(2)]! : w[1]!;
				if (args[k + 1] && !args[k + 1]!.startsWith('-')) chain = args[++k]!;
				if ((op === 'I' || op === 'D' || op === 'R') && /^\d+$/.test(args[k + 1] ?? '')) {
					number = true;
					k++;
				}
				if (op === 'P') policy = true;
			} else spec.push(w);
		}
		if (!chain) return;
		if (op === 'N' || ((op === 'X' || op === 'F') && !BUILTIN_CHAINS.has(chain))) {
			this.owned.push({ kind: 'chain', tool, table, chain });
			if (op === 'N') this.chains.add(`${tool} ${table} ${chain}`);
		} else if (policy) this.settings.push({ kind: 'policy', tool, table, chain });
		else if ((op === 'A' || op === 'I' || (op === 'D' && !number)) && spec.length) {
			this.owned.push({ kind: 'rule', tool, table, check: [tool, '-t', table, '-C', chain, ...spec], rule: ['-A', chain, ...spec].map((w) => (/\s/.test(w) ? `"${w}"` : w)).join(' ') });
		}
	}
}

interface LinkName {
	name: string;
	netns: boolean;
}

/** `ip link add [name] NAME … type TYPE … [peer [name] PEER … [netns NS]]`: the names, the type and where they go. */
function linkAddNames(args: string[]): [LinkName, string, LinkName | undefined] {
	const valued = new Set(['link', 'address', 'addr', 'broadcast', 'brd', 'mtu', 'txqueuelen', 'txqlen', 'qlen', 'numtxqueues', 'numrxqueues', 'group', 'master', 'alias', 'index', 'gso_max_size', 'gso_max_segs', 'netnsid', 'vrf']);
	const parse = (words: string[]): LinkName => {
		const out: LinkName = { name: '', netns: false };
		for (let k = 0; k < words.length; k++) {
			const w = words[k]!;
			if (w === 'name' || w === 'dev') out.name = words[++k] ?? '';
			else if (w === 'netns') {
				out.netns = true;
				k++;
			} else if (valued.has(w)) k++;
			else if (!out.name && !w.startsWith('-')) out.name = w;
		}
		return out;
	};
	const t = args.indexOf('type');
	const own = parse(t < 0 ? args : args.slice(0, t));
	const type = t < 0 ? '' : (args[t + 1] ?? '');
	const p = args.indexOf('peer', t < 0 ? 0 : t);
	return [own, type, p < 0 ? undefined : parse(args.slice(p + 1))];
}

/** The effects of a chapter's runnable commands (its cleanup included), one entry per host that runs any. */
export function chapterEffects(chapter: Chapter): HostEffects[] {
	const byHost = new Map<string, Collector>();
	for (const block of chapter.blocks) {
		if (!block.runnable) continue;
		const c = byHost.get(block.host) ?? new Collector();
		byHost.set(block.host, c);
		for (const command of block.commands) c.add(command.text);
	}
	return [...byHost].map(([host, c]) => c.result(host));
}

/**
 * The sysctl keys a command sets when it is nothing but `sysctl -w KEY=VALUE…` on the machine
 * itself (so a script may put back the value it found instead); undefined for anything else.
 */
export function sysctlOnly(command: string): string[] | undefined {
	const parsed = shellCommands(oneLine(command));
	const words = parsed[0]?.words ?? [];
	if (parsed.length !== 1 || parsed[0]!.writes.length || words[0] !== 'sysctl') return undefined;
	const keys = words.slice(1).filter((w) => !w.startsWith('-'));
	return keys.length && keys.every((k) => /^[\w.\/-]+=/.test(k)) ? keys.map((k) => k.slice(0, k.indexOf('=')).replace(/\//g, '.')) : undefined;
}

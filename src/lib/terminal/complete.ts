/**
 * Tab completion: commands, `ip` objects and subcommands, keywords, and the names the lab has
 * right now (interfaces and namespaces from the engine's state, hosts for `ssh`).
 */
import type { LabState } from '../shared/lab-state.ts';

/** What completion needs to know about the lab. */
export interface CompletionContext {
	/** Host the line will run on. */
	host: string;
	hosts: string[];
	/** Commands the engine and the terminal understand. */
	commands: string[];
	state?: LabState | undefined;
}

/** Candidates for the word under the cursor, which spans `start` … cursor. */
export interface Completion {
	start: number;
	candidates: string[];
}

const IP_OPTIONS = ['-4', '-6', '-br', '-brief', '-c', '-color', '-d', '-details', '-j', '-json', '-n', '-netns', '-p', '-pretty', '-s', '-stats'];
const IP_OBJECTS = ['address', 'link', 'neigh', 'netns', 'route', 'rule'];
const IP_COMMANDS: Record<string, string[]> = {
	link: ['add', 'delete', 'set', 'show'],
	address: ['add', 'delete', 'flush', 'show'],
	route: ['add', 'delete', 'flush', 'get', 'replace', 'show'],
	neigh: ['add', 'delete', 'flush', 'replace', 'show'],
	netns: ['add', 'attach', 'delete', 'exec', 'identify', 'list', 'list-id', 'pids', 'set'],
	rule: ['add', 'delete', 'flush', 'show'],
};
/** Keywords that may follow the named device of `ip link set DEV`. */
const LINK_SET = ['address', 'down', 'master', 'mtu', 'name', 'netns', 'nomaster', 'up'];
const LINK_KINDS = ['bridge', 'macvlan', 'veth', 'vxlan'];
/** Keywords after `ip link add NAME`, `ip addr add PREFIX`, `ip route add PREFIX`… */
const KEYWORDS: Record<string, string[]> = {
	'link add': ['address', 'link', 'mtu', 'name', 'netns', 'peer', 'type'],
	'address add': ['brd', 'dev', 'label', 'scope'],
	'address delete': ['dev'],
	'address show': ['dev', 'up'],
	'address flush': ['dev'],
	'route add': ['dev', 'metric', 'onlink', 'proto', 'scope', 'src', 'table', 'via'],
	'route replace': ['dev', 'metric', 'onlink', 'proto', 'scope', 'src', 'table', 'via'],
	'route delete': ['dev', 'via'],
	'route get': ['from', 'iif', 'oif'],
	'route show': ['dev', 'table', 'via'],
	'neigh show': ['dev', 'nud'],
	'neigh add': ['dev', 'lladdr', 'nud'],
	'neigh delete': ['dev'],
	'neigh flush': ['dev'],
};
/** Words after which an interface name comes. */
const DEVICE_BEFORE = new Set(['dev', 'master', 'link', 'oif', 'iif', 'br', '-I', '-i', '-o', 'peer']);
const BRIDGE_OBJECTS = ['fdb', 'link', 'vlan'];
const BRIDGE_COMMANDS = ['add', 'del', 'show'];
const IPT_TABLES = ['filter', 'mangle', 'nat', 'raw'];
const IPT_CHAINS = ['FORWARD', 'INPUT', 'OUTPUT', 'POSTROUTING', 'PREROUTING'];
const IPT_TARGETS = ['ACCEPT', 'DNAT', 'DROP', 'LOG', 'MASQUERADE', 'REJECT', 'RETURN', 'SNAT'];
const IPT_OPTIONS = ['-A', '-C', '-D', '-F', '-I', '-L', '-N', '-P', '-S', '-X', '-Z', '-d', '-i', '-j', '-n', '-o', '-p', '-s', '-t', '-v', '--dport', '--to-destination', '--to-source'];
const PING_OPTIONS = ['-I', '-W', '-c', '-i', '-q', '-w', '--trace'];
/** Options of the other tools the simulator runs, as the book uses them. */
const TOOL_OPTIONS: Record<string, string[]> = {
	conntrack: ['-C', '-F', '-L', '-d', '-n', '-p', '-s', '--dport', '--dst', '--reply-src', '--sport', '--src'],
	curl: ['-f', '-m', '-o', '-s', '-S', '--connect-timeout', '--max-time', '--retry', '--show-error', '--silent'],
	jq: ['-c', '-e', '-n', '-r', '-s', '--arg', '--rawfile', '--slurpfile'],
	ss: ['-l', '-n', '-t', '-u', '-ltn'],
	python3: ['-m'],
};
const SYSCTLS = [
	'net.bridge.bridge-nf-call-iptables',
	'net.ipv4.conf.all.forwarding',
	'net.ipv4.conf.all.proxy_arp',
	'net.ipv4.conf.all.rp_filter',
	'net.ipv4.ip_forward',
	'net.ipv4.ping_group_range',
];

/** Full word for an abbreviation iproute2 accepts (`a` → `address`, `r` → `route`…). */
function expand(word: string | undefined, full: string[]): string | undefined {
	if (!word) return undefined;
	const alias: Record<string, string> = { addr: 'address', a: 'address', del: 'delete', ls: 'show', list: 'show', lst: 'show', r: 'route', l: 'link', n: 'neigh', neighbour: 'neigh', neighbor: 'neigh' };
	if (full.includes(word)) return word;
	if (alias[word] && full.includes(alias[word])) return alias[word];
	return full.find((f) => f.startsWith(word));
}

/** Interface names of a namespace, in ifindex order. */
function interfacesOf(state: LabState | undefined, host: string, netns: string): string[] {
	const links = state?.[host]?.[netns]?.link ?? [];
	return links.map((l) => (l as { ifname?: unknown }).ifname).filter((n): n is string => typeof n === 'string');
}

/** Named namespaces of a host. */
export function namespacesOf(state: LabState | undefined, host: string): string[] {
	return Object.keys(state?.[host] ?? {}).filter((n) => n !== '').sort();
}

/** Candidate words (before prefix filtering) for position `words.length` of a command. */
function candidates(words: string[], ctx: CompletionContext, netns: string): string[] {
	const devices = () => interfacesOf(ctx.state, ctx.host, netns);
	const namespaces = () => namespacesOf(ctx.state, ctx.host);
	const prev = words.at(-1);
	if (words.length === 0) return ctx.commands;
	const [cmd, ...args] = words;
	if (cmd === 'python3' || cmd === 'python') return prev === '-m' ? ['http.server'] : prev === 'http.server' ? ['--bind', '--directory'] : TOOL_OPTIONS['python3']!;
	if (cmd && TOOL_OPTIONS[cmd]) return TOOL_OPTIONS[cmd];
	if (cmd === 'ssh') return args.length === 0 ? ctx.hosts : [];
	if (cmd === 'sudo') return candidates(args, ctx, netns);
	if (cmd === 'ping') return prev === '-I' ? devices() : PING_OPTIONS;
	if (cmd === 'sysctl') {
		const perDevice = devices().flatMap((d) => [`net.ipv4.conf.${d}.forwarding`, `net.ipv4.conf.${d}.proxy_arp`]);
		return ['-a', '-w', ...SYSCTLS, ...perDevice];
	}
	if (cmd === 'iptables') {
		if (prev === '-t') return IPT_TABLES;
		if (prev === '-j') return IPT_TARGETS;
		if (prev && /^-[ADILSFNXPCZ]$/.test(prev)) return IPT_CHAINS;
		if (prev && DEVICE_BEFORE.has(prev)) return devices();
		return IPT_OPTIONS;
	}
	if (cmd === 'bridge') {
		if (prev && DEVICE_BEFORE.has(prev)) return devices();
		if (args.length === 0) return BRIDGE_OBJECTS;
		if (args.length === 1) return BRIDGE_COMMANDS;
		return ['br', 'dev', 'master'];
	}
	if (cmd !== 'ip') return [];
	// ip [OPTIONS] OBJECT COMMAND ARGS
	let i = 0;
	let ns = netns;
	while (i < args.length && args[i]!.startsWith('-')) {
		if (args[i] === '-n' || args[i] === '-netns') {
			if (i + 1 === args.length) return namespaces();
			ns = args[++i]!;
		}
		i++;
	}
	if (i === args.length) return [...IP_OBJECTS, ...IP_OPTIONS];
	const object = expand(args[i], IP_OBJECTS);
	if (!object) return [];
	const rest = args.slice(i + 1);
	const nsDevices = () => interfacesOf(ctx.state, ctx.host, ns);
	if (rest.length === 0) return IP_COMMANDS[object] ?? [];
	const command = expand(rest[0], IP_COMMANDS[object] ?? []) ?? rest[0]!;
	const after = rest.slice(1);
	const last = after.at(-1);
	if (object === 'netns') {
		if (command === 'exec') return after.length === 0 ? namespaces() : candidates(after.slice(1), ctx, after[0]!);
		if (['delete', 'set', 'pids', 'identify'].includes(command)) return after.length === 0 ? namespaces() : [];
		return [];
	}
	if (last === 'netns') return namespaces();
	if (last === 'type') return LINK_KINDS;
	if (last && DEVICE_BEFORE.has(last) && last !== 'peer') return nsDevices();
	if (object === 'link' && last === 'peer') return ['name'];
	if (object === 'link' && ['set', 'show', 'delete'].includes(command)) {
		if (after.length === 0) return ['dev', ...nsDevices()];
		return command === 'set' ? LINK_SET : [];
	}
	if (after.length === 0 && object === 'link' && command === 'add') return ['name'];
	return KEYWORDS[`${object} ${command}`] ?? [];
}

/** Words of `text` (split on blanks; the book's commands need no quoting). */
const wordsOf = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/**
 * Completion candidates for the word ending at `cursor`. A word starting with `@` names a host
 * (`@bob ip link` runs one command on bob).
 */
export function complete(line: string, cursor: number, ctx: CompletionContext): Completion {
	const before = line.slice(0, cursor);
	const start = before.search(/\S*$/);
	const word = before.slice(start);
	let words = wordsOf(before.slice(0, start));
	let context = ctx;
	if (words.length === 0 && word.startsWith('@'))
		return { start, candidates: ctx.hosts.map((h) => `@${h}`).filter((h) => h.startsWith(word)) };
	if (words[0]?.startsWith('@')) {
		context = { ...ctx, host: words[0].slice(1) };
		words = words.slice(1);
	}
	// Commands run by path (the CNI plugins, /usr/lib/cni/bridge) are offered once a path is begun.
	const all = candidates(words, context, '').filter((c) => word.startsWith('/') || !c.startsWith('/'));
	return { start, candidates: [...new Set(all)].filter((c) => c.startsWith(word)) };
}

/** Longest common prefix of some words. */
function commonPrefix(words: string[]): string {
	if (words.length === 0) return '';
	let prefix = words[0]!;
	for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
	return prefix;
}

/** What Tab did to the line: the new line, and whether to list the candidates or ring the bell. */
export interface Applied {
	text: string;
	cursor: number;
	/** The candidates, for the reader to see (a second Tab that could add nothing). */
	list?: string[];
	/** Nothing (more) to add: bash rings the terminal's bell. */
	bell?: boolean;
}

/**
 * Applies a completion the way bash (readline) does: one candidate replaces the word and adds a
 * space; several extend it to their common prefix and ring the bell, since more remain; nothing
 * to complete rings the bell. `again` says the previous key was a Tab that left the line as it
 * was: only then are the candidates listed (bash's second Tab).
 */
export function applyCompletion(line: string, cursor: number, completion: Completion, again = false): Applied {
	const { start, candidates: found } = completion;
	const word = line.slice(start, cursor);
	if (found.length === 0) return { text: line, cursor, bell: true };
	const insert = found.length === 1 ? `${found[0]} ` : commonPrefix(found);
	if (insert.length <= word.length && found.length > 1) return again ? { text: line, cursor, list: found } : { text: line, cursor, bell: true };
	const text = line.slice(0, start) + insert + line.slice(cursor);
	return found.length === 1 ? { text, cursor: start + insert.length } : { text, cursor: start + insert.length, bell: true };
}

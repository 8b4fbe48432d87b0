/**
 * glibc's `getent` (Debian's libc-bin), for its `hosts` database: what the C library's name
 * service answers for a name or an address, the lookup every program makes (cmd/nss.ts: /etc/hosts
 * of the namespace it runs in, as the lab's nsswitch.conf says). Its options and errors are
 * argp's; the other databases (users, groups, services, getaddrinfo's `ahosts`…) say in one line
 * that they are not available here.
 */
import { ipv6Text, inetPton4, hostByAddr, hostByName, hostsEntries, type HostEntry } from '../nss.ts';
import { formatIpv4 } from '../../addr/ipv4.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import type { ExecResult, Tool } from '../../tool/types.ts';

const TRY = "Try `getent --help' or `getent --usage' for more information.\n";

const HELP = `Usage: getent [OPTION...] database [key ...]
Get entries from administrative database.

  -A, --no-addrconfig        do not filter out unsupported IPv4/IPv6 addresses
                             (with ahosts*)
  -i, --no-idn               disable IDN encoding
  -s, --service=CONFIG       Service configuration to be used
  -?, --help                 Give this help list
      --usage                Give a short usage message
  -V, --version              Print program version

Mandatory or optional arguments to long options are also mandatory or optional
for any corresponding short options.

Supported databases:
ahosts ahostsv4 ahostsv6 aliases ethers group gshadow hosts initgroups
netgroup networks passwd protocols rpc services shadow

For bug reporting instructions, please see:
<http://www.debian.org/Bugs/>.
`;

const USAGE = `Usage: getent [-Ai?V] [-s CONFIG] [--no-addrconfig] [--no-idn]
            [--service=CONFIG] [--help] [--usage] [--version]
            database [key ...]
`;

const DATABASES = ['ahosts', 'ahostsv4', 'ahostsv6', 'aliases', 'ethers', 'group', 'gshadow', 'hosts', 'initgroups', 'netgroup', 'networks', 'passwd', 'protocols', 'rpc', 'services', 'shadow'];

const LONG = ['no-addrconfig', 'no-idn', 'service', 'help', 'usage', 'version'];

/** One line the simulator says instead of what it does not model. */
function notHere(what: string): ExecResult {
	return {
		stdout: '',
		stderr: `getent ${what}: not available in this simulator (getent hosts [NAME|ADDRESS] answers from /etc/hosts, as the lab's name service does; for ${what}, run the chapter's script on a real Linux machine)\n`,
		exit: 1,
	};
}

/** argp's ending for a bad command line (exit 64). */
function usageError(message: string): ExecResult {
	return { stdout: '', stderr: `getent: ${message}\n${TRY}`, exit: 64 };
}

/** print_hosts: a line per address, `%-15s` then the official name and the aliases. */
function printHost(h: HostEntry): string {
	return h.addrs.map((a) => `${a.padEnd(15)} ${[h.name, ...h.aliases].join(' ')}\n`).join('');
}

/** The parsed command line, or the result it ends with. */
type Parsed = { service: string; words: string[] } | ExecResult;

/** argp over getent's options: anywhere on the line until `--`, clusters, `-sCONFIG`, long prefixes. */
function parse(argv: string[]): Parsed {
	let service = 'files';
	const words: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '--') {
			words.push(...argv.slice(i + 1));
			break;
		}
		if (a.startsWith('--')) {
			const [given = '', value] = a.slice(2).split(/=(.*)/s);
			const hits = LONG.filter((l) => l.startsWith(given));
			const name = hits.includes(given) ? given : hits.length === 1 ? (hits[0] as string) : undefined;
			if (name === undefined) return usageError(hits.length > 1 ? `option '${a}' is ambiguous; possibilities:${hits.map((h) => ` '--${h}'`).join('')}` : `unrecognized option '${a}'`);
			if (name === 'service') {
				const v = value ?? argv[++i];
				if (v === undefined) return usageError(`option '--service' requires an argument`);
				service = v;
			} else if (value !== undefined) return usageError(`option '--${name}' doesn't allow an argument`);
			else if (name === 'help') return { stdout: HELP, stderr: '', exit: 0 };
			else if (name === 'usage') return { stdout: USAGE, stderr: '', exit: 0 };
			else if (name === 'version') return notHere('--version');
			continue;
		}
		if (!a.startsWith('-') || a === '-') {
			words.push(a);
			continue;
		}
		for (let k = 1; k < a.length; k++) {
			const c = a[k] as string;
			if (c === 's') {
				const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
				if (v === undefined) return usageError(`option requires an argument -- 's'`);
				service = v;
				break;
			}
			if (c === '?') return { stdout: HELP, stderr: '', exit: 0 };
			if (c === 'V') return notHere('--version');
			if (c !== 'A' && c !== 'i') return usageError(`invalid option -- '${c}'`);
		}
	}
	return { service, words };
}

/** `getent [OPTION…] DATABASE [KEY…]`. */
export function getentTool(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const parsed = parse(argv);
		if ('exit' in parsed) return parsed;
		const [db, ...keys] = parsed.words;
		if (db === undefined) return { stdout: TRY, stderr: 'getent: wrong number of arguments\n', exit: 1 };
		if (!DATABASES.includes(db)) return { stdout: TRY, stderr: `Unknown database: ${db}\n`, exit: 1 };
		if (db !== 'hosts') return notHere(db);
		// A service other than files (`-s dns`) has nothing to answer with: the lab has no DNS.
		const files = parsed.service.split(/[:,\s]+/).includes('files');
		const vfs = vfsOf(ctx);
		if (keys.length === 0) return { stdout: files ? hostsEntries(vfs, ctx.ns, 4).map(printHost).join('') : '', stderr: '', exit: 0 };
		let stdout = '';
		let exit = 0;
		for (const key of keys) {
			const v6 = ipv6Text(key);
			const v4 = inetPton4(key);
			let h: HostEntry | undefined;
			if (!files || key === '') h = undefined;
			else if (v6 !== null) h = hostByAddr(vfs, ctx.ns, v6, 6);
			else if (v4 !== null) h = hostByAddr(vfs, ctx.ns, formatIpv4(v4), 4);
			else h = hostByName(vfs, ctx.ns, key, 6) ?? hostByName(vfs, ctx.ns, key, 4);
			if (h) stdout += printHost(h);
			else exit = 2;
		}
		return { stdout, stderr: '', exit };
	};
}

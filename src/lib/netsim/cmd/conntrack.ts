/** `conntrack` (conntrack-tools 1.4.7 and 1.4.8, which word all of this alike): `-L` and `-D` with filters, `-F`, `-C`. */
import { formatIpv4, parseIpv4Strict } from '../addr/ipv4.ts';
import { conntrackDelete, conntrackExpire, conntrackFlush } from '../kernel/conntrack.ts';
import type { Conntrack } from '../model/conntrack.ts';
import type { Context, ExecResult } from '../tool/types.ts';
import { versionText } from '../profile/profile.ts';

/** The program's name and version as it starts its messages (conntrack-tools 1.4.7 or 1.4.8, by the profile). */
const version = (ctx: Context): string => `conntrack v${versionText(ctx.world.profile.conntrack)} (conntrack-tools)`;

/** The usage conntrack prints when run with no arguments (after its version line). */
const USAGE = "Usage: %PROG% [commands] [options]\n\nCommands:\n  -L [table] [options]\t\tList conntrack or expectation table\n  -G [table] parameters\t\tGet conntrack or expectation\n  -D [table] parameters\t\tDelete conntrack or expectation\n  -I [table] parameters\t\tCreate a conntrack or expectation\n  -U [table] parameters\t\tUpdate a conntrack\n  -E [table] [options]\t\tShow events\n  -F [table]\t\t\tFlush table\n  -C [table]\t\t\tShow counter\n  -S\t\t\t\tShow statistics\n\nTables: conntrack, expect, dying, unconfirmed\n\nConntrack parameters and options:\n  -n, --src-nat ip\t\t\tsource NAT ip\n  -g, --dst-nat ip\t\t\tdestination NAT ip\n  -j, --any-nat ip\t\t\tsource or destination NAT ip\n  -m, --mark mark\t\t\tSet mark\n  -c, --secmark secmark\t\t\tSet selinux secmark\n  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY\n  -z, --zero \t\t\t\tZero counters while listing\n  -o, --output type[,...]\t\tOutput format, eg. xml\n  -l, --label label[,...]\t\tconntrack labels\n\nExpectation parameters and options:\n  --tuple-src ip\tSource address in expect tuple\n  --tuple-dst ip\tDestination address in expect tuple\n\nUpdating parameters and options:\n  --label-add label\tAdd label\n  --label-del label\tDelete label\n\nCommon parameters and options:\n  -s, --src, --orig-src ip\t\tSource address from original direction\n  -d, --dst, --orig-dst ip\t\tDestination address from original direction\n  -r, --reply-src ip\t\tSource addres from reply direction\n  -q, --reply-dst ip\t\tDestination address from reply direction\n  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'\n  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'\n  -t, --timeout timeout\t\tSet timeout\n  -u, --status status\t\tSet status, eg. ASSURED\n  -w, --zone value\t\tSet conntrack zone\n  --orig-zone value\t\tSet zone for original direction\n  --reply-zone value\t\tSet zone for reply direction\n  -b, --buffer-size\t\tNetlink socket buffer size\n  --mask-src ip\t\t\tSource mask address\n  --mask-dst ip\t\t\tDestination mask address\n\n";

/** The error conntrack ends with: its name, the message, the hint (exit 2). */
function fail(V: string, msg: string): ExecResult {
	return { stdout: '', stderr: `${V}: ${msg}\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, exit: 2 };
}

/** The commands and their long names. */
const COMMANDS: Record<string, string> = { '-L': 'L', '--dump': 'L', '-D': 'D', '--delete': 'D', '-F': 'F', '--flush': 'F', '-C': 'C', '--count': 'C' };

/** Options of the tcp/udp protocol modules, known only once `-p` loaded one, by the field they filter. */
const PORT_OPTIONS: Record<string, string> = { '--sport': '--orig-port-src', '--orig-port-src': '--orig-port-src', '--dport': '--orig-port-dst', '--orig-port-dst': '--orig-port-dst', '--reply-port-src': '--reply-port-src', '--reply-port-dst': '--reply-port-dst' };

/** One flow as `-L` (and `-D`) prints it. */
function flowLine(c: Conntrack, now: number): string {
	const ttl = Math.max(0, Math.floor((c.expires - now) / 1000));
	const name = c.proto === 1 ? 'icmp' : c.proto === 6 ? 'tcp' : c.proto === 17 ? 'udp' : 'unknown';
	const tuple = (t: typeof c.orig, echoType: number): string =>
		c.proto === 1 ? `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)} type=${echoType} code=0 id=${t.sport} ` : `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)} sport=${t.sport} dport=${t.dport} `;
	let out = `${name.padEnd(8)} ${c.proto} ${ttl} `;
	if (c.state) out += `${c.state} `;
	out += tuple(c.orig, 8);
	if (!c.replied) out += '[UNREPLIED] ';
	out += tuple(c.reply, 0);
	if (c.assured) out += '[ASSURED] ';
	return `${out}mark=0 use=1\n`;
}

/** Runs conntrack. */
export function conntrack(argv: string[], ctx: Context): ExecResult {
	const V = version(ctx);
	if (argv.length === 0) return { stdout: `Command line interface for the connection tracking system. Version ${versionText(ctx.world.profile.conntrack)}\n${USAGE.replace('%PROG%', 'conntrack')}`, stderr: '', exit: 0 };
	let op: string | undefined;
	let proto: number | undefined;
	const f: Record<string, number> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		// An option's value, which getopt insists on.
		const val = (): string | undefined => argv[++i];
		const need = (): string | ExecResult => {
			const v = val();
			return v === undefined ? fail(V, `option \`${a}' requires an argument`) : v;
		};
		if (a === '-V' || a === '--version') return { stdout: `${V}\n`, stderr: '', exit: 0 };
		const cmd = COMMANDS[a];
		if (cmd) {
			if (op) return fail(V, 'Invalid commands combination');
			op = cmd;
			// An optional table name follows the command.
			const table = argv[i + 1];
			if (table !== undefined && !table.startsWith('-')) {
				if (table !== 'conntrack') return fail(V, `unknown type \`${table}'`);
				i++;
			}
		} else if (a === '-p' || a === '--proto' || a === '--protonum') {
			const v = need();
			if (typeof v !== 'string') return v;
			const map: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };
			proto = map[v.toLowerCase()] ?? (/^\d+$/.test(v) ? Number(v) : undefined);
			if (proto === undefined) return fail(V, `\`${v.toLowerCase()}' unsupported protocol`);
		} else if (['-s', '--src', '--orig-src', '-d', '--dst', '--orig-dst', '-r', '--reply-src', '-q', '--reply-dst'].includes(a)) {
			const v = need();
			if (typeof v !== 'string') return v;
			const ip = parseIpv4Strict(v);
			if (ip === null) return fail(V, `Invalid IP address \`${v}'`);
			const key = a === '-s' || a === '--src' || a === '--orig-src' ? 'os' : a === '-d' || a === '--dst' || a === '--orig-dst' ? 'od' : a === '-r' || a === '--reply-src' ? 'rs' : 'rd';
			f[key] = ip;
		} else if (Object.prototype.hasOwnProperty.call(PORT_OPTIONS, a) && (proto === 6 || proto === 17)) {
			const v = need();
			if (typeof v !== 'string') return v;
			// The module reads the port as a number, whatever follows its digits.
			f[PORT_OPTIONS[a]!] = Number(/^\d*/.exec(v)?.[0] || 0);
		} else if (a === '-f' || a === '--family' || a === '-o' || a === '--output') {
			const v = need();
			if (typeof v !== 'string') return v;
		} else if (a === '-n' || a === '-g' || a === '-e' || a === '-z') continue;
		else return fail(V, `unknown option \`${a}'`);
	}
	const ns = ctx.ns;
	const now = ctx.world.now;
	conntrackExpire(ns);
	if (op === 'F') {
		conntrackFlush(ns);
		return { stdout: '', stderr: `${V}: connection tracking table has been emptied.\n`, exit: 0 };
	}
	if (op === 'C') return { stdout: `${ns.conntrack.length}\n`, stderr: '', exit: 0 };
	if (op !== 'L' && op !== 'D') return fail(V, 'no command specified');
	const rows = ns.conntrack.filter((c) => {
		if (proto !== undefined && c.proto !== proto) return false;
		if (f.os !== undefined && c.orig.src !== f.os) return false;
		if (f.od !== undefined && c.orig.dst !== f.od) return false;
		if (f.rs !== undefined && c.reply.src !== f.rs) return false;
		if (f.rd !== undefined && c.reply.dst !== f.rd) return false;
		if (f['--orig-port-src'] !== undefined && (c.proto === 1 || c.orig.sport !== f['--orig-port-src'])) return false;
		if (f['--orig-port-dst'] !== undefined && (c.proto === 1 || c.orig.dport !== f['--orig-port-dst'])) return false;
		if (f['--reply-port-src'] !== undefined && (c.proto === 1 || c.reply.sport !== f['--reply-port-src'])) return false;
		if (f['--reply-port-dst'] !== undefined && (c.proto === 1 || c.reply.dport !== f['--reply-port-dst'])) return false;
		return true;
	});
	const out = rows.map((c) => flowLine(c, now)).join('');
	if (op === 'L') return { stdout: out, stderr: `${V}: ${rows.length} flow entries have been shown.\n`, exit: 0 };
	// -D prints what it deleted; having deleted nothing is a failure.
	conntrackDelete(ns, rows);
	return { stdout: out, stderr: `${V}: ${rows.length} flow entries have been deleted.\n`, exit: rows.length > 0 ? 0 : 1 };
}

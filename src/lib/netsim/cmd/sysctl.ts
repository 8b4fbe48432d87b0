/** `sysctl` (procps-ng): read, write (`-w` or `KEY=VALUE`), `-n`, `-q`, `-e`, `-a`, directories. */
import { STRERROR } from '../kernel/errno.ts';
import { sysctlReadOnly, sysctlWrite, sysctlWriteOnly } from '../kernel/sysctl.ts';
import { defineTool, exitWith } from '../tool/exit.ts';
import type { Context, ExecResult, Tool } from '../tool/types.ts';

/** What the options ask for, and the keys (or KEY=VALUE) given. */
interface SysctlArgs {
	/** -n: values only. */
	names: boolean;
	quiet: boolean;
	/** -e: no error for unknown keys. */
	ignore: boolean;
	write: boolean;
	all: boolean;
	/** -N: names only. */
	onlyNames: boolean;
	pattern?: RegExp | undefined;
	load?: string | undefined;
	keys: string[];
}

/** getopt's complaint, then procps' usage on standard output (its '?' case exits 0). */
function badOption(msg: string): never {
	exitWith(0, `sysctl: ${msg}\n`, USAGE);
}

/** Long options getopt_long knows (an unknown one is refused, a prefix of one is taken). */
const LONG_OPTIONS = ['--all', '--binary', '--deprecated', '--dry-run', '--ignore', '--names', '--values', '--load', '--pattern', '--quiet', '--system', '--write', '--help', '--version'];

/** -r, --pattern: a regular expression the keys shown must match. */
function pattern(v: string | undefined): RegExp {
	if (v === undefined) badOption("option requires an argument -- 'r'");
	try {
		return new RegExp(v);
	} catch {
		exitWith(1, 'sysctl: unable to parse pattern\n');
	}
}

/** A cluster of short options (`-nq`, `-rPATTERN`, `-p FILE`); returns the index of the last word used. */
function shortOptions(argv: string[], i: number, o: SysctlArgs): number {
	const flags = (argv[i] ?? '').slice(1);
	for (let j = 0; j < flags.length; j++) {
		const c = flags[j];
		if (c === 'n') o.names = true;
		else if (c === 'q') o.quiet = true;
		else if (c === 'e') o.ignore = true;
		else if (c === 'w') o.write = true;
		else if (c === 'a' || c === 'A' || c === 'X') o.all = true;
		else if (c === 'N') o.onlyNames = true;
		else if (c === 'b' || c === 'o' || c === 'x') continue;
		else if (c === 'r') {
			const rest = flags.slice(j + 1);
			o.pattern = pattern(rest !== '' ? rest : argv[++i]);
			break;
		} else if (c === 'p' || c === 'f') {
			const rest = flags.slice(j + 1);
			o.load = rest !== '' ? rest : argv[i + 1] !== undefined && !(argv[i + 1] ?? '').startsWith('-') ? argv[++i] : '/etc/sysctl.conf';
			break;
		} else badOption(`invalid option -- '${c}'`);
	}
	return i;
}

/** The command line. */
function parseArgs(argv: string[]): SysctlArgs {
	const o: SysctlArgs = { names: false, quiet: false, ignore: false, write: false, all: false, onlyNames: false, keys: [] };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] ?? '';
		if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) i = shortOptions(argv, i, o);
		else if (a === '--all') o.all = true;
		else if (a === '--values') o.names = true;
		else if (a === '--names') o.onlyNames = true;
		else if (a === '--quiet') o.quiet = true;
		else if (a === '--write') o.write = true;
		else if (a === '--pattern' || a.startsWith('--pattern=')) o.pattern = pattern(a === '--pattern' ? argv[++i] : a.slice('--pattern='.length));
		else if (a === '--load' || a.startsWith('--load=')) o.load = a === '--load' ? '/etc/sysctl.conf' : a.slice('--load='.length);
		else if (a.startsWith('--') && a.length > 2 && !LONG_OPTIONS.some((l) => l === a.split('=')[0])) badOption(`unrecognized option '${a}'`);
		else o.keys.push(a);
	}
	return o;
}

/** Output and errors gathered key by key. */
interface Out {
	stdout: string;
	stderr: string;
	exit: number;
}

/** Prints a key as the options say (unless the pattern rejects it). */
function show(o: SysctlArgs, out: Out, key: string, value: string): void {
	if (o.pattern && !o.pattern.test(key)) return;
	out.stdout += o.onlyNames ? `${key}\n` : o.names ? `${value}\n` : `${key} = ${value}\n`;
}

/** An unknown key, unless -e. */
function cannotStat(o: SysctlArgs, out: Out, path: string): void {
	if (o.ignore) return;
	out.stderr += `sysctl: cannot stat ${path}: No such file or directory\n`;
	out.exit = 1;
}

/** KEY=VALUE: writes it and shows it (unless -q). */
function setKey(ctx: Context, o: SysctlArgs, out: Out, key: string, value: string): void {
	const ns = ctx.ns;
	// A directory, or a key no one may write: procps cannot open it for writing, warns, goes on.
	if (sysctlReadOnly(key) || (ns.get(key) === undefined && allKeys(ctx).some((k) => k.startsWith(`${key}.`)))) {
		out.stderr += `sysctl: setting key "${key}": Invalid argument\n`;
		return;
	}
	const written = sysctlWrite(ns, key, value);
	if (!written.ok && written.errno === 'ENOENT') return cannotStat(o, out, `/proc/sys/${key.replaceAll('.', '/')}`);
	if (!written.ok) {
		out.stderr += `sysctl: setting key "${key}": ${STRERROR[written.errno]}\n`;
		out.exit = 1;
		return;
	}
	// procps shows what it wrote (`0x1` stays `0x1`).
	if (!o.quiet) show(o, out, key, value);
}

/** KEY: its value, or every key under it when it names a directory. */
function getKey(ctx: Context, o: SysctlArgs, out: Out, key: string): void {
	const ns = ctx.ns;
	// A key that cannot be read is skipped without a word.
	if (sysctlWriteOnly(key)) return;
	const v = key === 'kernel.hostname' ? ctx.host.hostname : ns.get(key);
	if (v !== undefined) return show(o, out, key, v);
	const under = allKeys(ctx).filter((k) => k.startsWith(`${key}.`));
	if (under.length === 0) return cannotStat(o, out, `/proc/sys/${key.replaceAll('.', '/')}`);
	for (const k of under) show(o, out, k, ns.get(k) ?? '');
}

function run(argv: string[], ctx: Context): ExecResult {
	const o = parseArgs(argv);
	// The simulated machines have no sysctl.conf files.
	if (o.load !== undefined) exitWith(1, `sysctl: cannot open "${o.load}": No such file or directory\n`);
	const out: Out = { stdout: '', stderr: '', exit: 0 };
	if (o.all || o.keys.length === 0) {
		if (!o.all && argv.length > 0) exitWith(1, "sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
		if (!o.all) exitWith(1, USAGE);
		for (const k of allKeys(ctx)) show(o, out, k, ctx.ns.get(k) ?? '');
		return out;
	}
	for (const raw of o.keys) {
		const eq = raw.indexOf('=');
		if (o.write && eq < 0) {
			out.stderr += 'sysctl: command line(0): invalid syntax, continuing...\n';
			out.exit = 1;
			continue;
		}
		const key = (eq < 0 ? raw : raw.slice(0, eq)).replaceAll('/', '.').trim();
		// An empty key names /proc/sys itself, which procps will not take as a setting.
		if (key === '') {
			out.stderr += 'sysctl: Path is not under /proc/sys/: /proc/sys/\n';
			out.exit = 1;
			continue;
		}
		if (eq >= 0) setKey(ctx, o, out, key, raw.slice(eq + 1).trim());
		else getKey(ctx, o, out, key);
	}
	return out;
}

/** Runs sysctl. */
export const sysctl: Tool = defineTool(run);

function allKeys(ctx: Context): string[] {
	const ns = ctx.ns;
	const keys = new Set(ns.sysctl.keys());
	for (const dev of ['all', 'default', ...ns.links.map((l) => l.name.replaceAll('.', '/'))]) {
		for (const leaf of ['forwarding', 'rp_filter', 'proxy_arp', 'route_localnet', 'arp_ignore', 'accept_redirects', 'send_redirects']) keys.add(`net.ipv4.conf.${dev}.${leaf}`);
	}
	return [...keys].sort();
}

const USAGE = "\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n  -a, --all            display all variables\n  -A                   alias of -a\n  -X                   alias of -a\n      --deprecated     include deprecated parameters to listing\n      --dry-run        Print the key and values but do not write\n  -b, --binary         print value without new line\n  -e, --ignore         ignore unknown variables errors\n  -N, --names          print variable names without values\n  -n, --values         print only values of the given variable(s)\n  -p, --load[=<file>]  read values from file\n  -f                   alias of -p\n      --system         read values from all system directories\n  -r, --pattern <expression>\n                       select setting that match expression\n  -q, --quiet          do not echo variable set\n  -w, --write          enable writing a value to variable\n  -o                   does nothing\n  -x                   does nothing\n  -d                   alias of -h\n\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see sysctl(8).\n";

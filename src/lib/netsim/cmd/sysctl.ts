/** `sysctl` (procps-ng): read, write (`-w` or `KEY=VALUE`), `-n`, `-q`, `-e`, `-a`, directories. */
import { STRERROR } from '../kernel/errno.ts';
import { sysctlWrite } from '../kernel/sysctl.ts';
import type { Context, ExecResult } from '../tool/types.ts';

/** Runs sysctl. */
export function sysctl(argv: string[], ctx: Context): ExecResult {
	let names = false;
	let quiet = false;
	let ignore = false;
	let write = false;
	let all = false;
	let onlyNames = false;
	let pattern: RegExp | undefined;
	let load: string | undefined;
	const keys: string[] = [];
	const setPattern = (v: string | undefined): ExecResult | undefined => {
		if (v === undefined) return { stdout: '', stderr: `sysctl: option requires an argument -- 'r'\n${USAGE}`, exit: 1 };
		try {
			pattern = new RegExp(v);
		} catch {
			return { stdout: '', stderr: `sysctl: unable to parse pattern\n`, exit: 1 };
		}
		return undefined;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] ?? '';
		if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
			const flags = a.slice(1);
			for (let j = 0; j < flags.length; j++) {
				const c = flags[j];
				if (c === 'n') names = true;
				else if (c === 'q') quiet = true;
				else if (c === 'e') ignore = true;
				else if (c === 'w') write = true;
				else if (c === 'a' || c === 'A' || c === 'X') all = true;
				else if (c === 'N') onlyNames = true;
				else if (c === 'b' || c === 'o' || c === 'x') continue;
				else if (c === 'r') {
					const rest = flags.slice(j + 1);
					const bad = setPattern(rest !== '' ? rest : argv[++i]);
					if (bad) return bad;
					break;
				} else if (c === 'p' || c === 'f') {
					const rest = flags.slice(j + 1);
					load = rest !== '' ? rest : (argv[i + 1] !== undefined && !(argv[i + 1] ?? '').startsWith('-') ? argv[++i] : '/etc/sysctl.conf');
					break;
				} else return { stdout: '', stderr: `sysctl: invalid option -- '${c}'\n`, exit: 1 };
			}
		} else if (a === '--all') all = true;
		else if (a === '--values') names = true;
		else if (a === '--names') onlyNames = true;
		else if (a === '--quiet') quiet = true;
		else if (a === '--write') write = true;
		else if (a === '--pattern' || a.startsWith('--pattern=')) {
			const bad = setPattern(a === '--pattern' ? argv[++i] : a.slice('--pattern='.length));
			if (bad) return bad;
		} else if (a === '--load' || a.startsWith('--load=')) load = a === '--load' ? '/etc/sysctl.conf' : a.slice('--load='.length);
		else keys.push(a);
	}
	if (load !== undefined) {
		// The simulated machines have no sysctl.conf files.
		return { stdout: '', stderr: `sysctl: cannot open "${load}": No such file or directory\n`, exit: 1 };
	}
	const ns = ctx.ns;
	let stdout = '';
	let stderr = '';
	let exit = 0;
	const show = (key: string, value: string): void => {
		if (pattern && !pattern.test(key)) return;
		stdout += onlyNames ? `${key}\n` : names ? `${value}\n` : `${key} = ${value}\n`;
	};
	if (all || keys.length === 0) {
		if (!all && argv.length > 0) return { stdout: '', stderr: "sysctl: no variables specified\nTry `sysctl --help' for more information.\n", exit: 1 };
		if (!all) return { stdout: '', stderr: USAGE, exit: 1 };
		for (const k of allKeys(ctx)) show(k, ns.get(k) ?? '');
		return { stdout, stderr, exit };
	}
	for (const raw of keys) {
		const eq = raw.indexOf('=');
		if (write && eq < 0) {
			stderr += `sysctl: command line(0): invalid syntax, continuing...\n`;
			exit = 1;
			continue;
		}
		const key = (eq < 0 ? raw : raw.slice(0, eq)).replaceAll('/', '.').trim();
		const path = `/proc/sys/${key.replaceAll('.', '/')}`;
		if (eq >= 0) {
			const value = raw.slice(eq + 1).trim();
			const written = sysctlWrite(ns, key, value);
			if (!written.ok && written.errno === 'ENOENT') {
				if (!ignore) {
					stderr += `sysctl: cannot stat ${path}: No such file or directory\n`;
					exit = 1;
				}
				continue;
			}
			if (!written.ok) {
				stderr += `sysctl: setting key "${key}": ${STRERROR[written.errno]}\n`;
				exit = 1;
				continue;
			}
			if (!quiet) show(key, ns.get(key) ?? value);
			continue;
		}
		const v = key === 'kernel.hostname' ? ctx.host.hostname : ns.get(key);
		if (v === undefined) {
			const under = allKeys(ctx).filter((k) => k.startsWith(`${key}.`));
			if (under.length > 0) {
				for (const k of under) show(k, ns.get(k) ?? '');
				continue;
			}
			if (!ignore) {
				stderr += `sysctl: cannot stat ${path}: No such file or directory\n`;
				exit = 1;
			}
			continue;
		}
		show(key, v);
	}
	return { stdout, stderr, exit };
}

function allKeys(ctx: Context): string[] {
	const ns = ctx.ns;
	const keys = new Set(ns.sysctl.keys());
	for (const dev of ['all', 'default', ...ns.links.map((l) => l.name.replaceAll('.', '/'))]) {
		for (const leaf of ['forwarding', 'rp_filter', 'proxy_arp', 'route_localnet', 'arp_ignore', 'accept_redirects', 'send_redirects']) keys.add(`net.ipv4.conf.${dev}.${leaf}`);
	}
	return [...keys].sort();
}

const USAGE = "\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n  -a, --all            display all variables\n  -A                   alias of -a\n  -X                   alias of -a\n      --deprecated     include deprecated parameters to listing\n      --dry-run        Print the key and values but do not write\n  -b, --binary         print value without new line\n  -e, --ignore         ignore unknown variables errors\n  -N, --names          print variable names without values\n  -n, --values         print only values of the given variable(s)\n  -p, --load[=<file>]  read values from file\n  -f                   alias of -p\n      --system         read values from all system directories\n  -r, --pattern <expression>\n                       select setting that match expression\n  -q, --quiet          do not echo variable set\n  -w, --write          enable writing a value to variable\n  -o                   does nothing\n  -x                   does nothing\n  -d                   alias of -h\n\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see sysctl(8).\n";

/** `conntrack` (conntrack-tools 1.4.7 and 1.4.8, which word all of this alike): `-L` with filters, `-F`, `-C`. */
import { formatIpv4, parseIpv4Strict } from '../addr/ipv4.ts';
import { conntrackExpire, conntrackFlush } from '../kernel/conntrack.ts';
import type { Context, ExecResult } from '../tool/types.ts';
import { versionText } from '../profile/profile.ts';

/** The program's name and version as it starts its messages (conntrack-tools 1.4.7 or 1.4.8, by the profile). */
const version = (ctx: Context): string => `conntrack v${versionText(ctx.world.profile.conntrack)} (conntrack-tools)`;

/** Runs conntrack. */
export function conntrack(argv: string[], ctx: Context): ExecResult {
	const V = version(ctx);
	let op: string | undefined;
	let proto: number | undefined;
	const f: Record<string, number> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		const val = (): string | undefined => argv[++i];
		if (a === '-V' || a === '--version') return { stdout: `${V}\n`, stderr: '', exit: 0 };
		if (a === '-L' || a === '--dump') op = 'L';
		else if (a === '-F' || a === '--flush') op = 'F';
		else if (a === '-C' || a === '--count') op = 'C';
		else if (a === '-p' || a === '--proto') {
			const v = (val() ?? '').toLowerCase();
			const map: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };
			proto = map[v] ?? (/^\d+$/.test(v) ? Number(v) : undefined);
			if (proto === undefined) return { stdout: '', stderr: `${V}: \`${v}' unsupported protocol\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, exit: 2 };
		} else if (['-s', '--src', '--orig-src', '-d', '--dst', '--orig-dst', '-r', '--reply-src', '-q', '--reply-dst'].includes(a)) {
			const v = val() ?? '';
			const ip = parseIpv4Strict(v);
			if (ip === null) return { stdout: '', stderr: `${V}: Invalid IP address \`${v}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, exit: 2 };
			const key = a === '-s' || a === '--src' || a === '--orig-src' ? 'os' : a === '-d' || a === '--dst' || a === '--orig-dst' ? 'od' : a === '-r' || a === '--reply-src' ? 'rs' : 'rd';
			f[key] = ip;
		} else if (['--orig-port-dst', '--orig-port-src', '--dport', '--sport', '--reply-port-src', '--reply-port-dst'].includes(a)) {
			const v = val() ?? '';
			if (!/^\d+$/.test(v)) return { stdout: '', stderr: `${V}: Bad parameter \`${v}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, exit: 2 };
			f[a === '--sport' ? '--orig-port-src' : a === '--dport' ? '--orig-port-dst' : a] = Number(v);
		}
		else if (a === '-f' || a === '--family' || a === '-o' || a === '--output') val();
		else if (a === '-n' || a === '-g' || a === '-e' || a === '-z') continue;
		else return { stdout: '', stderr: `${V}: unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, exit: 2 };
	}
	const ns = ctx.ns;
	const now = ctx.world.now;
	conntrackExpire(ns);
	if (op === 'F') {
		conntrackFlush(ns);
		return { stdout: '', stderr: `${V}: connection tracking table has been emptied.\n`, exit: 0 };
	}
	if (op === 'C') return { stdout: `${ns.conntrack.length}\n`, stderr: '', exit: 0 };
	if (op !== 'L') return { stdout: '', stderr: `${V}: no command specified\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, exit: 2 };
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
	let out = '';
	for (const c of rows) {
		const ttl = Math.max(0, Math.floor((c.expires - now) / 1000));
		const name = c.proto === 1 ? 'icmp' : c.proto === 6 ? 'tcp' : c.proto === 17 ? 'udp' : 'unknown';
		const tuple = (t: typeof c.orig, echoType: number): string =>
			c.proto === 1 ? `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)} type=${echoType} code=0 id=${t.sport} ` : `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)} sport=${t.sport} dport=${t.dport} `;
		out += `${name.padEnd(8)} ${c.proto} ${ttl} `;
		if (c.state) out += `${c.state} `;
		out += tuple(c.orig, 8);
		if (!c.replied) out += '[UNREPLIED] ';
		out += tuple(c.reply, 0);
		if (c.assured) out += '[ASSURED] ';
		out += 'mark=0 use=1\n';
	}
	return { stdout: out, stderr: `${V}: ${rows.length} flow entries have been shown.\n`, exit: 0 };
}

/**
 * net-tools' routing table listings, `route` and `netstat -r`: both read /proc/net/route and print
 * it through rprint_fib (lib/inet_gr.c) in one of three layouts. Changing routes (`route add`)
 * and netstat's other listings say to use ip and ss, which the book uses.
 */
import { formatIpv4 } from '../../addr/ipv4.ts';
import { procNetRoute } from '../../shell/proc-net.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import type { ExecResult, Tool } from '../../tool/types.ts';
import { hostNames, NETWORKS } from './hosts.ts';

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_HOST = 0x4;
const RTF_REJECT = 0x200;

const HEAD = {
	1: 'Flags Metric Ref    Use Iface',
	2: 'Flags   MSS Window  irtt Iface',
	3: 'Flags Metric Ref    Use Iface    MSS   Window irtt',
} as const;

type Layout = 1 | 2 | 3;

/** An address of /proc/net/route (little-endian hex) as a number. */
function fromHex(h: string): number {
	const n = Number.parseInt(h, 16);
	return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

/** The table, as rprint_fib prints it (`names`: resolve addresses as route does without -n). */
function fib(proc: string, ext: Layout, names: Map<string, string> | undefined): string {
	let out = `Kernel IP routing table\nDestination     Gateway         Genmask         ${HEAD[ext]}\n`;
	for (const line of proc.split('\n').slice(1)) {
		const [iface = '', dst = '', gw = '', fl = '', ref = '0', use = '0', metric = '0', mask = ''] = line.trim().split('\t');
		const flags = Number.parseInt(fl, 16);
		if (!line.trim() || !(flags & RTF_UP)) continue;
		const d = formatIpv4(fromHex(dst));
		const g = formatIpv4(fromHex(gw));
		const net = !names ? d : d === '0.0.0.0' ? 'default' : ((flags & RTF_HOST ? names.get(d) : NETWORKS.get(d)) ?? d);
		const gate = names && g !== '0.0.0.0' ? (names.get(g) ?? g) : g;
		const m = formatIpv4(fromHex(mask));
		let f = flags & RTF_GATEWAY ? 'UG' : 'U';
		if (flags & RTF_REJECT) f = '!';
		if (flags & RTF_HOST) f += 'H';
		const [n15, g15] = [net.slice(0, 15).padEnd(15), gate.slice(0, 15).padEnd(15)];
		const reject = flags & RTF_REJECT;
		if (ext === 1) out += reject ? `${n15} -               ${m.padEnd(15)} ${f.padEnd(5)} ${metric.padEnd(6)} -  ${use.padStart(7)} -\n` : `${n15} ${g15} ${m.padEnd(15)} ${f.padEnd(5)} ${metric.padEnd(6)} ${ref.padEnd(2)} ${use.padStart(7)} ${iface}\n`;
		if (ext === 2) out += reject ? `${n15} -               ${m.padEnd(15)} ${f.padEnd(5)}     - -          - -\n` : `${n15} ${g15} ${m.padEnd(15)} ${f.padEnd(5)} ${'0'.padStart(5)} ${'0'.padEnd(5)} ${'0'.padStart(6)} ${iface}\n`;
		if (ext === 3) out += reject ? `${n15} -               ${m.padEnd(15)} ${f.padEnd(5)} ${metric.padEnd(6)} -  ${use.padStart(7)} -        -     -      -\n` : `${n15} ${g15} ${m.padEnd(15)} ${f.padEnd(5)} ${metric.padEnd(6)} ${ref.padEnd(2)} ${use.padStart(7)} ${iface.padEnd(8)} ${'0'.padEnd(5)} ${'0'.padEnd(6)} 0\n`;
	}
	return out;
}

/** The routing cache (gone from the kernel since 3.6): its heading only. */
function cache(ext: 1 | 2): string {
	return `Kernel IP routing cache\nSource          Destination     Gateway         ${HEAD[ext]}\n`;
}

const decline = (tool: string, instead: string): ExecResult => ({
	stdout: '',
	stderr: `${tool}: not available in this simulator (${instead}; for ${tool} itself, run the chapter's script on a real Linux machine)\n`,
	exit: 1,
});

/** Options of a listing: -n, -e (counted), -v, -F, -C, the IPv4 family; anything else is not for this simulator. */
function listing(argv: readonly string[], letters: string): { numeric: boolean; ext: number; cache: boolean } | undefined {
	let numeric = false;
	let ext = 0;
	let cached = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '-A' && argv[i + 1] === 'inet') i++;
		else if (a === '--inet' || a === '-4' || a === '--numeric' || a === '--verbose' || a === '--fib') numeric ||= a === '--numeric';
		else if (a === '--extend') ext++;
		else if (a === '--cache') cached = true;
		else if (new RegExp(`^-[${letters}]+$`).test(a)) {
			for (const c of a.slice(1)) {
				if (c === 'n') numeric = true;
				else if (c === 'e') ext++;
				else if (c === 'C') cached = true;
			}
		} else return undefined;
	}
	return { numeric, ext, cache: cached };
}

/** `route [-n] [-e…] [-C]`: the IPv4 routing table; `route add/del` says to use ip route. */
export function routeTool(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const o = listing(argv, 'nevFC4');
		if (!o || (o.cache && o.ext > 1)) return decline('route', 'it lists the IPv4 table: route -n; change routes with ip route add, ip route del');
		const ext = Math.min(o.ext + 1, 3) as Layout;
		if (o.cache) return { stdout: cache(ext as 1 | 2), stderr: '', exit: 0 };
		return { stdout: fib(procNetRoute(ctx.ns), ext, o.numeric ? undefined : hostNames(vfsOf(ctx), ctx)), stderr: '', exit: 0 };
	};
}

/** `netstat -r [-n] [-e…]`: the same table (its own default layout); other listings say what to use. */
export function netstatTool(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		const o = listing(argv.filter((a) => a !== '-r' && a !== '--route').map((a) => (/^-[nevrC]+$/.test(a) ? a.replace(/r/g, '') : a)).filter((a) => a !== '-'), 'nevC');
		const routes = argv.some((a) => a === '--route' || /^-[nevC]*r[nevC]*$/.test(a));
		if (!o || !routes || (o.cache && o.ext === 1) || (o.cache && o.ext > 1)) {
			return decline('netstat', 'it lists the IPv4 routing table: netstat -rn; for sockets use ss -ltn, for counters ip -s link');
		}
		const ext = (o.ext === 0 ? 2 : o.ext === 1 ? 1 : 3) as Layout;
		if (o.cache) return { stdout: cache(2), stderr: '', exit: 0 };
		return { stdout: fib(procNetRoute(ctx.ns), ext, o.numeric ? undefined : hostNames(vfsOf(ctx), ctx)), stderr: '', exit: 0 };
	};
}

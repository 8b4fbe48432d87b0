/** `ping` (iputils 20221126): options, lines, statistics and exit codes, on the virtual clock. */
import { broadcastOf, formatIpv4, parseIpv4Strict } from '../../addr/ipv4.ts';
import { routeOutput, type RouteError } from '../../engine/route.ts';
import { Tracer } from '../../engine/trace.ts';
import type { Link } from '../../model/link.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import { defineTool, exitWith } from '../../tool/exit.ts';
import type { Context, ExecResult, Tool } from '../../tool/types.ts';
import { hostByAddr, hostByName, inetAton } from '../nss.ts';
import { PING6_DECLINE } from './ipv6.ts';
import { parseOptions, type PingOpts } from './options.ts';
import { sendEchoes } from './send.ts';
import { summarize } from './summary.ts';

/**
 * The destination: the name to print (getaddrinfo's canonical name for a name), its address, and
 * how replies name their sender: by a reverse lookup in /etc/hosts when the destination was a name
 * (and not -n), by the address alone when it was one.
 */
function destination(positional: string[], o: PingOpts, ctx: Context, vfsOf: VfsOf): { host: string; dst: number; nameOf: (addr: number) => string | undefined } {
	if (positional.length === 0) exitWith(1, 'ping: usage error: Destination address required\n');
	const given = positional[positional.length - 1] as string;
	let dst = parseIpv4Strict(given) ?? inetAton(given);
	if (o.v6) exitWith(2, dst !== null ? `ping: ${given}: Address family for hostname not supported\n` : 'ping: connect: Network is unreachable\n');
	// More than one destination: iputils asks for IPv4 source routing, which needs privileges the socket lacks.
	if (positional.length > 1 && dst !== null) exitWith(2, 'ping: record route: Operation not permitted\n');
	// connect() to 0.0.0.0 means this host: the kernel talks to 127.0.0.1 instead.
	if (dst === 0) dst = 0x7f000001;
	const numeric = (): undefined => undefined;
	if (dst !== null) return { host: given, dst, nameOf: numeric };
	const vfs = vfsOf(ctx);
	// getaddrinfo puts an IPv6 address of the name first (localhost's ::1, ::ffff:…): an IPv6 ping.
	if (hostByName(vfs, ctx.ns, given, 6)) exitWith(2, PING6_DECLINE);
	const found = hostByName(vfs, ctx.ns, given, 4);
	if (!found) exitWith(2, `ping: ${given}: Name or service not known\n`);
	const addr = parseIpv4Strict(found.addrs[0] as string) as number;
	const nameOf = (a: number): string | undefined => (o.numeric ? undefined : hostByAddr(vfs, ctx.ns, formatIpv4(a), 4)?.name);
	return { host: found.name, dst: addr, nameOf };
}

/** -I: a device to send from (SO_BINDTODEVICE) or an address to send from (bind). */
function binding(o: PingOpts, ctx: Context): { oif?: Link | undefined; bindAddr?: number | undefined } {
	if (o.iface === undefined) return {};
	const asAddr = parseIpv4Strict(o.iface);
	if (asAddr === null) {
		const oif = ctx.ns.link(o.iface);
		if (!oif) exitWith(2, `ping: SO_BINDTODEVICE ${o.iface}: No such device\n`);
		return { oif };
	}
	if (!ctx.ns.isLocal(asAddr)) exitWith(2, 'ping: bind: Cannot assign requested address\n');
	return { bindAddr: asAddr };
}

/** connect() found no route: nothing is sent, and the walk says so. */
function noRoute(argv: string[], ctx: Context, dst: number, err: RouteError, stderr: string): ExecResult {
	const { world, ns } = ctx;
	const msg = err === 'ENETUNREACH' ? 'Network is unreachable' : err === 'EHOSTUNREACH' ? 'No route to host' : err === 'EACCES' ? 'Permission denied' : 'Invalid argument';
	const tr = new Tracer(world, world.infra ?? { internet: new Set() });
	const target = formatIpv4(dst);
	tr.add({ kind: 'send', at: tr.place(ns), text: `ping asks ${tr.who(ns)}’s kernel for a route to ${target} before sending anything.` });
	tr.add({ kind: 'route', at: tr.place(ns), text: `Route lookup for ${target}: no route matches (${ns.lo.adminUp ? 'no connected or default route covers it' : 'lo is down too'}).`, route: { table: 'main' } });
	tr.add({ kind: 'drop', at: tr.place(ns), reason: 'no-route', text: `ping: connect: ${msg}. The packet is never sent.` });
	tr.dropped = true;
	// Nothing left: the summary must not speak of a packet dropped on its way.
	const trace = { ...tr.result(`ping ${argv.join(' ')}`, ctx.host.name, dst), summary: `No echo request was sent: connect() failed (${msg}) before ping built one.` };
	return { stdout: '', stderr: `${stderr}ping: connect: ${msg}\n`, exit: 2, trace };
}

function run(argv: string[], ctx: Context, vfsOf: VfsOf): ExecResult {
	const { o, positional, warnings } = parseOptions(argv);
	let stderr = warnings;
	const { host, dst, nameOf } = destination(positional, o, ctx, vfsOf);
	const ns = ctx.ns;
	const { oif, bindAddr } = binding(o, ctx);
	// Broadcast check, as iputils does through SO_BROADCAST and the route type.
	const isBroadcast = dst === 0xffffffff || ns.v4().some((a) => a.prefixlen < 31 && broadcastOf(a.local as number, a.prefixlen) === dst);
	const rt = routeOutput(ns, dst, oif, bindAddr);
	if (typeof rt === 'string') return noRoute(argv, ctx, dst, rt, stderr);
	if (isBroadcast && !o.broadcast) exitWith(2, 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n');
	if (isBroadcast) stderr += 'WARNING: pinging broadcast address\n';
	const dstText = formatIpv4(dst);
	let out = o.pattern !== undefined ? `PATTERN: 0x${o.pattern.toLowerCase()}\n` : '';
	out += oif || bindAddr !== undefined ? `PING ${host} (${dstText}) from ${formatIpv4(rt.src)} ${oif?.name ?? ''}: ${o.size}(${o.size + 28}) bytes of data.\n` : `PING ${host} (${dstText}) ${o.size}(${o.size + 28}) bytes of data.\n`;
	if (o.size > 65507) exitWith(1, `${stderr}ping: invalid argument: '${o.size}': out of range: 0 <= value <= 65507\n`);
	const sent = sendEchoes(ctx, o, { dst, src: rt.src, oif });
	const { text, rx } = summarize(sent, o, host, nameOf);
	out += text;
	const exit = rx === 0 || (o.deadline !== undefined && o.count !== undefined && rx < o.count) ? 1 : 0;
	const trace = sent.tracer?.result(`ping ${argv.join(' ')}`, ctx.host.name, dst);
	// At a reader's prompt a ping with no end is stopped as Ctrl-C would stop it: the terminal
	// echoes ^C where the blank line before the statistics would be, and the simulator says so.
	if (ctx.interactive && o.count === undefined && o.deadline === undefined) {
		return {
			stdout: out.replace(/\n--- (?![\s\S]*\n--- )/, '^C\n--- '),
			stderr: stderr + sent.localErrors,
			exit,
			trace,
			note: `Without -c, ping runs until Ctrl-C: the simulator stopped it after ${sent.sendTimes.length} packets, as Ctrl-C would. Add -c N to send N.`,
		};
	}
	return { stdout: out, stderr: stderr + sent.localErrors, exit, trace };
}

/** ping, for a host file system accessor (names resolve through /etc/hosts). */
export function pingTool(vfsOf: VfsOf): Tool {
	return defineTool((argv, ctx) => run(argv, ctx, vfsOf));
}

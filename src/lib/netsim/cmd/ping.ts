/** `ping` (iputils 20221126): options, output, statistics and exit codes, on the virtual clock. */
import { formatIpv4, parseIpv4Strict, broadcastOf } from '../addr/ipv4.ts';
import { routeOutput } from '../engine/route.ts';
import type { SocketEvent } from '../engine/stack.ts';
import { Tracer } from '../engine/trace.ts';
import { WALL_START } from '../model/world.ts';
import type { Context, ExecResult } from '../tool/types.ts';

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

/** Longest virtual run of one ping, and most packets it sends (never hang on `-c 1e12 -i 0`). */
const MAX_RUN_MS = 30_000;
const MAX_PACKETS = 1000;

const WITH_ARG = new Set(['c', 'i', 'I', 'W', 'w', 's', 't', 'l', 'p', 'Q', 'S', 'm', 'M', 'e', 'F', 'N', 'T']);
const FLAGS = new Set(['4', '6', 'a', 'A', 'b', 'B', 'C', 'd', 'D', 'f', 'L', 'n', 'O', 'q', 'R', 'U', 'v', 'V', 'h', 'r']);

interface PingOpts {
	count?: number | undefined;
	interval: number;
	iface?: string | undefined;
	timeout?: number | undefined;
	deadline?: number | undefined;
	size: number;
	ttl?: number | undefined;
	quiet: boolean;
	broadcast: boolean;
	pmtu?: string | undefined;
	timestamps: boolean;
	pattern?: string | undefined;
	v6: boolean;
}

/** inet_aton: a, a.b, a.b.c or a.b.c.d, each part decimal, octal (0…) or hex (0x…). */
function inetAton(text: string): number | null {
	const parts = text.split('.');
	if (parts.length > 4) return null;
	const nums: number[] = [];
	for (const p of parts) {
		let v: number;
		if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = p.length > 2 ? parseInt(p.slice(2), 16) : 0;
		else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
		else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
		else return null;
		nums.push(v);
	}
	const last = nums.pop() as number;
	if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return null;
	let v = 0;
	nums.forEach((n, i) => {
		v += n * 2 ** (8 * (3 - i));
	});
	return (v + last) >>> 0;
}

function bad(msg: string, exit = 1): ExecResult {
	return { stdout: '', stderr: msg, exit };
}

function num(text: string, min: number, max: number, float: boolean): number | string {
	const ok = float ? /^\s*[0-9]*\.?[0-9]+\s*$/.test(text) : /^\s*-?[0-9]+$/.test(text);
	if (!ok) return `ping: invalid argument: '${text}'\n`;
	const v = Number(text);
	if (v < min || v > max) return `ping: invalid argument: '${text}': out of range: ${min} <= value <= ${max === Number.MAX_SAFE_INTEGER ? '9223372036854775807' : max}\n`;
	return v;
}

/** Formats an rtt in ms the way iputils does for small values. */
function ms(us: number): string {
	return `${Math.floor(us / 1000)}.${String(Math.floor(us % 1000)).padStart(3, '0')}`;
}

/** `%g` of a loss percentage. */
function pct(v: number): string {
	return String(Number(v.toPrecision(6)));
}

/** Runs ping. */
export function ping(argv: string[], ctx: Context): ExecResult {
	const o: PingOpts = { interval: 1, size: 56, quiet: false, broadcast: false, timestamps: false, v6: false };
	let stderr = '';
	const positional: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (!arg.startsWith('-') || arg === '-' || arg === '--') {
			if (arg !== '--') positional.push(arg);
			else positional.push(...argv.slice(i + 1));
			if (arg === '--') break;
			continue;
		}
		for (let j = 1; j < arg.length; j++) {
			const c = arg[j] as string;
			if (WITH_ARG.has(c)) {
				let v = arg.slice(j + 1);
				if (v === '') {
					const next = argv[++i];
					if (next === undefined) return bad(`ping: option requires an argument -- '${c}'\n${USAGE}`, 2);
					v = next;
				}
				if (c === 'c') {
					const n = num(v, 1, Number.MAX_SAFE_INTEGER, false);
					if (typeof n === 'string') return bad(n);
					o.count = n;
				} else if (c === 'i') {
					const n = num(v, 0, 2147483, true);
					if (typeof n === 'string') return bad(`ping: bad timing interval: ${v}\n`, 2);
					o.interval = n;
				} else if (c === 'W') {
					const n = Number(v);
					if (!/^[0-9]*\.?[0-9]+$/.test(v)) {
						stderr += `ping: option argument contains garbage: ${v}\nping: this will become fatal error in the future\n`;
						const lead = parseFloat(v);
						if (!Number.isNaN(lead)) o.timeout = lead;
					} else o.timeout = n;
				} else if (c === 'w') {
					const n = num(v, 0, 2147483647, true);
					if (typeof n === 'string') return bad(n);
					o.deadline = n;
				} else if (c === 's') {
					const n = num(v, 0, 2147483647, false);
					if (typeof n === 'string') return bad(n);
					o.size = n;
				} else if (c === 't') {
					const n = num(v, 0, 255, false);
					if (typeof n === 'string') return bad(n);
					if (n === 0) return bad('ping: cannot set unicast time-to-live: Invalid argument\n', 2);
					o.ttl = n;
				} else if (c === 'p') {
					if (!/^[0-9a-fA-F]+$/.test(v)) return bad(`ping: patterns must be specified as hex digits: ${v}\n`, 2);
					o.pattern = v.slice(0, 32);
				} else if (c === 'I') o.iface = v;
				else if (c === 'M') {
					if (!['do', 'dont', 'want', 'probe'].includes(v)) return bad(`ping: invalid -M argument: ${v}\n`, 2);
					o.pmtu = v;
				}
				break;
			}
			if (!FLAGS.has(c)) return bad(`ping: invalid option -- '${c}'\n${USAGE}`, 2);
			if (c === 'q') o.quiet = true;
			else if (c === 'b') o.broadcast = true;
			else if (c === 'V') return { stdout: 'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n', stderr: '', exit: 0 };
			else if (c === 'D') o.timestamps = true;
			else if (c === 'h') return bad(USAGE.slice(1), 2);
			else if (c === '6') o.v6 = true;
		}
	}
	if (positional.length === 0) return bad('ping: usage error: Destination address required\n', 1);
	const host = positional[positional.length - 1] as string;
	let dst = parseIpv4Strict(host) ?? inetAton(host);
	if (o.v6) return bad(dst !== null ? `ping: ${host}: Address family for hostname not supported\n` : 'ping: connect: Network is unreachable\n', 2);
	// More than one destination: iputils asks for IPv4 source routing, which needs privileges the socket lacks.
	if (positional.length > 1 && dst !== null) return bad('ping: record route: Operation not permitted\n', 2);
	let label = '';
	if (dst === null && host === 'localhost') dst = 0x7f000001;
	// /etc/hosts of a lab machine names it 127.0.1.1.
	if (dst === null && host === ctx.host.name) {
		dst = 0x7f000101;
		label = host;
	}
	// connect() to 0.0.0.0 means this host: the kernel talks to 127.0.0.1 instead.
	if (dst === 0) dst = 0x7f000001;
	if (dst === null) return bad(`ping: ${host}: Name or service not known\n`, 2);
	const ns = ctx.ns;
	const world = ctx.world;
	let oif;
	let bindAddr: number | undefined;
	if (o.iface !== undefined) {
		const asAddr = parseIpv4Strict(o.iface);
		if (asAddr === null) {
			oif = ns.link(o.iface);
			if (!oif) return bad(`ping: SO_BINDTODEVICE ${o.iface}: No such device\n`, 2);
		} else if (!ns.isLocal(asAddr)) return bad(`ping: bind: Cannot assign requested address\n`, 2);
		else bindAddr = asAddr;
	}
	// Broadcast check, as iputils does through SO_BROADCAST and the route type.
	const isBroadcast = dst === 0xffffffff || ns.v4().some((a) => a.prefixlen < 31 && broadcastOf(a.local as number, a.prefixlen) === dst);
	const rt = routeOutput(ns, dst, oif, bindAddr);
	if (typeof rt === 'string') {
		const msg = rt === 'ENETUNREACH' ? 'Network is unreachable' : rt === 'EHOSTUNREACH' ? 'No route to host' : rt === 'EACCES' ? 'Permission denied' : 'Invalid argument';
		// The walk of a packet that never leaves: no route.
		const tr = new Tracer(world, world.infra ?? { internet: new Set() });
		const target = formatIpv4(dst);
		tr.add({ kind: 'send', at: tr.place(ns), text: `ping asks ${tr.who(ns)}’s kernel for a route to ${target} before sending anything.` });
		tr.add({ kind: 'route', at: tr.place(ns), text: `Route lookup for ${target}: no route matches (${ns.lo.adminUp ? 'no connected or default route covers it' : 'lo is down too'}).`, route: { table: 'main' } });
		tr.add({ kind: 'drop', at: tr.place(ns), reason: 'no-route', text: `ping: connect: ${msg}. The packet is never sent.` });
		tr.dropped = true;
		// Nothing left: the summary must not speak of a packet dropped on its way.
		const trace = { ...tr.result(`ping ${argv.join(' ')}`, ctx.host.name, dst), summary: `No echo request was sent: connect() failed (${msg}) before ping built one.` };
		return { ...bad(`${stderr}ping: connect: ${msg}\n`, 2), trace };
	}
	if (isBroadcast && !o.broadcast) return bad('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n', 2);
	if (isBroadcast) stderr += 'WARNING: pinging broadcast address\n';
	const src = rt.src;
	const dstText = formatIpv4(dst);
	let out = o.pattern !== undefined ? `PATTERN: 0x${o.pattern.toLowerCase()}\n` : '';
	out += oif || bindAddr !== undefined ? `PING ${host} (${dstText}) from ${formatIpv4(src)} ${oif?.name ?? ''}: ${o.size}(${o.size + 28}) bytes of data.\n` : `PING ${host} (${dstText}) ${o.size}(${o.size + 28}) bytes of data.\n`;
	if (o.size > 65507) return { stdout: '', stderr: `${stderr}ping: invalid argument: '${o.size}': out of range: 0 <= value <= 65507\n`, exit: 1 };

	const id = (world.rng.next() % 65000) + 100;
	const sock = ctx.stack.open(ns, id);
	const start = world.now;
	// Without -c, a ping runs until interrupted; the simulator stops it after 4 (as if Ctrl-C).
	const count = o.count ?? (o.deadline !== undefined ? Math.max(1, Math.ceil(o.deadline / Math.max(o.interval, 0.001))) : 4);
	const intervalMs = Math.max(o.interval * 1000, 0.002);
	// The kernel engine stops a command after 30 s; the simulator caps a ping the same way.
	const deadlineAt = Math.min(o.deadline !== undefined ? start + o.deadline * 1000 : Infinity, start + MAX_RUN_MS);
	const sendTimes: number[] = [];
	let localErrors = '';
	let tracer: Tracer | undefined;
	for (let k = 0; k < Math.min(count, MAX_PACKETS); k++) {
		const t = start + k * intervalMs;
		if (t >= deadlineAt && k > 0) break;
		world.advance(t);
		sendTimes.push(t);
		const ttl = o.ttl ?? (Number(ns.get('net.ipv4.ip_default_ttl')) || 64);
		if (k === 0) {
			// Record the walk of the first echo request and its reply for the packet-walk view.
			tracer = new Tracer(world, world.infra ?? { internet: new Set() });
			tracer.add({ kind: 'send', at: tracer.place(ns), text: `ping hands an ICMP echo request for ${dstText} to ${tracer.who(ns)}’s kernel.`, packet: { what: 'icmp echo-request', src: formatIpv4(rt.src), dst: dstText, ttl } });
			ctx.stack.tracer = tracer;
		}
		const err = ctx.stack.sendLocal(ns, { src: rt.src, dst, ttl, proto: 1, len: o.size + 28, df: o.pmtu === 'do', icmp: { type: 8, code: 0, id, seq: k + 1 } }, oif);
		ctx.stack.tracer = undefined;
		if (err?.startsWith('EMSGSIZE')) {
			localErrors += `ping: local error: message too long, mtu=${err.split(':')[1]}\n`;
			sock.events.push({ kind: 'local', seq: k + 1, at: t });
		} else if (err) {
			const msg = err === 'EPERM' ? 'Operation not permitted' : err === 'ENETUNREACH' ? 'Network is unreachable' : 'No route to host';
			localErrors += `ping: sendmsg: ${msg}\n`;
		}
	}
	const sent = sendTimes.length;
	const lastSend = sendTimes[sent - 1] as number;
	const acked = (): number => new Set(sock.events.map((e) => e.seq)).size;
	// Wait for the rest: -W, else 10 s (MAXWAIT) with no answers or twice the longest rtt with some.
	const wait = o.timeout !== undefined ? o.timeout * 1000 : 10_000;
	const end = Math.min(lastSend + wait, deadlineAt);
	while (acked() < sent) {
		const next = world.nextTimer();
		if (next === undefined || next > end) break;
		world.advance(next);
	}
	const events = sock.events.filter((e) => e.at <= end);
	ctx.stack.close(sock);
	const finish = acked() >= sent ? Math.max(lastSend, ...events.map((e) => e.at)) : end;
	world.advance(Math.max(finish, world.now));

	let rx = 0;
	let errors = 0;
	let pipe = 1;
	const rtts: number[] = [];
	const seen = new Set<number>();
	for (const e of events) {
		const sentBefore = sendTimes.filter((t) => t <= e.at).length;
		pipe = Math.max(pipe, sentBefore - e.seq + 1);
		if (e.kind === 'reply') {
			if (seen.has(e.seq)) continue;
			seen.add(e.seq);
			rx++;
			const rtt = 40 + ((e.seq * 37) % 60);
			// Under 16 data bytes there is no room for the send time: no rtt.
			if (o.size >= 16) rtts.push(rtt);
			const from = label !== '' ? `${label} (${formatIpv4(e.from)})` : formatIpv4(e.from);
			const stamp = o.timestamps ? `[${(WALL_START + e.at / 1000).toFixed(6)}] ` : '';
			if (!o.quiet) out += `${stamp}${e.len - 20} bytes from ${from}: icmp_seq=${e.seq} ttl=${e.ttl}${o.size >= 16 ? ` time=${ms(rtt)} ms` : ''}\n`;
		} else if (e.kind === 'local') errors++;
		else {
			errors++;
			if (!o.quiet) out += `From ${formatIpv4(e.from)} icmp_seq=${e.seq} ${icmpText(e)}\n`;
		}
	}
	const loss = sent ? (100 * (sent - rx)) / sent : 0;
	const elapsed = Math.round(lastSend - start);
	out += `\n--- ${host} ping statistics ---\n`;
	out += `${sent} packets transmitted, ${rx} received`;
	if (errors) out += `, +${errors} errors`;
	out += `, ${pct(loss)}% packet loss, time ${elapsed}ms\n`;
	let comma = '';
	if (rtts.length > 0) {
		const min = Math.min(...rtts);
		const max = Math.max(...rtts);
		const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
		const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
		out += `rtt min/avg/max/mdev = ${ms(min)}/${ms(Math.round(avg))}/${ms(max)}/${ms(Math.round(mdev))} ms`;
		comma = ', ';
	}
	if (pipe > 1) out += `${comma}pipe ${pipe}`;
	out += '\n';
	const exit = rx === 0 || (o.deadline !== undefined && o.count !== undefined && rx < o.count) ? 1 : 0;
	const trace = tracer?.result(`ping ${argv.join(' ')}`, ctx.host.name, dst);
	// At a reader's prompt a ping with no end is stopped as Ctrl-C would stop it: the terminal
	// echoes ^C where the blank line before the statistics would be, and the simulator says so.
	if (ctx.interactive && o.count === undefined && o.deadline === undefined) {
		return {
			stdout: out.replace(/\n--- (?![\s\S]*\n--- )/, '^C\n--- '),
			stderr: stderr + localErrors,
			exit,
			trace,
			note: `Without -c, ping runs until Ctrl-C: the simulator stopped it after ${sent} packets, as Ctrl-C would. Add -c N to send N.`,
		};
	}
	return { stdout: out, stderr: stderr + localErrors, exit, trace };
}

function icmpText(e: Extract<SocketEvent, { kind: 'error' }>): string {
	if (e.type === 11) return e.code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
	if (e.type === 3) {
		switch (e.code) {
			case 0:
				return 'Destination Net Unreachable';
			case 1:
				return 'Destination Host Unreachable';
			case 2:
				return 'Destination Protocol Unreachable';
			case 3:
				return 'Destination Port Unreachable';
			case 4:
				return `Frag needed and DF set (mtu = ${e.mtu ?? 0})`;
			case 13:
				return 'Packet filtered';
			default:
				return `Dest Unreachable, Bad Code: ${e.code}`;
		}
	}
	return `Bad ICMP type: ${e.type}`;
}

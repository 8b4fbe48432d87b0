/** ping's send loop on the virtual clock: echo requests on schedule, then the wait for what is owed. */
import { formatIpv4 } from '../../addr/ipv4.ts';
import type { SocketEvent } from '../../engine/stack.ts';
import { Tracer } from '../../engine/trace.ts';
import type { Link } from '../../model/link.ts';
import type { Context } from '../../tool/types.ts';
import type { PingOpts } from './options.ts';
import { atLeast } from '../../profile/profile.ts';

/** Longest virtual run of one ping, and most packets it sends (never hang on `-c 1e12 -i 0`). */
const MAX_RUN_MS = 30_000;
const MAX_PACKETS = 1000;

/** What the run gave: when each request left, what the socket heard, and errors from sending. */
export interface Sent {
	start: number;
	sendTimes: number[];
	/** Replies and errors heard before the end of the wait. */
	events: SocketEvent[];
	localErrors: string;
	/** The walk of the first echo request and its reply. */
	tracer?: Tracer | undefined;
}

/** Where the requests go and come from. */
interface Target {
	dst: number;
	src: number;
	oif?: Link | undefined;
}

/** How many requests to send: -c, else as many as -w allows, else 4 (where Ctrl-C would stop it). */
function packetsToSend(o: PingOpts): number {
	return o.count ?? (o.deadline !== undefined ? Math.max(1, Math.ceil(o.deadline / Math.max(o.interval, 0.001))) : 4);
}

/** Sends the requests, recording the first one's walk; a request the kernel refuses at once is a local error. */
function sendLoop(ctx: Context, o: PingOpts, to: Target, id: number, deadlineAt: number, sock: { events: SocketEvent[] }): Omit<Sent, 'events'> {
	const { world, ns, stack } = ctx;
	const start = world.now;
	const intervalMs = Math.max(o.interval * 1000, 0.002);
	const sendTimes: number[] = [];
	let localErrors = '';
	let tracer: Tracer | undefined;
	const dstText = formatIpv4(to.dst);
	for (let k = 0; k < Math.min(packetsToSend(o), MAX_PACKETS); k++) {
		const t = start + k * intervalMs;
		if (t >= deadlineAt && k > 0) break;
		world.advance(t);
		sendTimes.push(t);
		const ttl = o.ttl ?? (Number(ns.get('net.ipv4.ip_default_ttl')) || 64);
		if (k === 0) {
			// Record the walk of the first echo request and its reply for the packet-walk view.
			tracer = new Tracer(world, world.infra ?? { internet: new Set() });
			tracer.add({ kind: 'send', at: tracer.place(ns), text: `ping hands an ICMP echo request for ${dstText} to ${tracer.who(ns)}’s kernel.`, packet: { what: 'icmp echo-request', src: formatIpv4(to.src), dst: dstText, ttl } });
			stack.tracer = tracer;
		}
		const err = stack.sendLocal(ns, { src: to.src, dst: to.dst, ttl, proto: 1, len: o.size + 28, df: o.pmtu === 'do', icmp: { type: 8, code: 0, id, seq: k + 1 } }, to.oif);
		stack.tracer = undefined;
		if (err?.startsWith('EMSGSIZE')) {
			// iputils 20240905 reports sendmsg's errno itself (its commit aaa3dc3); older ones read
			// the kernel's local error from the socket's error queue, which names the MTU. (With
			// several packets, the newer one may also read the queued error between sends: not modelled.)
			localErrors += atLeast(world.profile.iputils, 20240905)
				? 'ping: sendmsg: Message too long\n'
				: `ping: local error: message too long, mtu=${err.split(':')[1]}\n`;
			sock.events.push({ kind: 'local', seq: k + 1, at: t });
		} else if (err) {
			const msg = err === 'EPERM' ? 'Operation not permitted' : err === 'ENETUNREACH' ? 'Network is unreachable' : 'No route to host';
			localErrors += `ping: sendmsg: ${msg}\n`;
		}
	}
	return { start, sendTimes, localErrors, tracer };
}

/**
 * Sends the echo requests and waits for the rest: -W, else 10 s (MAXWAIT), within -w; the kernel
 * engine stops a command after 30 s, so a ping is capped the same way. The clock ends at the last
 * answer, or at the end of the wait when some are missing.
 */
export function sendEchoes(ctx: Context, o: PingOpts, to: Target): Sent {
	const { world, ns, stack } = ctx;
	const id = (world.rng.next() % 65000) + 100;
	const sock = stack.open(ns, id);
	const deadlineAt = Math.min(o.deadline !== undefined ? world.now + o.deadline * 1000 : Infinity, world.now + MAX_RUN_MS);
	const sent = sendLoop(ctx, o, to, id, deadlineAt, sock);
	const count = sent.sendTimes.length;
	const lastSend = sent.sendTimes[count - 1] as number;
	const acked = (): number => new Set(sock.events.map((e) => e.seq)).size;
	const wait = o.timeout !== undefined ? o.timeout * 1000 : 10_000;
	const end = Math.min(lastSend + wait, deadlineAt);
	while (acked() < count) {
		const next = world.nextTimer();
		if (next === undefined || next > end) break;
		world.advance(next);
	}
	const events = sock.events.filter((e) => e.at <= end);
	stack.close(sock);
	const finish = acked() >= count ? Math.max(lastSend, ...events.map((e) => e.at)) : end;
	world.advance(Math.max(finish, world.now));
	return { ...sent, events };
}

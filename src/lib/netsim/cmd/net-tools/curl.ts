/**
 * `curl` (7.88.1) over the simulated TCP: options (clusters of short ones; -s -S -f -I -i -o -m
 * --retry --retry-connrefused --local-port), one request per connection, curl's error codes.
 */
import { parseIpv4Strict } from '../../addr/ipv4.ts';
import { routeOutput } from '../../engine/route.ts';
import { segment, type TcpSocket } from '../../engine/tcp.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import { hostByName } from '../nss.ts';
import { defineTool, exitWith } from '../../tool/exit.ts';
import type { Context, ExecResult, Tool } from '../../tool/types.ts';

/** curl's short options that take a value: the rest of a cluster, or the next word. */
const CURL_VALUE = new Set(['A', 'b', 'c', 'C', 'd', 'D', 'e', 'E', 'F', 'H', 'K', 'm', 'o', 'P', 'Q', 'r', 't', 'T', 'u', 'U', 'w', 'x', 'X', 'y', 'Y', 'z']);
/** Long options curl has that the simulator does not model: they say so rather than pass for unknown. */
const CURL_NOT_MODELLED = new Set(['--verbose', '--location', '--insecure', '--header', '--request', '--data', '--write-out', '--user-agent', '--user', '--proxy', '--remote-name']);
const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** curl splits clusters of short options: `-sI` is `-s -I`, `-so FILE` is `-s -o FILE`, `-m2` is `-m 2`. */
function shortFlags(argv: string[]): string[] {
	const out: string[] = [];
	for (const a of argv) {
		if (!/^-[^-]{2,}/.test(a)) {
			out.push(a);
			continue;
		}
		for (let j = 1; j < a.length; j++) {
			out.push(`-${a[j]}`);
			if (CURL_VALUE.has(a[j]!)) {
				if (j + 1 < a.length) out.push(a.slice(j + 1));
				break;
			}
		}
	}
	return out;
}

/** What the options ask for. */
interface CurlOpts {
	silent: boolean;
	showErrors: boolean;
	/** -I: a HEAD request, its headers printed. */
	head: boolean;
	/** -i: the headers printed before the body. */
	include: boolean;
	output?: string | undefined;
	maxTime?: number | undefined;
	retries: number;
	retryRefused: boolean;
	localPort?: number | undefined;
	failHttp: boolean;
	url?: string | undefined;
}

/** Reads the options; one curl has but the simulator does not run says so, not "unknown". */
function parseCurl(argv: string[]): CurlOpts {
	const o: CurlOpts = { silent: false, showErrors: false, head: false, include: false, retries: 0, retryRefused: false, failHttp: false };
	const args = shortFlags(argv);
	for (let i = 0; i < args.length; i++) {
		const a = args[i] as string;
		const val = (): string | undefined => args[++i];
		if (a === '-s' || a === '--silent') o.silent = true;
		else if (a === '-S' || a === '--show-error') o.showErrors = true;
		else if (a === '-I' || a === '--head') o.head = true;
		else if (a === '-i' || a === '--include') o.include = true;
		else if (a === '-o' || a === '--output') o.output = val();
		else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') o.maxTime = Number(val());
		else if (a === '--retry') o.retries = Number(val()) || 0;
		else if (a === '--retry-connrefused') o.retryRefused = true;
		// `--local-port 40002` or a range `40002-40009`: curl binds the first free port of it.
		else if (a === '--local-port') o.localPort = Number((val() ?? '').split('-')[0] ?? '');
		else if (a === '-f' || a === '--fail') o.failHttp = true;
		else if (/^-[^-]$/.test(a) || CURL_NOT_MODELLED.has(a)) exitWith(2, `curl: option ${a}: not available in this simulator (it runs -s, -S, -f, -I, -i, -o, -m, --retry, --local-port)\n`);
		else if (a.startsWith('-')) exitWith(2, `curl: option ${a}: is unknown\n${TRY_HELP}`);
		else o.url = a;
	}
	return o;
}

/** curl's error: `curl: (CODE) MESSAGE` (silent with -s, unless -S), exit CODE. */
function curlError(o: CurlOpts, code: number, msg: string): ExecResult {
	return { stdout: '', stderr: !o.silent || o.showErrors ? `curl: (${code}) ${msg}\n` : '', exit: code };
}

/** Where the request goes. */
interface Url {
	hostText: string;
	dst: number;
	port: number;
	/** The port as the URL gave it (for the Host header). */
	givenPort?: string | undefined;
	path: string;
}

/**
 * The URL's parts, or curl's error for a URL it cannot use. A host name is looked up as the C
 * library does (`resolve`: /etc/hosts; curl itself answers localhost).
 */
function parseUrl(o: CurlOpts, url: string, resolve: (name: string) => number | null): Url | ExecResult {
	const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
	if (!m) return curlError(o, 3, 'URL using bad/illegal format or missing URL');
	const hostText = m[1] as string;
	const dst = hostText === 'localhost' ? 0x7f000001 : (parseIpv4Strict(hostText) ?? resolve(hostText));
	if (dst === null) return curlError(o, 6, `Could not resolve host: ${hostText}`);
	return { hostText, dst, port: m[2] ? Number(m[2]) : 80, givenPort: m[2], path: m[3] ?? '/' };
}

/** The virtual time a transfer started, and when -m (else curl's own 127 s) gives up. */
interface Clock {
	start: number;
	deadline: number;
}

/**
 * How a connection went: no route to the server, reset by it, timed out (curl's error), or a
 * response. Values, not exits: curl fails over and over in a shell's retry loop.
 */
type Outcome = { kind: 'unreachable' } | { kind: 'reset' } | { kind: 'timeout'; error: ExecResult } | { kind: 'response'; response: string };

/** One connection: SYN, then the request, then the response. */
function exchange(ctx: Context, o: CurlOpts, u: Url, clock: Clock): Outcome {
	const { ns, world, stack } = ctx;
	const rt = routeOutput(ns, u.dst);
	if (typeof rt === 'string') return { kind: 'unreachable' };
	const lport = o.localPort ?? 32768 + (world.rng.next() % 28232);
	const sock: TcpSocket = { ns, local: rt.src, lport, remote: u.dst, rport: u.port, events: [] };
	stack.tcpSockets.push(sock);
	const send = (flags: string, payload?: string): void => {
		stack.sendLocal(ns, segment(sock.local, u.dst, lport, u.port, flags, payload));
	};
	try {
		send('S');
		let first = sock.events.shift();
		// An unanswered SYN is sent again after 1 s, then 2 s, 4 s… (TCP's initial RTO, doubled each
		// time; tcp_syn_retries = 6, 127 s in all) until curl gives up: a SYN dropped before conntrack
		// confirmed its flow is a new flow again, and goes through the nat table again.
		for (let n = 0, rto = 1000, at = world.now + rto; !first && n < 6 && at < clock.deadline; n++, rto *= 2, at += rto) {
			world.advance(at);
			send('S');
			first = sock.events.shift();
		}
		if (!first) {
			world.advance(clock.deadline);
			return { kind: 'timeout', error: curlError(o, 28, o.maxTime !== undefined ? `Connection timed out after ${Math.round(world.now - clock.start)} milliseconds` : `Failed to connect to ${u.hostText} port ${u.port} after ${Math.round(world.now - clock.start)} ms: Connection timed out`) };
		}
		if (first.icmp || first.flags.includes('R') || !first.flags.includes('S')) return { kind: 'reset' };
		send('A');
		send('PA', `${o.head ? 'HEAD' : 'GET'} ${u.path} HTTP/1.1\r\nHost: ${u.hostText}${u.givenPort ? `:${u.port}` : ''}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`);
		let response = '';
		for (const e of sock.events) if (e.payload) response += e.payload;
		const closed = sock.events.some((e) => e.flags.includes('F'));
		sock.events = [];
		if (!response) {
			world.advance(clock.deadline);
			return { kind: 'timeout', error: curlError(o, 28, `Operation timed out after ${Math.round(world.now - clock.start)} milliseconds with 0 bytes received`) };
		}
		send('A');
		if (closed) send('FA');
		return { kind: 'response', response };
	} finally {
		stack.tcpSockets = stack.tcpSockets.filter((s) => s !== sock);
	}
}

/** curl URL: connects (again, with --retry-connrefused, after 1 s, 2 s…), prints or saves what came back. */
export function curlTool(vfsOf: VfsOf): Tool {
	return defineTool((argv, ctx): ExecResult => {
		const o = parseCurl(argv);
		if (!o.url) exitWith(2, `curl: no URL specified!\n${TRY_HELP}`);
		const resolve = (name: string): number | null => {
			const found = hostByName(vfsOf(ctx), ctx.ns, name, 4);
			return found ? parseIpv4Strict(found.addrs[0] as string) : null;
		};
		const u = parseUrl(o, o.url, resolve);
		if ('exit' in u) return u;
		const world = ctx.world;
		const start = world.now;
		// An enclosing timeout stops curl at its deadline, if that comes first.
		const clock: Clock = { start, deadline: Math.min(o.maxTime !== undefined ? start + o.maxTime * 1000 : start + 127_000, ctx.deadline ?? Infinity) };
		for (let attempt = 0; ; attempt++) {
			const got = exchange(ctx, o, u, clock);
			if (got.kind === 'reset' && attempt < o.retries && o.retryRefused) {
				world.advance(world.now + 1000 * 2 ** attempt);
				continue;
			}
			if (got.kind === 'timeout') return got.error;
			if (got.kind !== 'response') return curlError(o, 7, `Failed to connect to ${u.hostText} port ${u.port} after ${Math.round(world.now - start)} ms: Couldn't connect to server`);
			const response = got.response;
			const cut = response.indexOf('\r\n\r\n');
			const headers = cut < 0 ? response : response.slice(0, cut + 4);
			const body = o.head ? headers : o.include ? response : cut < 0 ? '' : response.slice(cut + 4);
			const status = Number(/^HTTP\/\S+ (\d+)/.exec(response)?.[1] ?? 200);
			if (o.failHttp && status >= 400) return curlError(o, 22, `The requested URL returned error: ${status}`);
			if (o.output === undefined) return { stdout: body, stderr: '', exit: 0 };
			vfsOf(ctx).write(o.output, body, false, ctx.ns);
			return { stdout: '', stderr: '', exit: 0 };
		}
	});
}

/** Network programs the book runs besides iproute2: `python3 -m http.server`, `curl`, `ss`. */
import { formatIpv4, parseIpv4Strict } from '../addr/ipv4.ts';
import { routeOutput } from '../engine/route.ts';
import { segment, type TcpSocket } from '../engine/tcp.ts';
import { serviceName } from '../model/services.ts';
import { padEnd, padStart } from '../print/printer.ts';
import { WALL_START } from '../model/world.ts';
import type { Vfs } from '../shell/vfs.ts';
import type { Context, ExecResult, Tool } from '../tool/types.ts';

/** A virtual-clock time as an HTTP date (`Tue, 14 Nov 2023 22:13:20 GMT`, Python's `formatdate(usegmt=True)`). */
function httpDate(ms: number): string {
	return new Date(WALL_START * 1000 + ms).toUTCString();
}

/** curl's short options that take a value: the rest of a cluster, or the next word. */
const CURL_VALUE = new Set(['A', 'b', 'c', 'C', 'd', 'D', 'e', 'E', 'F', 'H', 'K', 'm', 'o', 'P', 'Q', 'r', 't', 'T', 'u', 'U', 'w', 'x', 'X', 'y', 'Y', 'z']);
/** Long options curl has that the simulator does not model: they say so rather than pass for unknown. */
const CURL_NOT_MODELLED = new Set(['--verbose', '--location', '--insecure', '--header', '--request', '--data', '--write-out', '--user-agent', '--user', '--proxy', '--remote-name']);

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

/** Builds the tools that need the host's files. */
export function netTools(vfsOf: (ctx: Context) => Vfs): Record<string, Tool> {
	const python3: Tool = (argv, ctx) => {
		if (argv[0] !== '-m' || argv[1] !== 'http.server') {
			if (argv.length === 0 || argv[0] === '-c') return { stdout: '', stderr: '', exit: 0 };
			return { stdout: '', stderr: `python3: can't open file '/root/${argv[0]}': [Errno 2] No such file or directory\n`, exit: 2 };
		}
		let port = 8000;
		let bind: number | undefined;
		let dir = '/root';
		for (let i = 2; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a === '--bind' || a === '-b') {
				const v = parseIpv4Strict(argv[++i] ?? '');
				if (v === null) return { stdout: '', stderr: 'OSError: [Errno -2] Name or service not known\n', exit: 1 };
				bind = v;
			} else if (a === '--directory' || a === '-d') dir = argv[++i] ?? dir;
			else if (/^\d+$/.test(a)) port = Number(a);
		}
		const ns = ctx.ns;
		if (bind !== undefined && bind !== 0 && !ns.isLocal(bind)) return { stdout: '', stderr: 'OSError: [Errno 99] Cannot assign requested address\n', exit: 1 };
		if (ctx.stack.listeners.some((l) => l.ns === ns && l.port === port && (l.addr === undefined || bind === undefined || l.addr === bind))) {
			return { stdout: '', stderr: 'OSError: [Errno 98] Address already in use\n', exit: 1 };
		}
		const vfs = vfsOf(ctx);
		const pid = ctx.pid ?? 0;
		ctx.stack.listeners.push({
			ns,
			port,
			addr: bind || undefined,
			pid,
			// http.server's headers, as Python 3.11 sends them: send_response adds Server and Date.
			respond: (path, method) => {
				const clean = decodeURIComponent(path.split('?')[0] ?? '/');
				let file = `${dir}/${clean}`;
				if (vfs.isDir(file)) file = `${file}/index.html`;
				const read = vfs.readFile(file, ns);
				const head = `Server: SimpleHTTP/0.6 Python/3.11.2\r\nDate: ${httpDate(ctx.world.now)}\r\n`;
				const send = (text: string) => (method === 'HEAD' ? '' : text);
				if (!read.ok) {
					const page = `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n`;
					return `HTTP/1.0 404 File not found\r\n${head}Connection: close\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: ${page.length}\r\n\r\n${send(page)}`;
				}
				const body = read.value;
				return `HTTP/1.0 200 OK\r\n${head}Content-type: text/html\r\nContent-Length: ${body.length}\r\nLast-Modified: ${httpDate(vfs.mtime(file))}\r\n\r\n${send(body)}`;
			},
		});
		const banner = `Serving HTTP on ${bind ? formatIpv4(bind) : '0.0.0.0'} port ${port} (http://${bind ? formatIpv4(bind) : '0.0.0.0'}:${port}/) ...\n`;
		return { stdout: banner, stderr: '', exit: 0 };
	};

	const curl: Tool = (argv, ctx) => {
		let silent = false;
		let showErrors = false;
		/** -I: a HEAD request, its headers printed; -i: the headers printed before the body. */
		let head = false;
		let include = false;
		let output: string | undefined;
		let maxTime: number | undefined;
		let retries = 0;
		let retryRefused = false;
		let localPort: number | undefined;
		let failHttp = false;
		let url: string | undefined;
		const args = shortFlags(argv);
		for (let i = 0; i < args.length; i++) {
			const a = args[i] as string;
			const val = (): string | undefined => args[++i];
			if (a === '-s' || a === '--silent') silent = true;
			else if (a === '-S' || a === '--show-error') showErrors = true;
			else if (a === '-I' || a === '--head') head = true;
			else if (a === '-i' || a === '--include') include = true;
			else if (a === '-o' || a === '--output') output = val();
			else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') maxTime = Number(val());
			else if (a === '--retry') retries = Number(val()) || 0;
			else if (a === '--retry-connrefused') retryRefused = true;
			// `--local-port 40002` or a range `40002-40009`: curl binds the first free port of it.
			else if (a === '--local-port') localPort = Number((val() ?? '').split('-')[0] ?? '');
			else if (a === '-f' || a === '--fail') failHttp = true;
			// curl knows nearly every letter: one the simulator does not run says so, not "unknown".
			else if (/^-[^-]$/.test(a) || CURL_NOT_MODELLED.has(a)) return { stdout: '', stderr: `curl: option ${a}: not available in this simulator (it runs -s, -S, -f, -I, -i, -o, -m, --retry, --local-port)\n`, exit: 2 };
			else if (a.startsWith('-')) return { stdout: '', stderr: `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, exit: 2 };
			else url = a;
		}
		if (!url) return { stdout: '', stderr: "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n", exit: 2 };
		const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
		const fail = (code: number, msg: string): ExecResult => ({ stdout: '', stderr: !silent || showErrors ? `curl: (${code}) ${msg}\n` : '', exit: code });
		if (!m) return fail(3, 'URL using bad/illegal format or missing URL');
		const hostText = m[1] as string;
		const dst = hostText === 'localhost' ? 0x7f000001 : parseIpv4Strict(hostText);
		if (dst === null) return fail(6, `Could not resolve host: ${hostText}`);
		const port = m[2] ? Number(m[2]) : 80;
		const path = m[3] ?? '/';
		const ns = ctx.ns;
		const world = ctx.world;
		const stack = ctx.stack;
		const start = world.now;
		const deadline = maxTime !== undefined ? start + maxTime * 1000 : start + 127_000;
		const refused = (): ExecResult => fail(7, `Failed to connect to ${hostText} port ${port} after ${Math.round(world.now - start)} ms: Couldn't connect to server`);
		for (let attempt = 0; ; attempt++) {
			const rt = routeOutput(ns, dst);
			if (typeof rt === 'string') return refused();
			const lport = localPort ?? 32768 + (world.rng.next() % 28232);
			const sock: TcpSocket = { ns, local: rt.src, lport, remote: dst, rport: port, events: [] };
			stack.tcpSockets.push(sock);
			const send = (flags: string, payload?: string): void => {
				stack.sendLocal(ns, segment(sock.local, dst, lport, port, flags, payload));
			};
			try {
				send('S');
				const first = sock.events.shift();
				if (!first) {
					world.advance(deadline);
					return fail(28, maxTime !== undefined ? `Connection timed out after ${Math.round(world.now - start)} milliseconds` : `Failed to connect to ${hostText} port ${port} after ${Math.round(world.now - start)} ms: Connection timed out`);
				}
				if (first.icmp || first.flags.includes('R') || !first.flags.includes('S')) {
					if (attempt < retries && retryRefused) {
						world.advance(world.now + 1000 * 2 ** attempt);
						continue;
					}
					return refused();
				}
				send('A');
				send('PA', `${head ? 'HEAD' : 'GET'} ${path} HTTP/1.1\r\nHost: ${hostText}${m[2] ? `:${port}` : ''}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`);
				let response = '';
				for (const e of sock.events) if (e.payload) response += e.payload;
				const closed = sock.events.some((e) => e.flags.includes('F'));
				sock.events = [];
				if (!response) {
					world.advance(deadline);
					return fail(28, `Operation timed out after ${Math.round(world.now - start)} milliseconds with 0 bytes received`);
				}
				send('A');
				if (closed) send('FA');
				const cut = response.indexOf('\r\n\r\n');
				const headers = cut < 0 ? response : response.slice(0, cut + 4);
				const body = head ? headers : include ? response : cut < 0 ? '' : response.slice(cut + 4);
				const status = Number(/^HTTP\/\S+ (\d+)/.exec(response)?.[1] ?? 200);
				if (failHttp && status >= 400) return fail(22, `The requested URL returned error: ${status}`);
				if (output !== undefined) {
					vfsOf(ctx).write(output, body, false, ns);
					return { stdout: '', stderr: '', exit: 0 };
				}
				return { stdout: body, stderr: '', exit: 0 };
			} finally {
				stack.tcpSockets = stack.tcpSockets.filter((s) => s !== sock);
			}
		}
	};

	const ss: Tool = (argv, ctx) => {
		const flags = argv.filter((a) => a.startsWith('-')).join('');
		const numeric = flags.includes('n');
		const rows = ctx.stack.listeners.filter((l) => l.ns === ctx.ns);
		if (!flags.includes('l')) rows.length = 0;
		const local = rows.map((l) => [l.addr ? formatIpv4(l.addr) : '0.0.0.0', numeric ? String(l.port) : serviceName('tcp', l.port) ?? String(l.port)] as const);
		const aw = Math.max(13, ...local.map((x) => x[0].length));
		const pw = Math.max(4, ...local.map((x) => x[1].length));
		const sw = rows.length ? 6 : 5;
		let out = `${padEnd('State', sw)} ${padEnd('Recv-Q', 6)} ${padEnd('Send-Q', 6)} ${padStart('Local Address', aw)}:${padEnd('Port', pw)} ${padStart('Peer Address', 12)}:${padEnd('Port', 4)}Process\n`;
		for (const [addr, port] of local) out += `${padEnd('LISTEN', 6)} ${padEnd('0', 6)} ${padEnd('5', 6)} ${padStart(addr, aw)}:${padEnd(port, pw)} ${padStart('0.0.0.0', 12)}:${padEnd('*', 4)}${padEnd('', 7)}\n`;
		return { stdout: out, stderr: '', exit: 0 };
	};

	const kill: Tool = (argv, ctx) => {
		const pids = argv.filter((a) => !a.startsWith('-'));
		if (pids.length === 0) return { stdout: '', stderr: 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n', exit: 2 };
		let stderr = '';
		let exit = 0;
		for (const p of pids) {
			const n = Number(p);
			const hit = ctx.stack.listeners.filter((l) => l.pid === n && /^\d+$/.test(p));
			if (hit.length === 0) {
				const where = ctx.where ?? 'bash: line 1: ';
				stderr += /^\d+$/.test(p) ? `${where}kill: (${p}) - No such process\n` : `${where}kill: ${p}: arguments must be process or job IDs\n`;
				exit = 1;
				continue;
			}
			ctx.stack.listeners = ctx.stack.listeners.filter((l) => !hit.includes(l));
		}
		return { stdout: '', stderr, exit };
	};

	return { python3, python: python3, curl, ss, kill };
}

/** `python3 -m http.server [PORT] [--bind ADDR] [--directory DIR]`: a listener that serves the host's files. */
import { formatIpv4, parseIpv4Strict } from '../../addr/ipv4.ts';
import { versionText } from '../../profile/profile.ts';
import { WALL_START } from '../../model/world.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';

/** A virtual-clock time as an HTTP date (`Tue, 14 Nov 2023 22:13:20 GMT`, Python's `formatdate(usegmt=True)`). */
function httpDate(ms: number): string {
	return new Date(WALL_START * 1000 + ms).toUTCString();
}

/** http.server's 404 page (Python 3.11). */
const NOT_FOUND = `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n`;

/** python3: only `-m http.server` runs (a script or `-c` does nothing, or says the file is not there). */
export function httpServer(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
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
			// http.server's headers: send_response adds Server (naming Python's version) and Date.
			respond: (path, method) => {
				const clean = decodeURIComponent(path.split('?')[0] ?? '/');
				let file = `${dir}/${clean}`;
				if (vfs.isDir(file)) file = `${file}/index.html`;
				const read = vfs.readFile(file, ns);
				const head = `Server: SimpleHTTP/0.6 Python/${versionText(ctx.world.profile.python)}\r\nDate: ${httpDate(ctx.world.now)}\r\n`;
				const send = (text: string) => (method === 'HEAD' ? '' : text);
				if (!read.ok) {
					return `HTTP/1.0 404 File not found\r\n${head}Connection: close\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: ${NOT_FOUND.length}\r\n\r\n${send(NOT_FOUND)}`;
				}
				const body = read.value;
				return `HTTP/1.0 200 OK\r\n${head}Content-type: text/html\r\nContent-Length: ${body.length}\r\nLast-Modified: ${httpDate(vfs.mtime(file))}\r\n\r\n${send(body)}`;
			},
		});
		const banner = `Serving HTTP on ${bind ? formatIpv4(bind) : '0.0.0.0'} port ${port} (http://${bind ? formatIpv4(bind) : '0.0.0.0'}:${port}/) ...\n`;
		return { stdout: banner, stderr: '', exit: 0 };
	};
}

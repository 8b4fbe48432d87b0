import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { headersFor, parseHeadersFile } from '../../src/lib/fullshell/headers.ts';
import { CONTENT_TYPES } from '../../src/lib/fullshell/static-host.ts';


/** A running static server over a built site. */
export interface StaticServer {
	/** Base address, e.g. http://127.0.0.1:41234 (no trailing slash). */
	url: string;
	/**
	 * Sends the next response for the page at `path` (e.g. `/01-x/`) as a slow connection would: up
	 * to its `<body>` tag in one piece (nothing is painted before it), then `bytes` at a time, each
	 * further piece only once `between()` has resolved. A rejected `between()` ends the response.
	 */
	trickle(path: string, between: () => Promise<void>, bytes?: number): void;
	close(): Promise<void>;
}

/** Writes `body` to `res` in pieces, awaiting `between()` before every piece after the first. */
async function writeInPieces(res: ServerResponse, body: Buffer, between: () => Promise<void>, bytes: number): Promise<void> {
	const bodyTag = body.indexOf('<body');
	let at = bodyTag < 0 ? 0 : body.indexOf('>', bodyTag) + 1;
	let gone = false;
	res.on('close', () => void (gone = true));
	res.write(body.subarray(0, at));
	try {
		for (; at < body.length && !gone; at += bytes) {
			await between();
			res.write(body.subarray(at, at + bytes));
		}
		res.end();
	} catch {
		res.destroy();
	}
}

/**
 * Serves `dir` on 127.0.0.1 (a free port): `/x/` → `/x/index.html`, 404 page for the rest; with the
 * headers the site's `_headers` file gives each path, as Netlify or Cloudflare Pages send them
 * (the full shell's cross-origin isolation), unless `headers` is false.
 */
export async function serveStatic(dir: string, options: { headers?: boolean } = {}): Promise<StaticServer> {
	const trickles = new Map<string, { between: () => Promise<void>; bytes: number }>();
	const headersFile = join(dir, '_headers');
	const rules = options.headers !== false && existsSync(headersFile) ? parseHeadersFile(readFileSync(headersFile, 'utf8')) : [];
	const server: Server = createServer((req, res) => {
		const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
		let file = join(dir, path);
		if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
		const found = existsSync(file) && statSync(file).isFile();
		if (!found) file = join(dir, '404.html');
		const extra = found ? headersFor(rules, new URL(req.url ?? '/', 'http://x').pathname) : {};
		res.writeHead(found ? 200 : 404, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', ...extra });
		const trickle = found && extname(file) === '.html' ? trickles.get(path) : undefined;
		if (!trickle) return void createReadStream(file).pipe(res);
		trickles.delete(path);
		void writeInPieces(res, readFileSync(file), trickle.between, trickle.bytes);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		trickle: (path, between, bytes = 2048) => void trickles.set(path, { between, bytes }),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.sh': 'text/x-shellscript; charset=utf-8',
	'.xml': 'application/xml',
	'.wasm': 'application/wasm',
	'.pf_meta': 'application/octet-stream',
	'.woff2': 'font/woff2',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
};

/** A running static server over a built site. */
export interface StaticServer {
	/** Base address, e.g. http://127.0.0.1:41234 (no trailing slash). */
	url: string;
	close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 (a free port): `/x/` → `/x/index.html`, 404 page for the rest. */
export async function serveStatic(dir: string): Promise<StaticServer> {
	const server: Server = createServer((req, res) => {
		const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
		let file = join(dir, path);
		if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
		const found = existsSync(file) && statSync(file).isFile();
		if (!found) file = join(dir, '404.html');
		res.writeHead(found ? 200 : 404, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
		createReadStream(file).pipe(res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/**
 * `npm run preview`: the built site served as a static host serves it, with the headers its
 * `_headers` file gives each path (as Netlify and Cloudflare Pages read it), so that the pages with
 * "Open in a full shell" are cross-origin isolated here too. `astro preview` sends one set of
 * headers for every path (`server.headers`), which would isolate every page.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { headersFor, parseHeadersFile } from './headers.ts';

/** Content types of the files a built site has. */
export const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.woff2': 'font/woff2',
	'.wasm': 'application/wasm',
	'.zst': 'application/zstd',
	'.bin': 'application/octet-stream',
	'.xml': 'application/xml',
	'.sh': 'text/x-shellscript; charset=utf-8',
	'.conf': 'text/plain; charset=utf-8',
	'.pf_meta': 'application/octet-stream',
};

/**
 * Serves `dir` under `base` (e.g. `/`): `/x/` is `/x/index.html`, a missing file the site's 404
 * page. Resolves once it listens.
 */
export async function serveSite(dir: string, options: { host: string; port: number; base: string }): Promise<Server> {
	const headersFile = join(dir, '_headers');
	const rules = existsSync(headersFile) ? parseHeadersFile(readFileSync(headersFile, 'utf8')) : [];
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://host');
		const path = decodeURIComponent(url.pathname);
		if (!path.startsWith(options.base)) return void res.writeHead(404).end(`Not under the site's base ${options.base}\n`);
		let file = join(dir, normalize(`/${path.slice(options.base.length)}`));
		if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
		const found = existsSync(file) && statSync(file).isFile();
		if (!found) file = join(dir, '404.html');
		res.writeHead(found ? 200 : 404, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', ...(found ? headersFor(rules, path) : {}) });
		createReadStream(file).pipe(res);
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port, options.host, done);
	});
	return server;
}

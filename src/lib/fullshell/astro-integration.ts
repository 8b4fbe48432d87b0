/**
 * The Astro integration of "Open in a full shell". After a build it writes the folder's tree and
 * the isolation headers into the built site (scripts/full-shell.ts, in a process of its own: the
 * simulator's build resolves its sources from its own folder, which code bundled by Astro cannot);
 * in the dev server it writes them into a folder of its own, serves the tree from there and sends
 * the headers that `_headers` gives each request, as Netlify or Cloudflare Pages would.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { headersFor, parseHeadersFile, type HeaderRule } from './headers.ts';
import { TREE_FILE } from './layout.ts';

/** Runs scripts/full-shell.ts under the Node.js that runs Astro; resolves with what it printed. */
function emit(root: string, args: string[]): Promise<string> {
	return new Promise((done, fail) => {
		execFile(process.execPath, ['--import', 'tsx', join(root, 'scripts/full-shell.ts'), ...args], { cwd: root }, (error, stdout, stderr) => {
			if (error) fail(new Error(`full shell: scripts/full-shell.ts failed (exit ${error.code ?? error.signal}):\n${stderr || error.message}`));
			else done(stdout.trim());
		});
	});
}

/**
 * @param options.root the repository root (where scripts/ and examples/ are)
 * @param options.book the book's folder, with `chapters/` (the site's, or a test fixture's)
 * @param options.base the site's base path, with a slash at each end
 */
export function fullShell(options: { root: string; book: string; base: string }): AstroIntegration {
	const root = resolve(options.root);
	const book = resolve(root, options.book);
	return {
		name: 'netbook:full-shell',
		hooks: {
			'astro:build:done': async ({ dir, logger }) => {
				logger.info(await emit(root, ['--out', fileURLToPath(dir), '--book', book, '--check-html']));
			},
			'astro:server:setup': ({ server, logger }) => {
				const out = join(root, 'node_modules/.netbook/full-shell-dev');
				rmSync(out, { recursive: true, force: true });
				let rules: HeaderRule[] = [];
				const ready = emit(root, ['--out', out, '--book', book]).then(
					(said) => {
						logger.info(said);
						const file = join(out, '_headers');
						rules = existsSync(file) ? parseHeadersFile(readFileSync(file, 'utf8')) : [];
						return true;
					},
					(e: Error) => {
						logger.error(e.message);
						return false;
					},
				);
				server.middlewares.use((req, res, next) => {
					const path = new URL(req.url ?? '/', 'http://dev').pathname;
					void ready.then((ok) => {
						if (path === `${options.base}${TREE_FILE}`) {
							if (!ok) return void res.writeHead(500).end('full shell: the tree was not built; see the dev server log');
							res.setHeader('Content-Type', 'application/json');
							return void res.end(readFileSync(join(out, TREE_FILE)));
						}
						for (const [name, value] of Object.entries(headersFor(rules, path))) res.setHeader(name, value);
						next();
					});
				});
			},
		},
	};
}

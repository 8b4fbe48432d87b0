import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BOOK, DIST, newestMtime, PREBUILT, ROOT } from './book.ts';

/** Builds the site unless its dist/ is newer than every source it is built from (or NETBOOK_DIST names a build). */
export default function setup(): void {
	if (PREBUILT) return;
	const built = join(DIST, 'index.html');
	// The full shell's tree is built from the plugin's sources and examples/full-shell too.
	const sources = [BOOK, join(ROOT, 'src'), join(ROOT, 'examples/labs'), join(ROOT, 'examples/cni-plugin/src'), join(ROOT, 'examples/full-shell'), join(ROOT, 'scripts/full-shell.ts'), join(ROOT, 'astro.config.mjs'), join(ROOT, 'ec.config.mjs')];
	if (existsSync(built) && statSync(built).mtimeMs > newestMtime(sources)) return;
	const started = Date.now();
	// Vitest exports import.meta.env-like variables (DEV, MODE, NODE_ENV=test…) into process.env;
	// an Astro build that inherits them renders in dev mode (no search), so drop them.
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([k]) => !/^(DEV|PROD|SSR|MODE|BASE_URL|TEST|NODE_ENV|VITEST.*)$/.test(k)),
	);
	execFileSync(join(ROOT, 'node_modules/.bin/astro'), ['build'], { cwd: ROOT, stdio: 'inherit', env });
	console.log(`[e2e] built ${DIST} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

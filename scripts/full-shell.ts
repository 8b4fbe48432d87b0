// npm run -s full-shell [-- --out DIR] [--book DIR] [--check-html]
// Writes what "Open in a full shell" needs into a built site (default dist/): the folder the
// WebContainer mounts, as full-shell/tree.json, and the isolation headers for the pages that embed
// the component (_headers, vercel.json, full-shell/nginx.conf). The site's build runs it (the Astro
// integration in src/lib/fullshell/astro-integration.ts, with --check-html). See docs/full-shell.md.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ROOT } from '../src/lib/book/paths.ts';
import { emitFullShell } from '../src/lib/fullshell/emit.ts';

const USAGE = 'usage: npm run -s full-shell [-- --out DIR] [--book DIR] [--check-html]   (defaults: dist, content)\n';
let values;
try {
	values = parseArgs({ options: { out: { type: 'string' }, book: { type: 'string' }, 'check-html': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }).values;
} catch (e) {
	process.stderr.write(`full-shell: ${(e as Error).message}\n${USAGE}`);
	process.exit(2);
}
if (values.help) {
	process.stdout.write(USAGE);
	process.exit(0);
}
try {
	const emitted = await emitFullShell({
		root: ROOT,
		bookDir: resolve(values.book ?? resolve(ROOT, 'content')),
		outDir: resolve(values.out ?? resolve(ROOT, 'dist')),
		checkHtml: values['check-html'] ?? false,
	});
	const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
	process.stdout.write(
		`full-shell: ${emitted.tree.file} ${kb(emitted.tree.bytes)} (${kb(emitted.tree.gzip)} gzip); isolation headers for ${emitted.pages.join(', ') || 'no page'}\n`,
	);
} catch (e) {
	process.stderr.write(`${(e as Error).message}\n`);
	process.exit(1);
}

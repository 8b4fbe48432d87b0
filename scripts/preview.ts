// npm run preview [-- --host H] [--port P]
// Serves the built site (dist/) on http://127.0.0.1:4321/ as a static host would, with the headers
// of dist/_headers on each path: the pages with "Open in a full shell" get their cross-origin
// isolation headers, the others none (docs/full-shell.md).
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/lib/book/paths.ts';
import { SITE_BASE } from '../src/lib/book/site.ts';
import { serveSite } from '../src/lib/fullshell/static-host.ts';

const USAGE = 'usage: npm run preview [-- --host HOST] [--port PORT]   (defaults: 127.0.0.1, 4321)\n';
let values;
try {
	values = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '4321' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (e) {
	process.stderr.write(`preview: ${(e as Error).message}\n${USAGE}`);
	process.exit(2);
}
if (values.help) {
	process.stdout.write(USAGE);
	process.exit(0);
}
const dist = join(ROOT, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
	process.stderr.write('preview: dist/ has no built site\n  build it first: npm run build (or npm start, which builds and serves)\n');
	process.exit(1);
}
const port = Number(values.port);
try {
	await serveSite(dist, { host: values.host, port, base: SITE_BASE });
} catch (e) {
	process.stderr.write(`preview: cannot listen on ${values.host}:${port}: ${(e as Error).message}\n  hint: another server may hold the port; pick another with --port\n`);
	process.exit(1);
}
process.stdout.write(`preview: http://${values.host}:${port}${SITE_BASE} (dist/, with the headers of dist/_headers)\n`);

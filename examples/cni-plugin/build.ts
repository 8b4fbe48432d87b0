/**
 * Bundles the plugin into one executable JavaScript file for the Node.js that labs and Raspberry
 * Pis get from Debian (18 on bookworm, 20 on trixie), which cannot run TypeScript itself.
 *
 *   tsx examples/cni-plugin/build.ts [OUTFILE]     (default: examples/cni-plugin/dist/tsbridge)
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The plugin's entry point. */
export const PLUGIN_ENTRY = join(import.meta.dirname, 'src/main.ts');

/** The oldest Node.js the bundle runs on: Debian 12's. */
export const NODE_TARGET = 'node18';

/** Writes the bundle to `outfile`, executable, and returns its size in bytes. */
export async function buildPlugin(outfile: string): Promise<number> {
	const result = await build({
		entryPoints: [PLUGIN_ENTRY],
		outfile,
		bundle: true,
		platform: 'node',
		target: NODE_TARGET,
		// CommonJS: Node runs a file without the .mjs extension as CommonJS, and the plugin's
		// file has no extension, because its name is the `type` that configurations call it by.
		format: 'cjs',
		// Readable, like its sources: the reader may open the file that runs.
		minify: false,
		legalComments: 'none',
		metafile: true,
		logLevel: 'warning',
	});
	chmodSync(outfile, 0o755);
	return Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const out = process.argv[2] ?? join(import.meta.dirname, 'dist/tsbridge');
	const bytes = await buildPlugin(out);
	process.stdout.write(`${out}: ${bytes} bytes\n`);
}

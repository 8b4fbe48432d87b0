/**
 * Bundles the plugin into one executable JavaScript file for the Node.js that labs and Raspberry
 * Pis get from Debian (18 on bookworm, 20 on trixie), which cannot run TypeScript itself.
 *
 *   tsx examples/cni-plugin/build.ts [OUTFILE]     (default: examples/cni-plugin/dist/tsbridge)
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/** The repository this file is in (two folders up), as seen from its own place. */
const REPOSITORY = join(import.meta.dirname, '../..');

/** The plugin's entry point, from the repository's root. */
const ENTRY = 'examples/cni-plugin/src/main.ts';

/** The plugin's entry point. */
export const PLUGIN_ENTRY = join(REPOSITORY, ENTRY);

/** The oldest Node.js the bundle runs on: Debian 12's. */
export const NODE_TARGET = 'node18';

/**
 * esbuild's options for the bundle of the repository at `root`: one CommonJS file for Node 18 and
 * later. The paths esbuild writes into it (a comment before each module) are from the root, so the
 * text is the same wherever it is built from.
 */
const options = (root: string) => ({
	entryPoints: [join(root, ENTRY)],
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	target: NODE_TARGET,
	// CommonJS: Node runs a file without the .mjs extension as CommonJS, and the plugin's
	// file has no extension, because its name is the `type` that configurations call it by.
	format: 'cjs',
	// Readable, like its sources: the reader may open the file that runs.
	minify: false,
	legalComments: 'none',
	logLevel: 'warning',
}) satisfies BuildOptions;

/** Writes the bundle to `outfile`, executable, and returns its size in bytes. */
export async function buildPlugin(outfile: string): Promise<number> {
	const result = await build({ ...options(REPOSITORY), outfile, metafile: true });
	chmodSync(outfile, 0o755);
	return Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
}

/**
 * The bundle's text, without writing a file: what the lab sandbox installs as
 * /opt/cni/bin/tsbridge and what the site serves for download. `root` is the repository's root:
 * code bundled elsewhere (the site's build) cannot find it from this file's place.
 */
export async function bundlePlugin(root = REPOSITORY): Promise<string> {
	const result = await build({ ...options(root), outfile: join(root, 'tsbridge'), write: false });
	const [file] = result.outputFiles;
	if (!file) throw new Error('esbuild wrote no bundle of examples/cni-plugin: see its warnings above');
	return file.text;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const out = process.argv[2] ?? join(import.meta.dirname, 'dist/tsbridge');
	const bytes = await buildPlugin(out);
	process.stdout.write(`${out}: ${bytes} bytes\n`);
}

/**
 * Builds the simulator as command-line tools: one self-contained ESM bundle of the simulator and
 * the commands (no native modules, so it runs under any Node 20+ and in a WebContainer), the
 * book's catalog beside it, and one small executable per tool:
 *
 *   OUT/lib/tool.mjs        a tool (main-tool.ts): the simulator and the state file, no more
 *   OUT/lib/netsim-lab.mjs  `netsim-lab` (main-lab.ts), with the lab schema (zod) for lab files
 *   OUT/lib/catalog.json    the book's labs and machines, for `netsim-lab init`
 *   OUT/bin/ip, ping, …     `#!/usr/bin/env node` shims, and OUT/bin/netsim-lab
 *
 * Putting OUT/bin first on PATH makes `ip` the simulator's.
 */
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from './catalog.ts';
import { TOOLS } from './tool-command.ts';

/** What the build wrote. */
export interface BuiltTools {
	/** The folder to put on PATH. */
	bin: string;
	/** The executables in it, by name. */
	executables: string[];
	/** Size of the bundles, in bytes, by file name. */
	bundles: Record<string, number>;
}

/**
 * A shim: loads the bundle with dynamic `import()` (so it works whether Node reads the file as
 * CommonJS or as ESM, which depends on the package.json above wherever it is copied) after
 * turning on Node's compile cache where there is one (Node 22.1+), which spares each invocation
 * most of compiling the bundle again.
 */
function shim(bundle: string, call: string): string {
	return [
		'#!/usr/bin/env node',
		'// The network simulator as a command-line tool (docs/simulator.md, "The simulator as command-line tools").',
		`import('node:module').then((m) => m.enableCompileCache?.(), () => {}).then(() => import(${JSON.stringify(`../lib/${bundle}`)})).then((m) => ${call});`,
		'',
	].join('\n');
}

/** Builds the tools into `outDir` (emptied first) with the given catalog. */
export async function buildSimtools(outDir: string, catalog: Catalog): Promise<BuiltTools> {
	rmSync(outDir, { recursive: true, force: true });
	const lib = join(outDir, 'lib');
	const bin = join(outDir, 'bin');
	mkdirSync(lib, { recursive: true });
	mkdirSync(bin, { recursive: true });
	const result = await build({
		// Two bundles, each whole: the one every tool invocation loads stays small.
		entryPoints: { tool: join(import.meta.dirname, 'main-tool.ts'), 'netsim-lab': join(import.meta.dirname, 'main-lab.ts') },
		outdir: lib,
		outExtension: { '.js': '.mjs' },
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		minify: true,
		legalComments: 'none',
		logLevel: 'silent',
		metafile: true,
		banner: { js: '// The network simulator as command-line tools: built by `npm run -s simtools` (src/lib/simtools/build.ts).' },
	});
	writeFileSync(join(lib, 'catalog.json'), `${JSON.stringify(catalog)}\n`);
	const executables: string[] = [];
	const write = (name: string, bundle: string, call: string): void => {
		const file = join(bin, name);
		writeFileSync(file, shim(bundle, call));
		chmodSync(file, 0o755);
		executables.push(name);
	};
	for (const name of TOOLS) write(name, 'tool.mjs', `m.tool(${JSON.stringify(name)})`);
	write('netsim-lab', 'netsim-lab.mjs', 'm.lab()');
	const bundles = Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, o]) => [file.slice(file.lastIndexOf('/') + 1), o.bytes]));
	return { bin, executables, bundles };
}

/**
 * Reads what the full shell's folder is made of (tree.ts) from the repository: the folder's own
 * files, the plugin's sources, the simulator's tools (built as `npm run simtools` builds them) and
 * sucrase's `transform` bundled into one file. Build time only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { buildSimtools } from '../simtools/build.ts';
import { catalogFromBook } from '../simtools/catalog-book.ts';
import type { ShellFiles } from './tree.ts';

/** The folder's own files, in the repository. */
export const TEMPLATE_DIR = 'examples/full-shell';

/** The plugin's sources, in the repository. */
export const PLUGIN_DIR = 'examples/cni-plugin/src';

/** The Node.js the folder's JavaScript must run on: the plugin's bundle targets it too (Debian 12's). */
export const NODE_TARGET = 'node18';

/** Every file under `dir`, by path relative to it with `/`, sorted. */
export function filesUnder(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string): void => {
		for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const path = join(d, e.name);
			if (e.isDirectory()) walk(path);
			else out[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
		}
	};
	walk(dir);
	return out;
}

/** The plugin's sources: `*.ts` in its folder, tests and test helpers left out. */
export function pluginSources(root: string): Record<string, string> {
	const dir = join(root, PLUGIN_DIR);
	const names = readdirSync(dir).filter((n) => n.endsWith('.ts') && !/\.test(-helper)?\.ts$/.test(n)).sort();
	return Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

/** The simulator's tools, built into a temporary folder and read back: `bin/ip` … `lib/tool.mjs` …. */
export async function simtoolsFiles(root: string): Promise<Record<string, string>> {
	const out = mkdtempSync(join(tmpdir(), 'full-shell-simtools-'));
	try {
		await buildSimtools(out, catalogFromBook(root));
		return filesUnder(out);
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
}

/**
 * sucrase's `transform` as one minified CommonJS file for Node 18 (tools/build.cjs requires it):
 * the folder needs no `npm install`, which a WebContainer would fetch from the registry.
 */
export async function transpilerBundle(root: string): Promise<string> {
	const result = await build({
		stdin: { contents: "module.exports = { transform: require('sucrase').transform };\n", resolveDir: root, sourcefile: 'sucrase-entry.cjs', loader: 'js' },
		bundle: true,
		platform: 'node',
		target: NODE_TARGET,
		format: 'cjs',
		minify: true,
		legalComments: 'none',
		write: false,
		logLevel: 'silent',
		banner: { js: '// sucrase (MIT licence, https://github.com/alangpierce/sucrase): its transform, bundled by the book\'s build (src/lib/fullshell/sources.ts).' },
	});
	return result.outputFiles[0]!.text;
}

/** Everything the folder is made of, read from the repository at `root`. */
export async function collectShellFiles(root: string): Promise<ShellFiles> {
	const [simtools, transpiler] = await Promise.all([simtoolsFiles(root), transpilerBundle(root)]);
	return { template: filesUnder(join(root, TEMPLATE_DIR)), plugin: pluginSources(root), simtools, transpiler };
}

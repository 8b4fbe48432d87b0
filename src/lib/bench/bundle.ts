import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

/** Bytes of some code: minified, and gzipped at level 9 the way a server would send it. */
export interface Bytes {
	raw: number;
	gzip: number;
}

/** Size of a module bundled for the browser the way a reader's page would get it. */
export interface BundleSize extends Bytes {
	entry: string;
	/**
	 * What loads first: the entry chunk with everything it imports statically. `raw` and `gzip`
	 * above count every chunk, the ones the module imports on demand (`import()`) too.
	 */
	firstLoad: Bytes;
	/** The chunks loaded on demand, by the name of the module that starts each one. */
	onDemand: Record<string, Bytes>;
}

const bytes = (code: Uint8Array): Bytes => ({ raw: code.length, gzip: gzipSync(code, { level: 9 }).length });

/**
 * Bundles `entry` for the browser (ESM, minified, split at dynamic imports as a page's bundler
 * splits it) and measures the whole and the part that loads first. Fails if the module reaches
 * for Node built-ins, which a browser bundle cannot have.
 */
export async function browserBundleSize(entry: string): Promise<BundleSize> {
	const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', splitting: true, outdir: 'out', metafile: true });
	const files = new Map(result.outputFiles.map((f) => [f.path.slice(f.path.lastIndexOf('/out/') + 1), f.contents]));
	const outputs = result.metafile.outputs;
	const entryOut = Object.keys(outputs).find((k) => outputs[k]!.entryPoint)!;
	// The first load: the entry and the chunks it imports statically, transitively.
	const first = new Set<string>();
	const visit = (name: string): void => {
		if (first.has(name)) return;
		first.add(name);
		for (const i of outputs[name]!.imports) if (i.kind === 'import-statement') visit(i.path);
	};
	visit(entryOut);
	const concat = (names: string[]): Uint8Array => Buffer.concat(names.map((n) => files.get(n)!));
	const onDemand: Record<string, Bytes> = {};
	for (const [name, out] of Object.entries(outputs)) {
		if (first.has(name) || name.endsWith('.map')) continue;
		const start = out.entryPoint ?? Object.keys(out.inputs).find((i) => i.endsWith('/index.ts')) ?? Object.keys(out.inputs)[0] ?? name;
		onDemand[start] = bytes(files.get(name)!);
	}
	const all = bytes(concat([...files.keys()]));
	return { entry, ...all, firstLoad: bytes(concat([...first])), onDemand };
}

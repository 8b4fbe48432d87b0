import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

/** Size of a module bundled for the browser the way a reader's page would get it. */
export interface BundleSize {
	entry: string;
	raw: number;
	gzip: number;
}

/**
 * Bundles `entry` for the browser (ESM, minified, every dependency inlined) and measures it.
 * Fails if the module reaches for Node built-ins, which a browser bundle cannot have.
 */
export async function browserBundleSize(entry: string): Promise<BundleSize> {
	const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
	const code = result.outputFiles[0]!.contents;
	return { entry, raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

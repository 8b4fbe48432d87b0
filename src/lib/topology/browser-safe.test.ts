import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Modules that run at build time only; everything else may be bundled into the page. */
const BUILD_ONLY = new Set(['layout-elk.ts']);

describe('browser safety', () => {
	const dir = import.meta.dirname;
	const modules = readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.ts') && !f.includes('.test') && !BUILD_ONLY.has(f))
		.sort();

	it.each(modules)('%s imports neither node: modules nor packages, nor a build-only module', (file) => {
		const source = readFileSync(join(dir, file), 'utf8');
		const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
		for (const spec of imports) {
			if (!spec.startsWith('./') && !spec.startsWith('../')) expect.fail(`${file} imports the package ${spec}`);
			const target = relative(dir, resolve(dir, dirname(file), spec));
			expect(target.startsWith('..'), `${file} imports ${spec}, outside src/lib/topology`).toBe(false);
			expect(BUILD_ONLY.has(target)).toBe(false);
		}
	});
});

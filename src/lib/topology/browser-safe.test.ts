import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Modules that run at build time only; everything else may be bundled into the page. */
const BUILD_ONLY = new Set(['layout-elk.ts']);

describe('browser safety', () => {
	const dir = import.meta.dirname;
	const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test') && !BUILD_ONLY.has(f));

	it.each(modules)('%s imports neither node: modules nor elkjs, nor a build-only module', (file) => {
		const source = readFileSync(join(dir, file), 'utf8');
		const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
		for (const spec of imports) {
			expect(spec).not.toMatch(/^node:|^elkjs/);
			expect(BUILD_ONLY.has(spec!.replace('./', ''))).toBe(false);
			if (!spec!.startsWith('./')) expect.fail(`${file} imports the package ${spec}`);
		}
	});
});

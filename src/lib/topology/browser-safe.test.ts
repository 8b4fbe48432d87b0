import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module here may be bundled into the page (the live diagram), and the build uses the same ones. */

describe('browser safety', () => {
	const dir = import.meta.dirname;
	const modules = readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.ts') && !f.includes('.test'))
		.sort();

	// A module of src/lib/shared that imports nothing (netfilter.ts: the hooks as data) is as safe as one here.
	const standalone = (target: string): boolean => !/^\s*(?:import|export)[^'"]*from\s+'/m.test(readFileSync(resolve(dir, target), 'utf8'));

	it.each(modules)('%s imports neither node: modules nor packages: only modules of src/lib/topology, types of src/lib/shared, and its modules that import nothing', (file) => {
		const source = readFileSync(join(dir, file), 'utf8');
		const imports = [...source.matchAll(/^\s*((?:import|export)[^'"]*)from\s+'([^']+)'/gm)].map((m) => ({ clause: m[1]!, spec: m[2]! }));
		for (const { clause, spec } of imports) {
			if (!spec.startsWith('./') && !spec.startsWith('../')) expect.fail(`${file} imports the package ${spec}`);
			const target = relative(dir, resolve(dir, dirname(file), spec));
			if (target.startsWith('../shared/') && (/^import type\b/.test(clause.trim()) || standalone(target))) continue;
			expect(target.startsWith('..'), `${file} imports ${spec}, outside src/lib/topology`).toBe(false);
		}
	});
});

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labSchema, type Lab } from '../shared/lab.ts';
import { LABS_DIR, ROOT } from './paths.ts';

/**
 * Reads and validates a lab by name (`machine`) or by path (`./my-lab.json`).
 * Throws with the file name and every schema problem.
 */
export function loadLab(nameOrPath: string, root = ROOT): Lab {
	const file = nameOrPath.endsWith('.json') ? resolve(nameOrPath) : join(root, LABS_DIR, `${nameOrPath}.json`);
	let raw: unknown;
	try {
		raw = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		throw new Error(`lab "${nameOrPath}": cannot read ${file}: ${(e as Error).message}`);
	}
	const parsed = labSchema.safeParse(raw);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n');
		throw new Error(`lab "${nameOrPath}" (${file}) is not valid:\n${problems}`);
	}
	return parsed.data;
}

/** Names of every lab in examples/labs. */
export function labNames(root = ROOT): string[] {
	return readdirSync(join(root, LABS_DIR))
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -'.json'.length))
		.sort();
}

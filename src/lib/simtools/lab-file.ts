/** A lab file given to `netsim-lab init --lab FILE.json`, validated against the lab schema. */
import { readFileSync } from 'node:fs';
import { labSchema, type Lab } from '../shared/lab.ts';
import { SimtoolsError } from './errors.ts';

/** Reads and validates a lab file; throws a SimtoolsError naming the file and every problem. */
export function readLabFile(path: string): Lab {
	let raw: unknown;
	try {
		raw = JSON.parse(readFileSync(path, 'utf8'));
	} catch (e) {
		throw new SimtoolsError(`cannot read the lab file ${path}: ${(e as Error).message}`, 'give a lab file written as the book\'s examples/labs/*.json are');
	}
	const parsed = labSchema.safeParse(raw);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
		throw new SimtoolsError(`the lab file ${path} is not valid: ${problems}`, 'fix it as the lab schema says (src/lib/shared/lab.ts)');
	}
	return parsed.data;
}

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadLab } from '../book/labs.ts';
import type { Lab } from '../shared/lab.ts';

/** Test-only: the recorded fixture states under tests/fixtures/topology. */
export const FIXTURES = resolve(import.meta.dirname, '../../../tests/fixtures/topology');

/** One recorded scene: its state (as captured in a sealed sandbox) and its lab. */
export interface Case {
	name: string;
	lab: string;
	what: string;
}

/** Every recorded scene. */
export const cases: Case[] = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8'));

/** The state and lab of a scene. */
export function load(name: string): { state: unknown; lab: Lab } {
	const c = cases.find((x) => x.name === name);
	if (!c) throw new Error(`no fixture ${name}`);
	return { state: JSON.parse(readFileSync(join(FIXTURES, 'states', `${name}.json`), 'utf8')), lab: loadLab(c.lab) };
}

/**
 * The entry of `netsim-lab` (`npm run -s simtools` bundles it as dist-simtools/lib/netsim-lab.mjs):
 * binds `runLabCommand` to the process, and reads the book's catalog the build wrote beside it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Catalog } from './catalog.ts';
import { SimtoolsError } from './errors.ts';
import { runLabCommand } from './lab-command.ts';
import { crashed, finish } from './process-io.ts';
import type { Outcome } from './tool-command.ts';

/** The catalog the build wrote beside this bundle. */
function bundledCatalog(): Catalog {
	const url = new URL('./catalog.json', import.meta.url);
	try {
		return JSON.parse(readFileSync(url, 'utf8')) as Catalog;
	} catch (e) {
		throw new SimtoolsError(`cannot read the book's labs from ${url.pathname}: ${(e as Error).message}`, 'build the tools again with `npm run -s simtools`');
	}
}

async function readStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** Runs `netsim-lab` with this process's arguments. */
export async function lab(): Promise<void> {
	let outcome: Outcome;
	try {
		outcome = await runLabCommand({ argv: process.argv.slice(2), env: process.env, home: homedir(), catalog: bundledCatalog, readStdin });
	} catch (e) {
		outcome = crashed(e);
	}
	finish(outcome);
}

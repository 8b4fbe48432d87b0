/**
 * `netsim-lab`: starts the simulated lab the tools act on, and reads it. `init` writes a state
 * file; `exec` runs any line of the simulator's shell there (with `--stdin`, what this process
 * reads on its standard input); `state`, `status` and `log` show the lab, its settings and its
 * journal.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { profileFor } from '../netsim/index.ts';
import type { Lab } from '../shared/lab.ts';
import { findMachine, type Catalog } from './catalog.ts';
import { readLabFile } from './lab-file.ts';
import { failureText, SimtoolsError, TOOLS_FAILED } from './errors.ts';
import { statePath, type ToolsEnv } from './env.ts';
import { withLock } from './lock.ts';
import { captureLabState, readStateFile, runOnLab, stateFileExists, writeStateFile } from './session.ts';
import { looksLikeStateFile, STATE_FORMAT, type LabStateFile, type Machine } from './state-file.ts';
import { TOOLS, type Outcome } from './tool-command.ts';

/** What `netsim-lab` needs from its process. */
export interface LabInvocation {
	/** Its arguments after the program name. */
	argv: readonly string[];
	env: ToolsEnv;
	home: string;
	/** The book's labs and machines (read only by `init`). */
	catalog: () => Catalog;
	/** Reads standard input to its end (only `exec --stdin` does). */
	readStdin: () => Promise<string>;
}

export const USAGE = `usage: netsim-lab COMMAND [ARGS]
  init --lab NAME|FILE.json [--like SET] [--host HOST]
                      start a simulated lab (replacing the one in the state file); --like SET
                      imitates the machine a snapshot set was recorded on (default: the book's
                      primary, as its pages show); --host the host the tools act as (default:
                      the lab's first)
  exec [--stdin] LINE...
                      run a line of the simulator's shell on the host (the arguments joined by
                      spaces, as ssh does); --stdin hands it this command's standard input
  state               the lab's state as JSON: \`ip -j\` link, addr, route, neigh of every namespace
  status              the lab, the machine it imitates, the host, how many commands have run
  log                 the commands run so far, as a transcript (\`@HOST LINE\`, npm run netsim's input)
  tools               the simulated tools this folder provides
environment:
  NETSIM_STATE        the state file (default: ~/.netsim/state.json)
  NETSIM_HOST         the lab host the tools act as (default: the state file's)
`;

const ok = (stdout: string): Outcome => ({ stdout, stderr: '', exit: 0 });
const usageError = (message: string): Outcome => ({ stdout: '', stderr: `netsim-lab: ${message}\n${USAGE}`, exit: 2 });

/** Runs `netsim-lab` with the invocation's arguments. */
export async function runLabCommand(inv: LabInvocation): Promise<Outcome> {
	const [command, ...rest] = inv.argv;
	try {
		switch (command) {
			case 'init':
				return init(inv, rest);
			case 'exec':
				return await exec(inv, rest);
			case 'state':
				return ok(`${JSON.stringify(captureLabState(statePath(inv.env, inv.home)), null, 2)}\n`);
			case 'status':
				return status(inv);
			case 'log':
				return log(inv);
			case 'tools':
				return ok(`${TOOLS.join('\n')}\n`);
			case undefined:
			case 'help':
			case '--help':
			case '-h':
				return ok(USAGE);
			default:
				return usageError(`unknown command "${command}"`);
		}
	} catch (e) {
		if (e instanceof SimtoolsError) return { stdout: '', stderr: failureText(e), exit: TOOLS_FAILED };
		throw e;
	}
}

function init(inv: LabInvocation, args: readonly string[]): Outcome {
	let values;
	try {
		values = parseArgs({ args: [...args], options: { lab: { type: 'string' }, like: { type: 'string' }, host: { type: 'string' } }, allowPositionals: false }).values;
	} catch (e) {
		return usageError((e as Error).message);
	}
	if (!values.lab) return usageError('init needs --lab NAME or --lab FILE.json');
	const catalog = inv.catalog();
	const lab = chooseLab(catalog, values.lab);
	const machine = chooseMachine(catalog, values.like);
	const host = values.host ?? lab.hosts[0]?.name ?? '';
	if (!lab.hosts.some((h) => h.name === host))
		throw new SimtoolsError(`no host "${host}" in lab ${lab.name}; its hosts: ${lab.hosts.map((h) => h.name).join(', ')}`, 'choose one of them with --host');
	const path = statePath(inv.env, inv.home);
	const state: LabStateFile = { format: STATE_FORMAT, lab, machine, host, journal: [] };
	try {
		mkdirSync(dirname(path), { recursive: true });
	} catch (e) {
		throw new SimtoolsError(`cannot make the folder of the state file ${path}: ${(e as Error).message}`, 'set NETSIM_STATE to a file in a folder you can write');
	}
	withLock(path, () => {
		// Replace a lab, never another file that NETSIM_STATE happens to name.
		if (stateFileExists(path) && !looksLikeStateFile(readText(path)))
			throw new SimtoolsError(`${path} exists and is not a netsim-lab state file`, 'set NETSIM_STATE to another file, or remove this one');
		writeStateFile(path, state);
	});
	const imitating = profileFor(machine.recorded, machine.kind).name;
	return ok(`netsim-lab: lab ${lab.name} (hosts: ${lab.hosts.map((h) => h.name).join(', ')}), imitating ${machine.set}: ${imitating}; the tools act as ${host}; state in ${path}\n`);
}

function readText(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}

/** A lab by name from the catalog, or from a lab file (`*.json`), validated. */
function chooseLab(catalog: Catalog, nameOrFile: string): Lab {
	if (nameOrFile.endsWith('.json')) return readLabFile(nameOrFile);
	const lab = catalog.labs[nameOrFile];
	if (!lab) throw new SimtoolsError(`no lab named "${nameOrFile}"`, `the book's labs: ${Object.keys(catalog.labs).join(', ')}; or give a lab file, --lab my-lab.json`);
	return lab;
}

/** The machine to imitate: `--like SET`, or the book's primary. */
function chooseMachine(catalog: Catalog, like: string | undefined): Machine {
	const name = like ?? catalog.primary;
	const machine = findMachine(catalog, name);
	if (!machine) throw new SimtoolsError(`no machine "${name}" to imitate`, `the snapshot sets with recordings: ${Object.keys(catalog.machines).join(', ')}`);
	return machine;
}

async function exec(inv: LabInvocation, args: readonly string[]): Promise<Outcome> {
	let i = 0;
	let withStdin = false;
	for (; i < args.length && args[i]?.startsWith('-'); i++) {
		if (args[i] === '--') {
			i++;
			break;
		}
		if (args[i] === '--stdin') withStdin = true;
		else return usageError(`exec: unknown option "${args[i]}" (options go before the line; use -- before a line that starts with -)`);
	}
	const line = args.slice(i).join(' ');
	if (!line) return usageError('exec needs a command line');
	const stdin = withStdin ? await inv.readStdin() : undefined;
	const r = runOnLab({ path: statePath(inv.env, inv.home), host: inv.env.NETSIM_HOST, line, stdin });
	return { stdout: r.stdout, stderr: r.stderr, exit: r.exit, note: r.note };
}

function status(inv: LabInvocation): Outcome {
	const path = statePath(inv.env, inv.home);
	const state = readStateFile(path);
	const commands = state.journal.filter((e) => !('state' in e)).length;
	const host = inv.env.NETSIM_HOST ? `${inv.env.NETSIM_HOST} (NETSIM_HOST; the state file's: ${state.host})` : state.host;
	const rows = [
		['lab', `${state.lab.name} (hosts: ${state.lab.hosts.map((h) => h.name).join(', ')})`],
		['machine', `${state.machine.set}: ${profileFor(state.machine.recorded, state.machine.kind).name}`],
		['host', host],
		['journal', `${commands} command${commands === 1 ? '' : 's'}`],
		['state', path],
	];
	return ok(rows.map(([k, v]) => `${(k as string).padEnd(8)} ${v}\n`).join(''));
}

function log(inv: LabInvocation): Outcome {
	const state = readStateFile(statePath(inv.env, inv.home));
	const lines = state.journal.map((e) => ('state' in e ? '# (the lab state was captured)' : `@${e.host} ${e.line}${e.stdin ? `  # with ${e.stdin.length} characters on stdin` : ''}`));
	return ok(lines.map((l) => `${l}\n`).join(''));
}

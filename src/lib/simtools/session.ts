/**
 * A simulated lab kept in a state file: read it, rebuild the lab by replaying its journal, run a
 * command, write the journal back. Rebuilding costs the replay (about half a millisecond a
 * command once the simulator has loaded, see docs/simulator.md), which keeps the lab exactly as
 * one long session would have it: the simulator's state is objects that point at each other,
 * timers and closures, and has no serialisation to read back.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLab, profileFor, type ExecResult, type SimLab } from '../netsim/index.ts';
import { SimtoolsError } from './errors.ts';
import { withLock } from './lock.ts';
import { formatStateFile, parseStateFile, resultDigest, type JournalEntry, type LabStateFile } from './state-file.ts';

/** What to do when there is no usable lab: start one. */
const INIT_HINT = 'start one with `netsim-lab init --lab machine` (or set NETSIM_STATE to another file)';

/** Reads the state file at `path`; throws a SimtoolsError naming it when it is missing or unusable. */
export function readStateFile(path: string): LabStateFile {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new SimtoolsError(`no simulated lab at ${path}`, INIT_HINT);
		throw new SimtoolsError(`cannot read the state file ${path}: ${(e as Error).message}`, INIT_HINT);
	}
	const parsed = parseStateFile(text);
	if (!parsed.ok) throw new SimtoolsError(`cannot use the state file ${path}: ${parsed.error}`, `start the lab again with \`netsim-lab init --lab …\` (it replaces the file), or set NETSIM_STATE to another file`);
	return parsed.value;
}

/**
 * Writes the state file whole, through a temporary file renamed over it: a process killed
 * mid-write leaves the previous journal, never half of one.
 */
export function writeStateFile(path: string, state: LabStateFile): void {
	mkdirSync(dirname(path), { recursive: true });
	const temp = `${path}.${process.pid}.tmp`;
	writeFileSync(temp, formatStateFile(state));
	renameSync(temp, path);
}

/** True when a file exists at `path`. */
export function stateFileExists(path: string): boolean {
	return existsSync(path);
}

/** Runs `fn` holding the lock of an existing state file (with no file there is no lab, and no folder to lock in). */
function withLab<T>(path: string, fn: () => T): T {
	if (!existsSync(path)) throw new SimtoolsError(`no simulated lab at ${path}`, INIT_HINT);
	return withLock(path, fn);
}

/**
 * Builds the state's lab and replays its journal. Throws a SimtoolsError when a command prints
 * something else than it did when it ran: the simulator changed since the file was written.
 */
export function replay(state: LabStateFile, path: string): SimLab {
	let lab: SimLab;
	try {
		lab = createLab(state.lab, { profile: profileFor(state.machine.recorded, state.machine.kind) });
	} catch (e) {
		throw new SimtoolsError(`cannot build the lab in the state file ${path}: ${(e as Error).message}`, 'start the lab again with `netsim-lab init --lab …` (it replaces the file)');
	}
	for (const [i, entry] of state.journal.entries()) {
		if ('state' in entry) {
			lab.state();
			continue;
		}
		const r = lab.exec(entry.host, entry.line, { stdin: entry.stdin });
		if (resultDigest(r) !== entry.out)
			throw new SimtoolsError(
				`the lab in ${path} no longer replays: command ${i + 1} (\`${entry.line}\` on ${entry.host}) printed something else than when it ran, so the simulator has changed since`,
				`start the lab again with \`netsim-lab init --lab ${state.lab.name}\` and run its commands again`,
			);
	}
	return lab;
}

/** The host the tools act as: NETSIM_HOST when set, else the state file's; an unknown one is an error. */
export function chooseHost(state: LabStateFile, path: string, fromEnv: string | undefined): string {
	const host = fromEnv || state.host;
	const hosts = state.lab.hosts.map((h) => h.name);
	if (!hosts.includes(host)) {
		const where = fromEnv ? `NETSIM_HOST=${fromEnv}` : `the state file ${path}`;
		throw new SimtoolsError(`no host "${host}" in lab ${state.lab.name} (${where}); its hosts: ${hosts.join(', ')}`, `set NETSIM_HOST to one of them`);
	}
	return host;
}

/** A command to run on the lab of a state file. */
export interface LabCommand {
	/** The state file. */
	path: string;
	/** NETSIM_HOST, if set. */
	host: string | undefined;
	/** The command line, as the simulator's shell reads it. */
	line: string;
	/** Its standard input, if it has one. */
	stdin?: string | undefined;
}

/**
 * Runs one command on the lab of a state file and records it there: under the file's lock, so
 * that commands run at once are each recorded, one after the other.
 */
export function runOnLab(command: LabCommand): ExecResult {
	return withLab(command.path, () => {
		const state = readStateFile(command.path);
		const host = chooseHost(state, command.path, command.host);
		const lab = replay(state, command.path);
		const result = lab.exec(host, command.line, { stdin: command.stdin });
		const entry: JournalEntry = { host, line: command.line, out: resultDigest(result) };
		if (command.stdin) entry.stdin = command.stdin;
		writeStateFile(command.path, { ...state, journal: [...state.journal, entry] });
		return result;
	});
}

/** The lab's whole state (`ip -j` of every namespace), recorded in the journal as dumps change netns ids. */
export function captureLabState(path: string): ReturnType<SimLab['state']> {
	return withLab(path, () => {
		const state = readStateFile(path);
		const lab = replay(state, path);
		const captured = lab.state();
		writeStateFile(path, { ...state, journal: [...state.journal, { state: true }] });
		return captured;
	});
}

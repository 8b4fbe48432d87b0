/**
 * The state file: one simulated lab that outlives the process. It holds what the lab was built
 * from (the lab definition, the machine imitated), the host the tools act as, and the journal of
 * everything run on it since. The simulator is deterministic (a virtual clock, seeded MACs), so
 * replaying the journal rebuilds the very same lab; each command's entry keeps a digest of what
 * it printed, so a replay that comes out differently (a simulator changed since) is noticed.
 *
 * Every tool invocation reads it, so it is checked by hand rather than with zod: zod is more than
 * half of the bundle and would cost each invocation about 35 ms to load (docs/simulator.md). The
 * lab inside was validated against the lab schema when `netsim-lab init` wrote it.
 */
import type { Lab } from '../shared/lab.ts';
import type { MachineProvenance, TargetKind } from '../shared/machine.ts';
import type { ExecResult } from '../netsim/index.ts';

/** The format's name and version, the file's first field. */
export const STATE_FORMAT = 'netsim-lab/1';

/** The machine the simulator imitates: a snapshot set's provenance and kind of target. */
export interface Machine {
	/** The snapshot set it was named by (`vm:arm64`, `local`). */
	set: string;
	/** Where that set was recorded: its uplinks are veths (`local`, `ssh`) or NICs (`vm`). */
	kind: TargetKind;
	/** Its tool versions, as the set records them. */
	recorded: MachineProvenance;
}

/** A command run on the lab, with a digest of what it printed. */
export interface CommandEntry {
	/** The lab host it ran on. */
	host: string;
	/** The command line, as the simulator's shell read it. */
	line: string;
	/** Its standard input, when it had one. */
	stdin?: string;
	/** Digest of its stdout, stderr and exit status (resultDigest). */
	out: string;
}

/** A capture of the whole lab's state (`netsim-lab state`), kept because dumping links assigns netns ids. */
export interface StateEntry {
	state: true;
}

/** One entry of the journal. */
export type JournalEntry = CommandEntry | StateEntry;

/** The state file's content. */
export interface LabStateFile {
	format: typeof STATE_FORMAT;
	/** The lab definition it was built from. */
	lab: Lab;
	machine: Machine;
	/** The host the tools act as unless NETSIM_HOST says otherwise. */
	host: string;
	/** Everything run on the lab, in order. */
	journal: JournalEntry[];
}

/** What reading a state file gives: its content, or why it cannot be used. */
export type ParsedStateFile = { ok: true; value: LabStateFile } | { ok: false; error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const KINDS: readonly TargetKind[] = ['local', 'vm', 'ssh'];
const PROVENANCE: readonly (keyof MachineProvenance)[] = ['kernel', 'iproute2', 'iptables', 'arch', 'os'];

/** The first thing wrong with a state file's content, as `where: what`, or undefined. */
function problem(raw: Json): string | undefined {
	const lab = raw['lab'];
	if (!isObject(lab) || !isString(lab['name']) || !Array.isArray(lab['hosts']) || !lab['hosts'].every((h) => isObject(h) && isString(h['name']) && Array.isArray(h['interfaces'])))
		return 'lab: not a lab definition (name, hosts with names and interfaces)';
	const machine = raw['machine'];
	if (!isObject(machine) || !isString(machine['set']) || !KINDS.includes(machine['kind'] as TargetKind))
		return `machine: needs a set name and a kind (${KINDS.join(', ')})`;
	const recorded = machine['recorded'];
	if (!isObject(recorded) || !PROVENANCE.every((k) => isString(recorded[k]))) return `machine.recorded: needs ${PROVENANCE.join(', ')}`;
	if (!isString(raw['host'])) return 'host: not a host name';
	const journal = raw['journal'];
	if (!Array.isArray(journal)) return 'journal: not a list';
	for (const [i, e] of journal.entries()) {
		const ok = isObject(e) && (e['state'] === true ? Object.keys(e).length === 1 : isString(e['host']) && isString(e['line']) && (e['stdin'] === undefined || isString(e['stdin'])) && isString(e['out']) && /^[0-9a-f]{8}$/.test(e['out']));
		if (!ok) return `journal.${i}: neither a command (host, line, out, optional stdin) nor a state capture`;
	}
	return undefined;
}

/** Reads a state file's text. */
export function parseStateFile(text: string): ParsedStateFile {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (e) {
		return { ok: false, error: `it is not JSON (${(e as Error).message})` };
	}
	if (!isObject(raw) || raw['format'] !== STATE_FORMAT) {
		const format = isObject(raw) && isString(raw['format']) && raw['format'].startsWith('netsim-lab/') ? `format ${raw['format']}, this version reads ${STATE_FORMAT}` : `no "format": "${STATE_FORMAT}"`;
		return { ok: false, error: `it is not a netsim-lab state file this version reads (${format})` };
	}
	const wrong = problem(raw);
	if (wrong) return { ok: false, error: `it does not hold a lab as this version writes one (${wrong})` };
	return { ok: true, value: raw as unknown as LabStateFile };
}

/** True when the text is a netsim-lab state file, readable or not (so `init` may replace it). */
export function looksLikeStateFile(text: string): boolean {
	try {
		const raw: unknown = JSON.parse(text);
		return isObject(raw) && isString(raw['format']) && raw['format'].startsWith('netsim-lab/');
	} catch {
		return false;
	}
}

/** A state file's text: the head indented, then the journal one entry a line (readable, diffable). */
export function formatStateFile(state: LabStateFile): string {
	const { journal, ...head } = state;
	const headText = JSON.stringify(head, null, '\t').replace(/\n\}$/, '');
	const entries = journal.map((e) => `\t\t${JSON.stringify(e)}`).join(',\n');
	return `${headText},\n\t"journal": [${entries ? `\n${entries}\n\t` : ''}]\n}\n`;
}

/** A short digest of a command's result (FNV-1a, 32 bits): enough to notice a replay diverging. */
export function resultDigest(result: Pick<ExecResult, 'stdout' | 'stderr' | 'exit'>): string {
	const text = `${result.exit}\u0000${result.stdout}\u0000${result.stderr}`;
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
	return h.toString(16).padStart(8, '0');
}

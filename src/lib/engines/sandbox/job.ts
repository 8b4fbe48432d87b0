import { builtStateBlock } from '../../runbook/cleanup.ts';
import type { Chapter } from '../../runbook/types.ts';
import { labStateSchema, recordedSchema, type LabState, type Recorded } from '../../snapshot/schema.ts';
import { runnableBlocks, type BlockResult, type ChapterResult, type ScriptRun } from '../engine.ts';
import type { Lab } from '../../shared/lab.ts';

/** The sandbox's input (`job.json`): the lab and the commands of every runnable block. */
export interface SandboxJob {
	chapter: string;
	/** Per-command timeout in whole seconds. */
	timeout: number;
	lab: Lab;
	/** `capture`: record the lab's state after the block (diagram blocks, and the block before the cleanup). */
	blocks: { index: number; line: number; host: string; capture: boolean; commands: string[] }[];
	/**
	 * The chapter's downloadable script, run after the chapter: `host` names the machine of a
	 * one-machine lab (run there as a reader would); without it the script drives every host.
	 */
	script?: SandboxScript;
	/**
	 * Lab interfaces that are real NICs of the machine rather than veths: the VM transport gives
	 * each uplink two virtio NICs on one QEMU hub (the interface and the far end of its wire) and
	 * hands them to the sandbox when it asks (see sandbox.sh, "nics"). Absent: every wire is a veth.
	 */
	nics?: SandboxNic[];
	/**
	 * Files the lab has before the chapter starts, on every host: the book's own programs that the
	 * chapter calls (its CNI plugin), as the engine built them (./book-files.ts). Absent: none.
	 */
	files?: SandboxFile[];
}

/** A file the sandbox writes into the lab before it builds the hosts (see sandbox.sh, "files"). */
export interface SandboxFile {
	/** Absolute path, under one of the folders the sandbox overlays (/opt, /usr, /etc…). */
	path: string;
	/** Permission bits, octal as chmod takes them (`755`). */
	mode: string;
	text: string;
}

/** One lab interface that is a NIC of the machine, and the NIC at the far end of its wire. */
export interface SandboxNic {
	/** Lab host and interface name (`pi`, `eth0`). */
	host: string;
	name: string;
	/** MAC of the NIC that becomes the interface. */
	mac: string;
	/** MAC of the NIC at the far end of the wire (plugged into the lab's switch or upstream). */
	wire: string;
}

/** How the sandbox runs a chapter's script after the chapter (see sandbox.sh, section 6). */
export interface SandboxScript {
	/** Script texts, each run once in order: verify runs the chapter's script once. */
	runs: string[];
	/** The machine of a one-machine lab; absent: the script drives every host through NETBOOK_ENTER. */
	host?: string;
	/** Bash run as root on every host before the first run (tests give the lab a machine's state). */
	prepare?: string;
	/** Bash run as root on every host before the first run and after each; its output is kept (`dump-K-HOST`). */
	dump?: string;
	/** Run with NETBOOK_STRICT=1 (default true); false runs it as a reader would. */
	strict?: boolean;
}

/** Builds the sandbox job of a chapter: runnable blocks only, in chapter order, and the script to run after them. */
export function buildJob(chapter: Chapter, lab: Lab, timeoutSec: number, options: { script?: string } = {}): SandboxJob {
	const built = builtStateBlock(chapter);
	const used = lab.hosts.map((h) => h.name).filter((h) => chapter.blocks.some((b) => b.runnable && b.host === h));
	const script = options.script === undefined ? undefined : { runs: [options.script], ...(used.length === 1 ? { host: used[0]! } : {}) };
	return {
		chapter: chapter.id,
		timeout: Math.max(1, Math.ceil(timeoutSec)),
		lab,
		blocks: runnableBlocks(chapter).map((b) => ({
			index: b.index,
			line: b.line,
			host: b.host,
			capture: b.attributes.diagram || b === built,
			commands: b.commands.map((c) => c.text),
		})),
		...(script ? { script } : {}),
	};
}

/** One line of the sandbox's steps.jsonl (the outputs are in files B.S.out and B.S.err). */
interface SandboxStep {
	b: number;
	s: number;
	exit: number;
	timedOut: boolean;
	ms: number;
}

/** What the sandbox wrote: its JSON files as text, and a reader for each command's output. */
export interface SandboxOutput {
	steps: string;
	states: string;
	recorded: string;
	/** Raw stdout ('out') or stderr ('err') of command `s` of block `b`. */
	output(b: number, s: number, stream: 'out' | 'err'): string;
	/** The chapter script's (first) run: script-0.json, script-0.out, script-0.err (when the job had a script). */
	script?: { json: string; stdout: string; stderr: string };
}

function jsonLines(text: string, what: string): unknown[] {
	return text
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l, i) => {
			try {
				return JSON.parse(l) as unknown;
			} catch {
				throw new Error(`sandbox wrote an unreadable ${what} line ${i + 1}: ${l.slice(0, 120)}`);
			}
		});
}

/**
 * Turns what the sandbox wrote into a {@link ChapterResult}: steps matched to their blocks and
 * chapter lines, states attached to the blocks they were captured after, the end state to the last block.
 */
export function readSandboxOutput(chapter: Chapter, output: SandboxOutput, ms: number): ChapterResult {
	const blocks = runnableBlocks(chapter);
	const results: BlockResult[] = blocks.map((b) => ({
		key: b.key,
		index: b.index,
		line: b.line,
		host: b.host,
		fails: b.attributes.fails,
		steps: [],
	}));
	for (const raw of jsonLines(output.steps, 'step') as SandboxStep[]) {
		const block = blocks[raw.b];
		const command = block?.commands[raw.s];
		const result = results[raw.b];
		if (!block || !command || !result) throw new Error(`sandbox reported an unknown step ${raw.b}.${raw.s}`);
		result.steps.push({
			cmd: command.text,
			line: command.line,
			stdout: output.output(raw.b, raw.s, 'out'),
			stderr: output.output(raw.b, raw.s, 'err'),
			exit: raw.exit,
			timedOut: raw.timedOut,
			ms: raw.ms,
		});
	}
	let scriptState: LabState | undefined;
	for (const raw of jsonLines(output.states, 'state') as { after: number | 'end' | 'script'; state: unknown }[]) {
		const state: LabState = labStateSchema.parse(raw.state);
		if (raw.after === 'script') {
			scriptState = state;
			continue;
		}
		const target = raw.after === 'end' ? results.at(-1) : results[raw.after];
		if (target) target.state = state;
	}
	const recorded: Recorded = recordedSchema.parse(JSON.parse(output.recorded));
	const script = output.script && readScriptRun(output.script, scriptState);
	return { chapter: chapter.id, file: chapter.file, engine: 'kernel', recorded, blocks: results, ms, ...(script ? { script } : {}) };
}

function readScriptRun(raw: NonNullable<SandboxOutput['script']>, state: LabState | undefined): ScriptRun {
	const run = JSON.parse(raw.json) as { exit: number; timedOut: boolean; ms: number };
	return { exit: run.exit, timedOut: run.timedOut, ms: run.ms, stdout: raw.stdout, stderr: raw.stderr, ...(state ? { state } : {}) };
}

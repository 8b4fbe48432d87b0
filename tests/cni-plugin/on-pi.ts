// Runs lists of shell commands on the `machine` lab's pi, inside the project's sealed sandbox (the
// real kernel), and returns what each printed: the harness of the CNI plugin's kernel tests.
import { runSandbox } from '../../src/lib/engines/local/local.ts';
import type { SandboxJob } from '../../src/lib/engines/sandbox/job.ts';
import { loadLab } from '../../src/lib/book/labs.ts';
import type { LabState } from '../../src/lib/shared/lab-state.ts';

/** One command as it ran. */
export interface Step {
	cmd: string;
	stdout: string;
	stderr: string;
	exit: number;
	/** Wall time of the command in the sandbox, in milliseconds. */
	ms: number;
}

/** A run: the steps of each block in order, and the lab's state after the blocks asked to capture it. */
export interface PiRun {
	blocks: Step[][];
	states: Map<number, LabState>;
}

/** A block of commands for the pi's root shell (variables and the working folder carry over). */
export interface PiBlock {
	commands: string[];
	/** Record the kernel's state (every namespace's `ip -j` link, addr, route, neigh) after it. */
	capture?: boolean;
}

/**
 * Runs the blocks one after another on a fresh `machine` lab in a sealed sandbox. Refuses (throws)
 * where the kernel engine cannot run: not root, not Linux.
 */
export async function onPi(id: string, blocks: PiBlock[], timeoutSec = 30): Promise<PiRun> {
	const job: SandboxJob = {
		chapter: id,
		timeout: timeoutSec,
		lab: loadLab('machine'),
		blocks: blocks.map((b, index) => ({ index, line: index + 1, host: 'pi', capture: b.capture === true, commands: b.commands })),
	};
	const total = blocks.reduce((n, b) => n + b.commands.length, 0);
	const files = await runSandbox(job, { id, lab: 'machine', total });
	const steps: Step[][] = blocks.map(() => []);
	for (const line of (files.get('steps.jsonl') ?? '').split('\n').filter(Boolean)) {
		const { b, s, exit, ms } = JSON.parse(line) as { b: number; s: number; exit: number; ms: number };
		steps[b]!.push({ cmd: blocks[b]!.commands[s]!, stdout: files.get(`${b}.${s}.out`) ?? '', stderr: files.get(`${b}.${s}.err`) ?? '', exit, ms });
	}
	const states = new Map<number, LabState>();
	for (const line of (files.get('states.jsonl') ?? '').split('\n').filter(Boolean)) {
		const { after, state } = JSON.parse(line) as { after: number | string; state: LabState };
		if (typeof after === 'number') states.set(after, state);
	}
	return { blocks: steps, states };
}

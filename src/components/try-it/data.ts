/**
 * What the page hands the terminal: the chapter, its lab and its blocks, written by TryIt.astro
 * as JSON into the page (not JavaScript, so it costs no script budget) and read on the client.
 */
import type { CheckSpec } from '../../lib/runbook/checks.ts';
import type { Lab } from '../../lib/shared/lab.ts';
import type { MachineProvenance, TargetKind } from '../../lib/shared/machine.ts';
import type { ScriptBlock } from '../../lib/terminal/script.ts';

/** The chapter as the terminal needs it. */
export interface TryItData {
	/** Chapter id, e.g. `05-veth-pairs`. */
	chapter: string;
	title: string;
	/** The lab definition, as src/lib/book/labs.ts parsed it (defaults filled in). */
	lab: Lab;
	blocks: ScriptBlock[];
	/** The chapter's progress checks, from its frontmatter. */
	checks: CheckSpec[];
	/**
	 * The machine whose outputs the page shows (the primary target's recording of the chapter):
	 * the simulator imitates it, so the terminal prints what the page shows. Absent: its default.
	 */
	machine?: { recorded: MachineProvenance; kind: TargetKind };
	/** Paths of the book's own programs the chapter calls (its CNI plugin), which the lab has. */
	programs?: string[];
}

/** Reads the JSON TryIt.astro wrote inside `root`. */
export function readData(root: HTMLElement): TryItData | undefined {
	const text = root.querySelector('script[type="application/json"]')?.textContent;
	try {
		return text ? (JSON.parse(text) as TryItData) : undefined;
	} catch {
		return undefined;
	}
}

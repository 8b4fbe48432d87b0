/**
 * What the page hands the terminal: the chapter, its lab and its blocks, written by TryIt.astro
 * as JSON into the page (not JavaScript, so it costs no script budget) and read on the client.
 */
import type { CheckSpec } from '../../lib/runbook/checks.ts';
import type { Lab } from '../../lib/shared/lab.ts';
import type { MachineProvenance, TargetKind } from '../../lib/shared/machine.ts';
import type { ScriptBlock } from '../../lib/terminal/script.ts';
import type { V86Manifest } from '../../lib/shared/v86-manifest.ts';

/** The page's real kernel as the build found it (src/lib/book/v86.ts), and where its parts are served. */
export interface RealKernelData {
	/** What the build serves in `base`; absent when this build has no kernel image. */
	manifest?: V86Manifest;
	/** Site address of the served v86 folder, ending in a slash. */
	base: string;
	/** The page listing the kernel's and packages' licences, with the offer of source. */
	licences: string;
	/** The chapter's recording on the v86 target, as the check fetches it (src/pages/recordings/v86/). */
	recording: string;
}

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
	/** The opt-in real Linux kernel (v86): what it costs, or that this build has none. */
	realKernel: RealKernelData;
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

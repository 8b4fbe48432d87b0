/**
 * The places the book's commands are verified on (verify's targets, docs/targets.md), as readers
 * see them, and which one the site shows: the one place that names them. Everything that shows
 * "the book's snapshots" (the recorded-output plugin, the chapter scripts' header, the diagrams,
 * the landing page) reads the primary target's through this file; the others are compared with it
 * block by block (src/lib/snapshot/compare-targets.ts).
 */
import { LOCAL_TARGET } from './paths.ts';

/** A place where verify runs the chapters on a real kernel, as the page names it. */
export interface Target {
	/** verify's name for it (`--target`): `local`, `vm:arm64`, `vm:x86_64`. */
	id: string;
	/** Reader-facing name, short enough for a button: "arm64 VM". */
	label: string;
}

/**
 * Every known target, in the order a page lists them after the primary. An `ssh` target (a real
 * Pi) joins this list once verify records one. Snapshots of a target not listed here are ignored
 * by the site.
 */
export const TARGETS: readonly Target[] = [
	{ id: 'vm:arm64', label: 'arm64 VM' },
	{ id: 'vm:x86_64', label: 'x86_64 VM' },
	{ id: LOCAL_TARGET, label: "this project's x86_64 machine" },
];

/**
 * The target whose outputs the page shows, whose recording heads the chapter scripts, whose
 * states the diagrams draw, which the in-page simulator imitates (src/lib/netsim/profile/) and
 * which `verify --engine sim` is judged by: `vm:arm64`, a Raspberry Pi's architecture with a
 * distribution kernel and a real NIC as the pi's `eth0`. Switching is this one line: the build
 * then needs a snapshot of the new primary for every chapter (`npm run verify -- --update
 * --target …`).
 */
export const PRIMARY_TARGET: string = 'vm:arm64';

/**
 * The target of the page's own real kernel: `verify --target v86` runs the chapters in the same
 * v86 machine the page restores, so its recordings are what "Check this chapter on the real
 * kernel" compares the page's run with.
 */
export const PAGE_KERNEL_TARGET = 'v86';

/** A target's reader-facing label; a target this file does not know is shown by its id. */
export function targetLabel(id: string): string {
	return TARGETS.find((t) => t.id === id)?.label ?? id;
}

/** The targets compared with `primary` (default {@link PRIMARY_TARGET}), in {@link TARGETS} order. */
export function otherTargets(primary: string = PRIMARY_TARGET): string[] {
	return TARGETS.map((t) => t.id).filter((id) => id !== primary);
}

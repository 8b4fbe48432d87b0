import { z } from 'zod';
import type { LabState as SharedLabState } from '../shared/lab-state.ts';

/** `ip -j` output of one network namespace. */
const netnsStateSchema = z.strictObject({
	link: z.array(z.unknown()).describe('`ip -j link`'),
	addr: z.array(z.unknown()).describe('`ip -j addr`'),
	route: z.array(z.unknown()).describe('`ip -j route` (main table, IPv4)'),
	neigh: z.array(z.unknown()).describe('`ip -j neigh`'),
});

/** Kernel state of a lab: host → netns name (`''` for the host's own) → `ip -j` output. */
export const labStateSchema = z
	.record(z.string(), z.record(z.string(), netnsStateSchema))
	.describe('Every namespace of every host: the host itself as "", and each one in its /run/netns by name');

/** One command of a block, with what it printed, raw. */
const stepSchema = z.strictObject({
	cmd: z.string().describe('The command as written in the chapter (continuations joined with "\\\\\\n")'),
	stdout: z.string().describe('Raw standard output'),
	stderr: z.string().describe('Raw standard error'),
	exit: z.number().int().describe('Exit code'),
});

/** A runnable shell block of the chapter and what its commands printed. */
const snapshotBlockSchema = z.strictObject({
	key: z.string().regex(/^[0-9a-f]{16}$/).describe('Hash of host + commands (runbook blockKey)'),
	line: z.number().int().positive().describe('Line of the opening fence in the chapter when recorded'),
	host: z.string().describe('Lab host the block ran on'),
	steps: z.array(stepSchema).describe('One per command, in order'),
	state: labStateSchema.optional().describe('Kernel state after the block: on `diagram` blocks and the last block'),
});

/** Where and with what a snapshot was recorded. */
export const recordedSchema = z.strictObject({
	kernel: z.string().describe('uname -r'),
	iproute2: z.string().describe('iproute2 version, e.g. 6.1.0'),
	iptables: z.string().describe('iptables version and backend, e.g. "1.8.9 (nf_tables)"'),
	arch: z.string().describe('uname -m'),
	os: z.string().describe('PRETTY_NAME from /etc/os-release'),
	date: z.string().describe('Day of the recording, YYYY-MM-DD (UTC)'),
});

/** `content/snapshots/<chapter>.json`: raw outputs of every runnable block of a chapter. */
export const snapshotSchema = z.strictObject({
	chapter: z.string().describe('Chapter id, the file name without .mdx'),
	recorded: recordedSchema,
	blocks: z.array(snapshotBlockSchema).describe('Runnable blocks in chapter order (norun blocks are absent)'),
});

export type { LabState, NetnsState } from '../shared/lab-state.ts';
export type Step = z.output<typeof stepSchema>;
export type SnapshotBlock = z.output<typeof snapshotBlockSchema>;
export type Recorded = z.output<typeof recordedSchema>;
export type Snapshot = z.output<typeof snapshotSchema>;

// The schema must accept exactly the shared shape: a compile error here means they drifted.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const labStateMatches: Same<z.output<typeof labStateSchema>, SharedLabState> = true;
void labStateMatches;

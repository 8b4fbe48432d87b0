/**
 * The "verified on" badge: for a chapter's recording (the scripts' header, the landing page) one
 * short line and its full details; for a block, the targets that printed the same output.
 */
import { targetLabel } from '../book/targets.ts';
import type { TargetBlock } from './compare-targets.ts';
import type { Recorded } from './schema.ts';

/** Short versions for the badge: `6.18.44` → `6.18`, `iproute2-6.1.0` → `6.1`. */
function shortVersion(version: string): string {
	const m = /(\d+)\.(\d+)/.exec(version);
	return m ? `${m[1]}.${m[2]}` : version.trim();
}

/** The badge line: "verified on Linux 6.18 · iproute2 6.1 · x86_64 · 2026-11-26". */
export function badgeText(recorded: Recorded): string {
	return `verified on Linux ${shortVersion(recorded.kernel)} · iproute2 ${shortVersion(recorded.iproute2)} · ${recorded.arch} · ${recorded.date.slice(0, 10)}`;
}

/** The badge's tooltip: every recorded detail, unshortened. */
export function badgeDetails(recorded: Recorded): string {
	return [
		`kernel ${recorded.kernel}`,
		`iproute2 ${recorded.iproute2}`,
		recorded.iptables && `iptables ${recorded.iptables}`,
		recorded.arch,
		recorded.os,
		`recorded ${recorded.date}`,
	]
		.filter(Boolean)
		.join(', ');
}

/** A target as the page names it, with the recording it made. */
export interface LabelledRecording {
	/** Reader-facing name of the target (src/lib/book/targets.ts): "arm64 VM". */
	label: string;
	recorded: Recorded;
}

/** "Debian GNU/Linux 13 (trixie)" → "Debian 13"; other systems as they name themselves. */
function shortOs(os: string): string {
	const m = /^(\S+)(?: GNU\/Linux)? (\d+)\b/.exec(os);
	return m ? `${m[1]} ${m[2]}` : os.replace(/\s*\(.*\)$/, '');
}

/** What a target ran, from its recording: "Debian 13, Linux 6.12". */
function systemText(recorded: Recorded): string {
	return `${shortOs(recorded.os)}, Linux ${shortVersion(recorded.kernel)}`;
}

/** A target in a sentence: "arm64 VM (Debian 13, Linux 6.12)". */
export function targetText({ label, recorded }: LabelledRecording): string {
	return `${label} (${systemText(recorded)})`;
}

/**
 * Targets in a sentence, those that ran the same system named together, in order of first
 * appearance: "this project's x86_64 machine (Debian 12, Linux 6.18); arm64 VM and x86_64 VM
 * (Debian 13, Linux 6.12)".
 */
export function targetsText(targets: readonly LabelledRecording[]): string {
	const groups = new Map<string, string[]>();
	for (const t of targets) groups.set(systemText(t.recorded), [...(groups.get(systemText(t.recorded)) ?? []), t.label]);
	return [...groups].map(([system, labels]) => `${listText(labels)} (${system})`).join('; ');
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
	return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * A block's badge line: the targets whose output matched, the primary first:
 * "verified on this project's x86_64 machine (Debian 12, Linux 6.18); arm64 VM (Debian 13, Linux 6.12)".
 */
export function verifiedOnText(matched: readonly LabelledRecording[]): string {
	return `verified on ${targetsText(matched)}`;
}

/** A block's badge tooltip: every detail of each target's recording, one target after another. */
export function verifiedOnDetails(matched: readonly LabelledRecording[]): string {
	return matched.map((m) => `${m.label}: ${badgeDetails(m.recorded)}`).join('; ');
}

/**
 * The targets a block's badge names: the primary (`target`, its chapter recording `recorded`),
 * then every other target whose output of the block matched it, labelled as targets.ts says.
 */
export function matchedTargets(target: string, recorded: Recorded, others: readonly TargetBlock[]): LabelledRecording[] {
	return [
		{ label: targetLabel(target), recorded },
		...others.filter((o) => o.differing.length === 0).map((o) => ({ label: targetLabel(o.target), recorded: o.recorded })),
	];
}

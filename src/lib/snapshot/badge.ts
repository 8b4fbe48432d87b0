/** The "verified on" badge of a recording: one short line and its full details. */
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

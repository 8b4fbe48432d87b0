import { existsSync, statSync } from 'node:fs';
import type { Recorded, Snapshot } from '../../lib/snapshot/schema.ts';
import { readSnapshotFile } from '../../lib/snapshot/store.ts';

export { snapshotSchema, type Recorded, type Snapshot, type SnapshotBlock, type Step } from '../../lib/snapshot/schema.ts';

const cache = new Map<string, { mtimeMs: number; snapshot: Snapshot }>();

/**
 * Reads and validates a snapshot file, cached until the file changes. Returns undefined when the
 * file does not exist; throws naming the file when it is not a valid snapshot.
 */
export function readSnapshot(path: string): Snapshot | undefined {
	if (!existsSync(path)) return undefined;
	const { mtimeMs } = statSync(path);
	const hit = cache.get(path);
	if (hit && hit.mtimeMs === mtimeMs) return hit.snapshot;
	const read = readSnapshotFile(path);
	if (read.status === 'missing') return undefined;
	if (read.status === 'invalid') throw new Error(`${read.error}\n  hint: re-record it with npm run verify -- --update`);
	cache.set(path, { mtimeMs, snapshot: read.snapshot });
	return read.snapshot;
}

/** Short versions for the badge: `6.18.44` → `6.18`, `iproute2-6.1.0` → `6.1`. */
export function shortVersion(version: string): string {
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

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { snapshotPath, targetSnapshotsDir } from '../book/paths.ts';
import { snapshotSchema, type Recorded, type Snapshot, type SnapshotBlock } from './schema.ts';

/** Result of reading a snapshot: absent, valid, or unreadable with the reason. */
export type ReadSnapshot = { status: 'missing' } | { status: 'ok'; snapshot: Snapshot; text: string } | { status: 'invalid'; error: string };

/** Reads and validates a snapshot file: the one reader of snapshots (verify, the site, the tests). */
export function readSnapshot(path: string): ReadSnapshot {
	if (!existsSync(path)) return { status: 'missing' };
	const text = readFileSync(path, 'utf8');
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (e) {
		return { status: 'invalid', error: `${path} is not JSON: ${(e as Error).message}` };
	}
	const parsed = snapshotSchema.safeParse(raw);
	if (!parsed.success)
		return { status: 'invalid', error: `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
	return { status: 'ok', snapshot: parsed.data, text };
}

/**
 * Serialises a snapshot: tabs, one key per line, but each `ip -j` entry of a state on one line
 * so diagrams' data stays readable in a diff.
 */
export function formatSnapshot(snapshot: Snapshot): string {
	snapshot.blocks.forEach(markState);
	const compact: string[] = [];
	const json = JSON.stringify(
		snapshot,
		function (this: unknown, key, value: unknown) {
			if (/^\d+$/.test(key) && value && typeof value === 'object' && isStateEntry(this)) {
				compact.push(JSON.stringify(value));
				return `\u0000${compact.length - 1}`;
			}
			return value;
		},
		'\t',
	);
	return `${json.replace(/"\\u0000(\d+)"/g, (_, n: string) => compact[Number(n)] ?? 'null')}\n`;
}

// The arrays of `ip -j` entries in states, marked before serialising.
const stateArrays = new WeakSet<object>();
function isStateEntry(array: unknown): boolean {
	return typeof array === 'object' && array !== null && stateArrays.has(array);
}
function markState(block: SnapshotBlock): SnapshotBlock {
	for (const host of Object.values(block.state ?? {}))
		for (const ns of Object.values(host)) for (const kind of [ns.link, ns.addr, ns.route, ns.neigh]) stateArrays.add(kind);
	return block;
}

const cache = new Map<string, { mtimeMs: number; size: number; snapshot: Snapshot }>();

/**
 * {@link readSnapshot} for readers that need a valid snapshot or none (the site, the tests):
 * cached until the file changes, undefined when it does not exist, and a thrown error naming the
 * file and what to do when it is not a valid snapshot.
 */
export function loadSnapshot(path: string): Snapshot | undefined {
	if (!existsSync(path)) return undefined;
	const { mtimeMs, size } = statSync(path);
	const hit = cache.get(path);
	if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.snapshot;
	const read = readSnapshot(path);
	if (read.status === 'missing') return undefined;
	if (read.status === 'invalid') throw new Error(`${read.error}\n  hint: re-record it with npm run verify -- --update`);
	cache.set(path, { mtimeMs, size, snapshot: read.snapshot });
	return read.snapshot;
}

/** Writes a snapshot (of `target`, default local) if its text changed; returns true when the file was written. */
export function writeSnapshot(root: string, snapshot: Snapshot, target?: string): boolean {
	const path = snapshotPath(root, snapshot.chapter, target);
	const text = formatSnapshot(snapshot);
	if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
	return true;
}

/**
 * What a snapshot set was recorded with: the `recorded` of its first readable chapter (a set is
 * one run, so they agree), or undefined when the set has none.
 */
export function recordedOfSet(root: string, set: string): Recorded | undefined {
	const dir = join(root, targetSnapshotsDir(set));
	const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
	for (const f of files) {
		const read = readSnapshot(join(dir, f));
		if (read.status === 'ok') return read.snapshot.recorded;
	}
	return undefined;
}

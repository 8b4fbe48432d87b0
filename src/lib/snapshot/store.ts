import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChapterResult } from '../lab/engine.ts';
import { matchBlocks, normaliseBlock, stateText } from './compare.ts';
import { createNormaliseContext, normaliseVolatile } from './normalise.ts';
import { snapshotSchema, type Snapshot, type SnapshotBlock } from './schema.ts';

/** Folder of the snapshots, relative to the repository root. */
export const SNAPSHOTS_DIR = 'content/snapshots';

/** Path of a chapter's snapshot. */
export function snapshotPath(root: string, chapter: string): string {
	return join(root, SNAPSHOTS_DIR, `${chapter}.json`);
}

/** Result of reading a snapshot: absent, valid, or unreadable with the reason. */
export type ReadSnapshot = { status: 'missing' } | { status: 'ok'; snapshot: Snapshot; text: string } | { status: 'invalid'; error: string };

/** Reads and validates a chapter's snapshot. */
export function readSnapshot(root: string, chapter: string): ReadSnapshot {
	return readSnapshotFile(snapshotPath(root, chapter));
}

/** Reads and validates a snapshot file by path (the site's plugin reads them this way too). */
export function readSnapshotFile(path: string): ReadSnapshot {
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

/** The snapshot a run would write, fresh (raw outputs of this run). */
export function snapshotFromRun(result: ChapterResult): Snapshot {
	return {
		chapter: result.chapter,
		recorded: result.recorded,
		blocks: result.blocks.map((b) => ({
			key: b.key,
			line: b.line,
			host: b.host,
			steps: b.steps.map((s) => ({ cmd: s.cmd, stdout: s.stdout, stderr: s.stderr, exit: s.exit })),
			...(b.state ? { state: b.state } : {}),
		})),
	};
}

function sameNormalised(a: readonly SnapshotBlock[], b: readonly SnapshotBlock[]): boolean {
	const ca = createNormaliseContext();
	const cb = createNormaliseContext();
	return a.every((x, i) => {
		const y = b[i];
		return y !== undefined && JSON.stringify(normaliseBlock(x, ca)) === JSON.stringify(normaliseBlock(y, cb));
	});
}

function sameVolatile(a: SnapshotBlock, b: SnapshotBlock): boolean {
	const v = (x: SnapshotBlock): string =>
		JSON.stringify([x.steps.map((s) => [normaliseVolatile(s.stdout), normaliseVolatile(s.stderr), s.exit]), stateText(x.state)]);
	return v(a) === v(b);
}

/**
 * The snapshot `--update` writes, churning as little as possible:
 * - when every block printed the same as before after normalisation, the old snapshot is kept
 *   as it was (only fence lines follow the chapter), so MACs and times do not churn;
 * - otherwise the run's raw outputs are taken, except blocks that differ from before only in
 *   per-run values (ping times and the like, no MACs), which keep their old text.
 * MACs never mix between runs, so a chapter's outputs stay consistent with each other.
 */
export function mergeForUpdate(result: ChapterResult, old: Snapshot | undefined): Snapshot {
	const fresh = snapshotFromRun(result);
	if (!old) return fresh;
	const { partners, unused } = matchBlocks(fresh.blocks, old.blocks);
	const relined = (o: SnapshotBlock, line: number): SnapshotBlock => ({ key: o.key, line, host: o.host, steps: o.steps, ...(o.state ? { state: o.state } : {}) });
	if (unused.length === 0 && partners.every(Boolean) && sameNormalised(fresh.blocks, partners as SnapshotBlock[]))
		return { chapter: old.chapter, recorded: old.recorded, blocks: fresh.blocks.map((b, i) => relined(partners[i] as SnapshotBlock, b.line)) };
	return {
		chapter: fresh.chapter,
		recorded: fresh.recorded,
		blocks: fresh.blocks.map((b, i) => {
			const o = partners[i];
			return o && sameVolatile(o, b) ? relined(o, b.line) : b;
		}),
	};
}

/** Writes a snapshot if its text changed; returns true when the file was written. */
export function writeSnapshot(root: string, snapshot: Snapshot): boolean {
	const path = snapshotPath(root, snapshot.chapter);
	const text = formatSnapshot(snapshot);
	if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
	return true;
}

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { astroBin } from './preview.ts';
import { median, timeRuns, round } from './stats.ts';

/** Runs `astro build` in `root`, throwing with its output when it fails. */
export function astroBuild(root: string): void {
	const res = spawnSync(process.execPath, [astroBin(root), 'build'], {
		cwd: root,
		encoding: 'utf8',
		env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
	});
	if (res.status !== 0) throw new Error(`astro build failed in ${root}:\n${res.stdout}\n${res.stderr}`);
}

/** Wall time of `astro build` (ms): every run and the median. */
export async function timeBuild(root: string, runs: number): Promise<{ runs: number[]; median: number }> {
	const times = await timeRuns(runs, () => astroBuild(root));
	return { runs: times.map((t) => round(t, 0)), median: round(median(times), 0) };
}

/** Total bytes and file count under a directory. */
export function dirSize(dir: string): { bytes: number; files: number } {
	let bytes = 0;
	let files = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		bytes += statSync(join(entry.parentPath, entry.name)).size;
		files += 1;
	}
	return { bytes, files };
}

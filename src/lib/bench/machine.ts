import { execSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';

/** What the figures were measured on, and at which commit. */
export interface MachineDescription {
	cpu: string;
	cores: number;
	memoryGiB: number;
	kernel: string;
	node: string;
	chromium: string;
}

/** Describes this machine for bench/results.json. */
export function describeMachine(chromiumPath: string): MachineDescription {
	let chromium = 'not found';
	try {
		chromium = execSync(`${chromiumPath} --version`, { encoding: 'utf8' }).trim();
	} catch {
		// keep "not found"
	}
	return {
		cpu: cpus()[0]?.model ?? 'unknown',
		cores: cpus().length,
		memoryGiB: Math.round(totalmem() / 2 ** 30),
		kernel: release(),
		node: process.version,
		chromium,
	};
}

/** The checked-out commit, with "+dirty" when the tree has uncommitted changes. */
export function currentCommit(root: string): string {
	try {
		const sha = execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim();
		const dirty = execSync('git status --porcelain --untracked-files=no', { cwd: root, encoding: 'utf8' }).trim();
		return dirty ? `${sha}+dirty` : sha;
	} catch {
		return 'unknown';
	}
}

/** The machine as Node.js reaches it: child processes, the file system, its crypto module. */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { System } from './system.ts';

export const nodeSystem: System = {
	run(program, args) {
		const ran = spawnSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		// A program that could not start (not on PATH) has no status: say why, as a shell would.
		return { status: ran.error ? null : ran.status, stdout: ran.stdout ?? '', stderr: ran.stderr || (ran.error?.message ?? '') };
	},
	files: {
		mkdirp: (dir) => void mkdirSync(dir, { recursive: true }),
		list: (dir) => readdirSync(dir),
		read: (path) => readFileSync(path, 'utf8'),
		write: (path, text, exclusive = false) => writeFileSync(path, text, { flag: exclusive ? 'wx' : 'w' }),
		remove: (path) => rmSync(path, { force: true }),
	},
	randomHex: (bytes) => randomBytes(bytes).toString('hex'),
	sha512Hex: (text) => createHash('sha512').update(text).digest('hex'),
};

// npm run typecheck: the whole project type-checked, with zero errors allowed.
//   1. astro sync     (writes .astro/types.d.ts for astro:content)
//   2. tsc --noEmit   (TypeScript 7, the project's pinned compiler: src, scripts, tests)
//   3. astro check    (the .astro files and what they import; @astrojs/check needs TypeScript 5
//                      or 6, so it has its own package in scripts/astro-check, installed here with
//                      npm ci on first use and whenever its lockfile changes)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tool = join(root, 'scripts/astro-check');
const bin = join(root, 'node_modules/.bin');

/** Runs a command in the repository root; stops with its exit code when it fails. */
function run(what, command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
	if (result.status !== 0) {
		if (options.quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
		process.stderr.write(`typecheck: ${what} failed (exit ${result.status ?? result.signal})\n`);
		process.exit(result.status || 1);
	}
}

/** Installs scripts/astro-check's own packages when they are missing or its lockfile changed. */
function ensureAstroCheck() {
	const lock = readFileSync(join(tool, 'package-lock.json'));
	const hash = createHash('sha256').update(lock).digest('hex');
	const stamp = join(tool, 'node_modules/.netbook-lock-sha256');
	if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
	process.stderr.write('typecheck: installing @astrojs/check in scripts/astro-check (npm ci, once)\n');
	run('npm ci in scripts/astro-check', 'npm', ['ci', '--prefix', tool, '--no-audit', '--no-fund', '--loglevel=error'], { quiet: true });
	writeFileSync(stamp, hash);
}

run('astro sync', join(bin, 'astro'), ['sync'], { quiet: true });
run('tsc --noEmit', join(bin, 'tsc'), ['--noEmit', '-p', '.']);
ensureAstroCheck();
run('astro check', process.execPath, [join(tool, 'node_modules/@astrojs/check/bin/astro-check.js'), '--root', root, '--noSync', '--minimumFailingSeverity', 'hint'], { quiet: true });

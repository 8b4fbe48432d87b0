import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Requirement } from './requirements.ts';

/**
 * Checks that the machine has every program a command of the project needs, and installs what
 * is missing when it can (root on Debian or Ubuntu, with apt-get). Silent when nothing is
 * missing. Each outcome is one line a person can act on.
 */

/**
 * Where Debian's packages put programs, in the order of the PATH that the lab sandbox sets. PATH
 * itself is not searched: a program someone installed by hand elsewhere (a pyenv shim, a
 * ~/.local/bin) is not what the sandbox or a fresh machine will run.
 */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The file a program name resolves to in the system directories, or undefined. */
export function findProgram(program: string): string | undefined {
	const executable = (file: string) => {
		try {
			accessSync(file, constants.X_OK);
			return true;
		} catch {
			return false;
		}
	};
	if (isAbsolute(program)) return executable(program) ? program : undefined;
	return SYSTEM_DIRS.map((dir) => join(dir, program)).find(executable);
}

/** What the preflight found, and what it did. */
export type PreflightResult =
	| { ok: true; installed: string[] }
	| { ok: false; message: string };

/** How the preflight reaches the machine; tests replace it. */
export interface PreflightHost {
	find(program: string): string | undefined;
	/** Root on a Debian-like system with apt-get: may install packages. */
	canInstall(): boolean;
	/** Runs apt-get update and install; returns undefined on success, else a one-line reason. */
	install(packages: string[]): string | undefined;
	log(line: string): void;
}

/** The exact command a person runs to install some packages. */
function installLine(packages: readonly string[]): string {
	return `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/**
 * Checks `requirements` and, when some are missing and `host.canInstall()`, installs their
 * packages (one line saying what and why), then checks again.
 * @param who the command being prepared, for messages: "npm test", "npm run verify".
 */
export function preflight(who: string, requirements: readonly Requirement[], host: PreflightHost): PreflightResult {
	const unknown = requirements.filter((r) => !r.package);
	if (unknown.length)
		return {
			ok: false,
			message:
				`${who}: no package is known for ${unknown.map((r) => `${r.program} (called in ${r.calledFrom.where})`).join(', ')}; ` +
				'add it to src/lib/book/packages.ts',
		};
	const missing = requirements.filter((r) => !host.find(r.program));
	if (!missing.length) return { ok: true, installed: [] };
	const packages = [...new Set(missing.map((r) => r.package!))].sort();
	const names = missing.map((r) => r.program).join(' ');
	if (!host.canInstall())
		return {
			ok: false,
			message: `${who}: missing programs: ${names}. Install them as root: ${installLine(packages)}`,
		};
	host.log(`${who}: installing ${packages.join(' ')} with apt-get (missing programs: ${names})`);
	const failure = host.install(packages);
	if (failure) return { ok: false, message: `${who}: ${failure}. Install them by hand as root: ${installLine(packages)}` };
	const still = missing.filter((r) => !host.find(r.program));
	if (still.length)
		return {
			ok: false,
			message: `${who}: still missing after apt-get: ${still.map((r) => `${r.program} (package ${r.package})`).join(', ')}`,
		};
	return { ok: true, installed: packages };
}

/** The real machine: PATH lookups, root and apt-get detection, apt-get with its output in a log file. */
export function machineHost(logDir: string): PreflightHost {
	return {
		find: (program) => findProgram(program),
		canInstall: () =>
			process.platform === 'linux' &&
			process.getuid?.() === 0 &&
			existsSync('/etc/debian_version') &&
			findProgram('apt-get') !== undefined,
		install(packages) {
			mkdirSync(logDir, { recursive: true });
			const log = join(logDir, 'apt-get.log');
			const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
			const output: string[] = [];
			for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...packages]]) {
				const r = spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
				output.push(`$ apt-get ${args.join(' ')}`, r.stdout ?? '', r.stderr ?? '');
				writeFileSync(log, output.join('\n'));
				if (r.status !== 0) {
					const last = (r.stderr || r.stdout || '').trim().split('\n').pop() ?? '';
					return `apt-get ${args[0]} failed (exit ${r.status ?? r.signal}: ${last}; full output in ${log})`;
				}
			}
			return undefined;
		},
		log: (line) => void process.stderr.write(`${line}\n`),
	};
}

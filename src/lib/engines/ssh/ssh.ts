/**
 * The real-kernel engine on a machine reached over SSH, such as the reader's own Raspberry Pi
 * (`--target ssh://pi@raspberrypi.local`). The same sandbox.sh runs there, sealed the same way,
 * so the machine's own network is never touched: the job goes in as a tar on ssh's standard
 * input, the sandbox's files come back as a tar on its standard output. BatchMode, the user's
 * own keys and ~/.ssh/config; `sudo -n` when the remote user is not root.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageOf } from '../../book/packages.ts';
import { programsOf } from '../../runbook/programs.ts';
import { definedFunctions } from '../../runbook/functions.ts';
import { EngineRefusedError, EngineRunError, type Engine } from '../engine.ts';
import { createSandboxEngine, type SandboxFiles, type SandboxRunOptions } from '../sandbox/engine.ts';
import type { SandboxJob } from '../sandbox/job.ts';
import { runSandboxCommand } from '../sandbox/process.ts';
import { SANDBOX_SCRIPT, SEAL_FLAGS, sandboxNeeds } from '../sandbox/script.ts';
import type { SshTarget } from './target.ts';

/** Options of {@link createSshEngine}. */
export interface SshEngineOptions {
	/** Extra `ssh` options before the host (tests pass `-F` with their own config). */
	sshOptions?: readonly string[];
}

/** Programs the remote side needs besides the sandbox's own: to unpack the job and seal the sandbox. */
const TRANSPORT_NEEDS = ['tar', 'mktemp', 'base64', 'setpriv', 'unshare', 'stat'];

/** `ssh` arguments that reach the target and run `command` there (a POSIX shell line). */
export function sshArgs(target: SshTarget, options: SshEngineOptions, command: string): string[] {
	return [
		'-o', 'BatchMode=yes',
		'-o', 'ConnectTimeout=15',
		...(target.port === undefined ? [] : ['-p', String(target.port)]),
		...(options.sshOptions ?? []),
		target.user ? `${target.user}@${target.host}` : target.host,
		'--',
		command,
	];
}

/**
 * A shell line that runs `script` whatever the login shell, without quoting trouble: the script
 * travels as base64 (letters, digits, + / =), and standard input stays free for the job's tar.
 */
export function remoteLine(script: string): string {
	return `sh -c "$(echo ${Buffer.from(script).toString('base64')} | base64 -d)"`;
}

/**
 * What runs on the remote for one job: unpack the job into a fresh folder, run sandbox.sh sealed
 * (as root, through `sudo -n` when needed), send the output folder back as a tar on standard
 * output, exit with the sandbox's status.
 */
export function remoteRunScript(): string {
	return [
		'set -eu',
		'd=$(mktemp -d /tmp/netbook-ssh.XXXXXX)',
		"trap 'rm -rf \"$d\"' EXIT",
		'tar -C "$d" -xf -',
		'mkdir "$d/out"',
		"sudo=''",
		'[ "$(id -u)" = 0 ] || sudo="sudo -n"',
		'net=$(stat -L -c %i /proc/self/ns/net)',
		'mnt=$(stat -L -c %i /proc/self/ns/mnt)',
		'rc=0',
		`$sudo setpriv --pdeathsig KILL -- unshare --kill-child=KILL ${SEAL_FLAGS.join(' ')} bash "$d/sandbox.sh" "$d/job.json" "$d/out" "$net" "$mnt" </dev/null || rc=$?`,
		'tar -C "$d/out" -cf - .',
		'exit "$rc"',
	].join('\n');
}

/** The remote check: which programs are missing, and whether it can act as root. */
export function remoteCheckScript(programs: readonly string[]): string {
	return [
		"missing=''",
		`for p in ${programs.map((p) => `'${p}'`).join(' ')}; do command -v "$p" >/dev/null 2>&1 || missing="$missing $p"; done`,
		'echo "missing:$missing"',
		'if [ "$(id -u)" = 0 ]; then echo root; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo sudo; else echo none; fi',
	].join('\n');
}

/** The one line that says what the target lacks and the exact apt-get line that installs it. */
export function missingLine(target: SshTarget, missing: readonly string[]): string {
	const packages = [...new Set(missing.flatMap((p) => packageOf(p)?.package ?? []))].sort();
	const unknown = missing.filter((p) => !packageOf(p));
	const install = packages.length ? `: on it, run: sudo apt-get install -y ${packages.join(' ')}` : '';
	const none = unknown.length ? ` (no Debian package is known for ${unknown.length === missing.length && unknown.length === 1 ? 'it' : unknown.join(', ')})` : '';
	return `${target.label} lacks ${missing.join(', ')}${install}${none}`;
}

/** Runs a short command on the target and returns its standard output; throws one line when ssh cannot. */
function sshOutput(target: SshTarget, options: SshEngineOptions, script: string): string {
	const r = spawnSync('ssh', sshArgs(target, options, remoteLine(script)), { encoding: 'utf8', timeout: 60_000 });
	if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
		throw new EngineRefusedError('the SSH target needs ssh (Debian: apt-get install openssh-client)');
	if (r.status !== 0)
		throw new EngineRefusedError(
			`cannot run commands on ${target.label} over ssh (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').at(-1) ?? ''}; check that "ssh ${target.user ? `${target.user}@` : ''}${target.host}" logs in without a password`,
		);
	return r.stdout;
}

/** Checks the target once for every set of programs a job needs; refuses with one line otherwise. */
function checker(target: SshTarget, options: SshEngineOptions): (job: SandboxJob) => void {
	const checked = new Set<string>();
	return (job) => {
		const own = definedFunctions(job.blocks.flatMap((b) => b.commands));
		const programs = [...new Set([...TRANSPORT_NEEDS, ...sandboxNeeds(), ...job.blocks.flatMap((b) => b.commands.flatMap((c) => programsOf(c)))])].filter((p) => !own.has(p)).sort();
		const todo = programs.filter((p) => !checked.has(p));
		if (todo.length === 0) return;
		const out = sshOutput(target, options, remoteCheckScript(todo));
		const missing = (/^missing:(.*)$/m.exec(out)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
		if (missing.length) throw new EngineRefusedError(missingLine(target, missing));
		if (/^none$/m.test(out))
			throw new EngineRefusedError(`${target.label}: the lab sandbox needs root there: log in as root, or let the user run sudo without a password (sudo -n)`);
		for (const p of todo) checked.add(p);
	};
}

/** Packs job.json and sandbox.sh into a tar, with this machine's tar. */
function jobTar(job: SandboxJob, dir: string): Buffer {
	const input = join(dir, 'in');
	mkdirSync(input);
	writeFileSync(join(input, 'job.json'), JSON.stringify(job));
	copyFileSync(SANDBOX_SCRIPT, join(input, 'sandbox.sh'));
	const r = spawnSync('tar', ['-C', input, '-cf', '-', 'job.json', 'sandbox.sh'], { maxBuffer: 1 << 30 });
	if (r.status !== 0) throw new EngineRefusedError(`cannot pack the job with tar: ${r.stderr.toString().trim()}`);
	return r.stdout;
}

/** Unpacks the sandbox's output tar and reads every file it holds. */
function readOutput(id: string, tar: Buffer, dir: string): SandboxFiles {
	const out = join(dir, 'out');
	mkdirSync(out);
	const r = spawnSync('tar', ['-C', out, '-xf', '-'], { input: tar });
	if (r.status !== 0) throw new EngineRunError(id, `the target sent back no readable output: ${r.stderr.toString().trim()}`);
	const files = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')] as const));
	if (!files.has('done')) throw new EngineRunError(id, 'the sandbox stopped before the end of the chapter (no "done" file)');
	return files;
}

/** The real-kernel engine on `target`, over SSH. */
export function createSshEngine(target: SshTarget, options: SshEngineOptions = {}): Engine {
	const check = checker(target, options);
	return createSandboxEngine(target.label, async (job: SandboxJob, run: SandboxRunOptions) => {
		check(job);
		const dir = mkdtempSync(join(tmpdir(), `netbook-ssh-${process.pid}-${run.id}-`));
		try {
			const stdout = await runSandboxCommand(
				{ program: 'ssh', args: sshArgs(target, options, remoteLine(remoteRunScript())), stdin: jobTar(job, dir), missing: 'the SSH target needs ssh (Debian: apt-get install openssh-client)' },
				run,
			);
			return readOutput(run.id, stdout, dir);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
}

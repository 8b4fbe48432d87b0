import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineRefusedError, EngineRunError, type Engine } from '../engine.ts';
import { createSandboxEngine, type SandboxFiles, type SandboxRunOptions } from '../sandbox/engine.ts';
import { runSandboxCommand } from '../sandbox/process.ts';
import { SANDBOX_SCRIPT, SEAL_FLAGS } from '../sandbox/script.ts';
import type { SandboxJob } from '../sandbox/job.ts';
import type { Recorded } from '../../snapshot/schema.ts';

/** Options of {@link createKernelEngine}. */
export interface KernelEngineOptions {
	/**
	 * unshare flags that seal the sandbox. Only tests change this, to prove the sandbox refuses to
	 * run when it is not sealed.
	 */
	sealFlags?: string[];
}

/**
 * Checks that this process may run the kernel engine: Linux, root. Throws
 * {@link EngineRefusedError} with one line saying what is needed otherwise.
 */
function assertKernelHost(): void {
	if (process.platform !== 'linux')
		throw new EngineRefusedError(
			`the kernel engine needs Linux (this is ${process.platform}): run it in a Linux VM or CI, or use --engine sim`,
		);
	const uid = process.getuid?.();
	if (uid !== 0)
		throw new EngineRefusedError(
			`the kernel engine needs root on Linux (running as uid ${uid}): run it as root, e.g. in the CI container, or use --engine sim`,
		);
}

const RUN_DIR = /^netbook-run-(\d+)-/;

/**
 * Removes the temp folders (job and raw outputs) of runs whose process is gone, e.g. killed with
 * SIGKILL: the kernel cleans up the sandbox itself, but not files in the real /tmp.
 */
export function sweepStaleRuns(dir = tmpdir()): string[] {
	const removed: string[] = [];
	for (const name of readdirSync(dir)) {
		const pid = Number(RUN_DIR.exec(name)?.[1]);
		if (!pid || pid === process.pid) continue;
		try {
			process.kill(pid, 0);
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ESRCH') continue;
			rmSync(join(dir, name), { recursive: true, force: true });
			removed.push(join(dir, name));
		}
	}
	return removed;
}

/**
 * Settings of this machine that leak into the sandbox: a new network namespace copies the IPv4
 * settings of the machine's own (a kernel rule), so namespaces that chapters create would differ.
 */
export function kernelHostWarnings(recordedWith: readonly Pick<Recorded, 'iproute2' | 'iptables' | 'os'>[] = []): string[] {
	const warnings: string[] = [];
	try {
		if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '0')
			warnings.push('this machine has net.ipv4.ip_forward = 1: namespaces that chapters create inherit it, so outputs may differ from the snapshots');
	} catch {
		// not Linux: the engine itself refuses with its own line
	}
	const here = hostToolVersions();
	const differ = recordedWith.find((r) => (here.iproute2 && r.iproute2 !== here.iproute2) || (here.iptables && r.iptables !== here.iptables));
	if (differ)
		warnings.push(
			`the snapshots were recorded with iproute2 ${differ.iproute2} and iptables ${differ.iptables} (${differ.os}); this machine has ` +
				`iproute2 ${here.iproute2 ?? '?'} and iptables ${here.iptables ?? '?'}, which print some outputs differently ` +
				'(docs/verify.md, "Tool versions"): expect mismatches that are spelling, not behaviour',
		);
	return warnings;
}

/** This machine's iproute2 and iptables versions, spelled as a snapshot's `recorded` spells them. */
export function hostToolVersions(): { iproute2: string | undefined; iptables: string | undefined } {
	return { iproute2: toolVersion('ip', /iproute2-([^ ,]+)/), iptables: toolVersion('iptables', /v(\S+(?: \([^)]*\))?)/) };
}

/** A tool's version as its `-V` prints it, or undefined when it cannot be run. */
function toolVersion(tool: string, pattern: RegExp): string | undefined {
	const r = spawnSync(tool, ['-V'], { encoding: 'utf8' });
	return pattern.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)?.[1];
}

function nsInode(kind: 'net' | 'mnt'): string {
	return String(statSync(`/proc/self/ns/${kind}`).ino);
}

/**
 * Runs one job in a fresh sealed sandbox (see sandbox.sh) and returns every file it wrote. Throws
 * {@link EngineRefusedError} when the sandbox refuses, {@link EngineRunError} when it fails or
 * stops before the end. The engine runs chapters with it; tests run jobs of their own (e.g. a
 * chapter script several times on a lab given some state first).
 */
export async function runSandbox(job: SandboxJob, options: SandboxRunOptions & { sealFlags?: string[] }): Promise<SandboxFiles> {
	assertKernelHost();
	sweepStaleRuns();
	const dir = mkdtempSync(join(tmpdir(), `netbook-run-${process.pid}-${options.id}-`));
	try {
		const jobFile = join(dir, 'job.json');
		const out = join(dir, 'out');
		writeFileSync(jobFile, JSON.stringify(job));
		mkdirSync(out);
		// A private copy: bash reads scripts as it goes, so editing sandbox.sh must not reach a running sandbox.
		const script = join(dir, 'sandbox.sh');
		copyFileSync(SANDBOX_SCRIPT, script);
		await launch(options, [script, jobFile, out], options.sealFlags ?? [...SEAL_FLAGS]);
		if (!existsSync(join(out, 'done'))) throw new EngineRunError(options.id, 'the sandbox stopped before the end of the chapter (no "done" file)');
		return new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The real-kernel engine on this machine: each chapter runs in its own sealed sandbox (see
 * sandbox.sh), torn down by the kernel when the sandbox's PID 1 exits, also when this process is
 * killed (`setpriv --pdeathsig KILL` + `unshare --kill-child`).
 */
export function createKernelEngine(options: KernelEngineOptions = {}): Engine {
	return createSandboxEngine('kernel', (job, run) => runSandbox(job, { ...run, ...(options.sealFlags ? { sealFlags: options.sealFlags } : {}) }));
}

/** Starts sandbox.sh sealed on this machine; resolves when it ran to the end. */
async function launch(options: SandboxRunOptions, args: string[], sealFlags: string[]): Promise<void> {
	await runSandboxCommand(
		{
			program: 'setpriv',
			args: ['--pdeathsig', 'KILL', '--', 'unshare', '--kill-child=KILL', ...sealFlags, 'bash', ...args, nsInode('net'), nsInode('mnt')],
			missing: 'the kernel engine needs setpriv and unshare (Debian: apt-get install util-linux)',
		},
		options,
	);
}

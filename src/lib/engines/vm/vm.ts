/**
 * The VM transport: each chapter's sandbox job runs in a fresh Linux VM under QEMU, without
 * root, on a Debian kernel of the chosen architecture (image.sh builds the image, init.sh is the
 * guest's PID 1). The job goes in through fw_cfg, the results come out through a virtio-serial
 * port into a file, progress comes on the console. The VM has no network device that reaches
 * outside: its only NICs are pairs on QEMU hubs, the two ends of a lab host's uplink.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Lab } from '../../shared/lab.ts';
import { EngineRefusedError, EngineRunError, type Engine } from '../engine.ts';
import { createSandboxEngine, type SandboxFiles, type SandboxRunOptions } from '../sandbox/engine.ts';
import type { SandboxJob, SandboxNic } from '../sandbox/job.ts';

/** The architectures a VM target runs. */
export type VmArch = 'arm64' | 'x86_64';

/** How QEMU runs one architecture. */
interface ArchProfile {
	qemu: string;
	/** Debian package of the QEMU binary. */
	package: string;
	/** Machine, CPU and accelerator. */
	machine: string[];
	console: string;
}

const ARCHES: Record<VmArch, ArchProfile> = {
	// cortex-a72 (a Pi 4's core), not -cpu max: pointer authentication makes TCG much slower.
	arm64: { qemu: 'qemu-system-aarch64', package: 'qemu-system-arm', machine: ['-M', 'virt', '-cpu', 'cortex-a72'], console: 'ttyAMA0' },
	x86_64: { qemu: 'qemu-system-x86_64', package: 'qemu-system-x86', machine: ['-M', 'q35'], console: 'ttyS0' },
};

/** The image builder (scripts/vm-image.sh runs it too). */
export const IMAGE_SCRIPT = resolve(import.meta.dirname, 'image.sh');
const SANDBOX_SCRIPT = resolve(import.meta.dirname, '../sandbox/sandbox.sh');

/** Every architecture a VM target runs, as `vm:<arch>` names them. */
export const VM_ARCHES = Object.keys(ARCHES) as readonly VmArch[];

/** True for `arm64` and `x86_64`. */
export function isVmArch(arch: string): arch is VmArch {
	return Object.hasOwn(ARCHES, arch);
}

/** Options of {@link createVmEngine}. */
export interface VmEngineOptions {
	/** Gets the image builder's progress lines (`vm-image: <stage> (<seconds> s)`). */
	onLog?: (line: string) => void;
	/**
	 * Give the guest a fixed instruction clock (`-icount shift=1,sleep=off`): its timeouts stop
	 * depending on the host's load and its idle waits cost no wall time. Default false: measured
	 * here it saved no CPU time, and a packet between two NICs of the VM could wait for the next
	 * guest timer (a first ping took 1021 ms), which would turn `ping -W 1` into a lost reply
	 * (docs/targets.md).
	 */
	icount?: boolean;
	/** The image folder to boot (default: built or reused by image.sh). */
	image?: string;
}

/**
 * The lab interfaces that are NICs of the VM: every host's uplink (the `machine` lab's `eth0`,
 * as on a Pi), with the MACs that sandbox.sh gives the veths it would otherwise make: the n-th
 * interface of the lab (hosts in order) `02:00:00:00:00:n`, the far end of its wire `02:00:00:00:01:n`.
 */
export function labNics(lab: Lab): SandboxNic[] {
	const mac = (side: number, n: number): string => `02:00:00:00:${hex(side)}:${hex(n)}`;
	const nics: SandboxNic[] = [];
	let n = 0;
	for (const host of lab.hosts)
		for (const i of host.interfaces) {
			n++;
			if (i.uplink) nics.push({ host: host.name, name: i.name, mac: mac(0, n), wire: mac(1, n) });
		}
	return nics;
}

const hex = (n: number): string => n.toString(16).padStart(2, '0');

/** Files of one VM run. */
export interface VmFiles {
	kernel: string;
	initrd: string;
	/** The job: a tar of job.json and sandbox.sh. */
	job: string;
	/** Where the guest's results tar lands. */
	out: string;
}

/**
 * QEMU's command line for one run: no default devices, the console on stdout, the job in
 * fw_cfg, a virtio-serial port into `files.out`, and for each NIC pair two virtio NICs on a hub
 * of their own, which has no host backend: nothing the guest sends can leave the VM.
 */
export function qemuArgs(arch: VmArch, files: VmFiles, nics: readonly SandboxNic[], options: { icount?: boolean } = {}): string[] {
	const p = ARCHES[arch];
	const nicArgs = nics.flatMap((nic, k) =>
		[nic.mac, nic.wire].flatMap((mac, side) => {
			const id = `hub${k}${side ? 'w' : 'h'}`;
			return ['-netdev', `hubport,id=${id},hubid=${k}`, '-device', `virtio-net-pci,netdev=${id},mac=${mac},romfile=`];
		}),
	);
	return [
		...p.machine,
		'-accel', 'tcg,tb-size=128',
		...(options.icount ? ['-icount', 'shift=1,sleep=off'] : []),
		'-smp', '1', '-m', '512',
		'-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
		'-serial', 'stdio',
		'-kernel', files.kernel, '-initrd', files.initrd,
		'-append', `console=${p.console} quiet panic=-1 mitigations=off`,
		'-fw_cfg', `name=opt/netbook/job,file=${files.job}`,
		'-device', 'virtio-serial-pci,id=vs',
		'-chardev', `file,id=out,path=${files.out}`,
		'-device', 'virtserialport,bus=vs.0,chardev=out,name=netbook.out',
		...nicArgs,
	];
}

/** A program's path in the system directories, or undefined. */
function findProgram(program: string): string | undefined {
	return ['/usr/local/bin', '/usr/bin', '/bin'].map((d) => join(d, program)).find((f) => existsSync(f));
}

const images = new Map<VmArch, Promise<string>>();

/** NETBOOK_VM_DEBUG=1: every console line of every VM goes to stderr, with the seconds since QEMU started. */
const DEBUG = process.env['NETBOOK_VM_DEBUG'] === '1';

/**
 * The image folder of `arch` (vmlinuz, initrd.img…), built by image.sh when its inputs changed,
 * once per process. Throws {@link EngineRefusedError} with the builder's last line when it fails.
 */
export function vmImage(arch: VmArch, onLog?: (line: string) => void): Promise<string> {
	const known = images.get(arch);
	if (known) return known;
	const built = new Promise<string>((resolvePromise, reject) => {
		const child = spawn('bash', [IMAGE_SCRIPT, arch], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let said = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => {
			said += d;
			const lines = said.split('\n');
			said = lines.pop() ?? '';
			for (const line of lines) {
				onLog?.(line);
				last = line;
			}
		});
		let last = '';
		child.on('error', (e) => reject(new EngineRefusedError(`cannot build the ${arch} VM image: ${e.message}`)));
		child.on('close', (code) => {
			const folder = stdout.trim();
			if (code === 0 && existsSync(join(folder, 'ok'))) return resolvePromise(folder);
			reject(new EngineRefusedError(`cannot build the ${arch} VM image: ${(said || last).replace(/^vm-image: /, '') || `exit ${code}`}`));
		});
	});
	images.set(arch, built);
	built.catch(() => images.delete(arch));
	return built;
}

/** How long a VM may take to boot, and to stay silent after that, before it is stopped. */
function limits(timeoutSec: number): { bootMs: number; silentMs: number } {
	return { bootMs: 180_000, silentMs: Math.max(300, timeoutSec * 10 + 120) * 1000 };
}

/** Runs one sandbox job in a fresh VM of `arch` and returns every file the sandbox wrote. */
export async function runInVm(arch: VmArch, job: SandboxJob, options: SandboxRunOptions & VmEngineOptions): Promise<SandboxFiles> {
	const profile = ARCHES[arch];
	if (!findProgram(profile.qemu))
		throw new EngineRefusedError(`the vm:${arch} target needs ${profile.qemu} (Debian: apt-get install ${profile.package})`);
	const image = options.image ?? (await vmImage(arch, options.onLog));
	const dir = mkdtempSync(join(tmpdir(), `netbook-vm-${process.pid}-${options.id}-`));
	try {
		const nics = job.nics ?? [];
		writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
		copyFileSync(SANDBOX_SCRIPT, join(dir, 'sandbox.sh'));
		const files: VmFiles = { kernel: join(image, 'vmlinuz'), initrd: join(image, 'initrd.img'), job: join(dir, 'job.tar'), out: join(dir, 'out.tar') };
		const packed = spawnSync('tar', ['-cf', files.job, '-C', dir, 'job.json', 'sandbox.sh'], { encoding: 'utf8' });
		if (packed.status !== 0) throw new EngineRunError(options.id, `cannot pack the job: ${packed.stderr.trim()}`);
		const console = await boot(profile.qemu, qemuArgs(arch, files, nics, options), options);
		const results = join(dir, 'results');
		mkdirSync(results);
		const opened = existsSync(files.out) && statSync(files.out).size > 0 ? spawnSync('tar', ['-xf', files.out, '-C', results], { encoding: 'utf8' }) : undefined;
		if (!opened || opened.status !== 0 || !existsSync(join(results, 'exit')))
			throw new EngineRunError(options.id, `the VM stopped before the end of the chapter (no results)${tail(console)}`);
		const code = Number(readFileSync(join(results, 'exit'), 'utf8').trim());
		const said = readFileSync(join(results, 'stderr'), 'utf8').trim().split('\n').filter(Boolean);
		const first = (said.find((l) => l.startsWith('sandbox: ')) ?? said[0] ?? '').replace(/^sandbox: /, '');
		if (code === 3) throw new EngineRefusedError(first || 'the sandbox refused to run');
		if (code === 4) throw new EngineRunError(options.id, `${first}\n  hint: check the lab "${options.lab}" in examples/labs/`);
		if (code !== 0) throw new EngineRunError(options.id, `the sandbox failed (exit ${code})${tail(said.join('\n'))}`);
		const out = join(results, 'out');
		if (!existsSync(join(out, 'done'))) throw new EngineRunError(options.id, 'the sandbox stopped before the end of the chapter (no "done" file)');
		return new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The last lines of some output, indented, for an error message ('' when there are none). */
function tail(text: string): string {
	const lines = text.trim().split('\n').filter(Boolean).slice(-5);
	return lines.length ? `:\n  ${lines.join('\n  ')}` : '';
}

/**
 * Boots QEMU and waits until it stops; passes `progress` lines of the console to onProgress.
 * Resolves with the console's other lines (kernel and init diagnostics). Stops QEMU (by PID,
 * SIGKILL) when the run is aborted, when it does not boot in time or falls silent.
 */
function boot(qemu: string, args: string[], options: SandboxRunOptions): Promise<string> {
	const { id, total } = options;
	const { bootMs, silentMs } = limits(options.timeoutSec ?? 30);
	return new Promise((resolvePromise, reject) => {
		if (options.signal?.aborted) return reject(new EngineRunError(id, 'aborted'));
		const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let done = 0;
		let console = '';
		let pending = '';
		let booted = false;
		let stopped: string | undefined;
		const stop = (why: string): void => {
			stopped ??= why;
			child.kill('SIGKILL');
		};
		let timer = setTimeout(() => stop(`the VM did not boot within ${bootMs / 1000} s`), bootMs);
		const abort = (): void => stop('aborted');
		options.signal?.addEventListener('abort', abort, { once: true });
		const started = Date.now();
		const line = (raw: string): void => {
			const text = raw.replace(/\r$/, '');
			if (DEBUG) process.stderr.write(`[${id} ${((Date.now() - started) / 1000).toFixed(2)} s] ${text}\n`);
			if (/^progress \d+ \d+( \d+)?$/.test(text)) options.onProgress?.(++done, total);
			else if (/^vm: ready \d+$/.test(text)) booted = true;
			else if (text) console += `${text}\n`;
			if (booted) {
				clearTimeout(timer);
				timer = setTimeout(() => stop(`the VM printed nothing for ${silentMs / 1000} s and was stopped`), silentMs);
			}
		};
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			lines.forEach(line);
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (console += chunk));
		child.on('error', (e) => {
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', abort);
			reject(new EngineRunError(id, `cannot start ${qemu}: ${e.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', abort);
			line(pending);
			if (stopped) return reject(new EngineRunError(id, stopped === 'aborted' ? 'aborted' : `${stopped}${tail(console)}`));
			if (code !== 0) return reject(new EngineRunError(id, `QEMU failed (${signal ?? `exit ${code}`})${tail(console)}`));
			resolvePromise(console);
		});
	});
}

/**
 * The real-kernel engine in a Linux VM of `arch` (target `vm:arm64`, `vm:x86_64`): a fresh VM
 * per chapter, the lab's uplinks real NICs of the VM. Needs QEMU, not root.
 */
export function createVmEngine(arch: VmArch, options: VmEngineOptions = {}): Engine {
	return createSandboxEngine(`vm:${arch}`, (job, run) => {
		const nics = labNics(job.lab);
		return runInVm(arch, nics.length ? { ...job, nics } : job, { ...options, ...run });
	});
}

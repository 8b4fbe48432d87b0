/**
 * The VM transport: each chapter's sandbox job runs in a Linux VM under QEMU, without root, on a
 * Debian kernel of the chosen architecture (image.sh builds the image, init.sh is the guest's
 * PID 1). A VM takes one chapter after another, each in a fresh sandbox (machine.ts: jobs in and
 * results out over a virtio-serial port, progress on the console). The VM has no network device
 * that reaches outside: its only NICs are pairs on QEMU hubs, the two ends of a lab host's uplink.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Lab } from '../../shared/lab.ts';
import { EngineRefusedError, EngineRunError, type Engine } from '../engine.ts';
import { createSandboxEngine, type SandboxFiles, type SandboxRunOptions } from '../sandbox/engine.ts';
import type { SandboxJob, SandboxNic } from '../sandbox/job.ts';
import { Machine, tail, type MachineResult } from './machine.ts';

/** The architectures a VM target runs. */
export type VmArch = 'arm64' | 'x86_64';

/** How QEMU runs one architecture. */
interface ArchProfile {
	qemu: string;
	/** Debian package of the QEMU binary. */
	package: string;
	/** Machine and CPU under TCG. */
	machine: string[];
	/** Machine and CPU under KVM (the host's own CPU). */
	kvmMachine: string[];
	/** `uname -m` of a host that can run this architecture under KVM. */
	hostMachine: string;
	console: string;
}

const ARCHES: Record<VmArch, ArchProfile> = {
	// cortex-a72 (a Pi 4's core), not -cpu max: pointer authentication makes TCG much slower.
	arm64: {
		qemu: 'qemu-system-aarch64',
		package: 'qemu-system-arm',
		machine: ['-M', 'virt', '-cpu', 'cortex-a72'],
		kvmMachine: ['-M', 'virt,gic-version=max', '-cpu', 'host'],
		hostMachine: 'aarch64',
		console: 'ttyAMA0',
	},
	x86_64: { qemu: 'qemu-system-x86_64', package: 'qemu-system-x86', machine: ['-M', 'q35'], kvmMachine: ['-M', 'q35', '-cpu', 'host'], hostMachine: 'x86_64', console: 'ttyS0' },
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
	/**
	 * `kvm` runs the guest on the host's CPU (the same architecture only, /dev/kvm writable):
	 * near the host's own speed where KVM works (e.g. CI runners). Default `tcg`, or the
	 * environment's NETBOOK_VM_ACCEL: KVM is not probed, because where it is present but broken
	 * (as on the machine these figures come from) QEMU hangs or aborts instead of falling back.
	 */
	accel?: VmAccel;
	/** The image folder to boot (default: built or reused by image.sh). */
	image?: string;
}

/** How QEMU runs the guest's instructions. */
export type VmAccel = 'tcg' | 'kvm';

/** The accelerator NETBOOK_VM_ACCEL asks for (`tcg` when unset); throws on anything else. */
export function accelFromEnv(value = process.env['NETBOOK_VM_ACCEL']): VmAccel {
	if (value === undefined || value === '' || value === 'tcg') return 'tcg';
	if (value === 'kvm') return 'kvm';
	throw new EngineRefusedError(`NETBOOK_VM_ACCEL=${value}: use tcg (the default) or kvm`);
}

/** Refuses KVM for a guest of another architecture than the host's. */
function checkAccel(arch: VmArch, accel: VmAccel): void {
	if (accel !== 'kvm') return;
	const host = spawnSync('uname', ['-m'], { encoding: 'utf8' }).stdout.trim();
	if (host !== ARCHES[arch].hostMachine)
		throw new EngineRefusedError(`NETBOOK_VM_ACCEL=kvm runs vm:${arch} only on a ${ARCHES[arch].hostMachine} host (this one is ${host}): unset it to use TCG`);
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

/** The files a VM boots from, and its control socket. */
export interface VmFiles {
	kernel: string;
	initrd: string;
	/** The Unix socket of the control port: jobs in, results out (machine.ts). */
	control: string;
}

/** A NIC pair of a VM: two virtio NICs on one hub (a lab interface and the far end of its wire). */
export interface NicPair {
	mac: string;
	wire: string;
}

/**
 * QEMU's command line for one VM: no default devices, the console on stdout, the control port
 * (virtio-serial on a Unix socket that QEMU listens on), and for each NIC pair two virtio NICs
 * on a hub of their own, which has no host backend: nothing the guest sends can leave the VM.
 */
export function qemuArgs(arch: VmArch, files: VmFiles, nics: readonly NicPair[], options: { icount?: boolean; accel?: VmAccel } = {}): string[] {
	const p = ARCHES[arch];
	const nicArgs = nics.flatMap((nic, k) =>
		[nic.mac, nic.wire].flatMap((mac, side) => {
			const id = `hub${k}${side ? 'w' : 'h'}`;
			return ['-netdev', `hubport,id=${id},hubid=${k}`, '-device', `virtio-net-pci,netdev=${id},mac=${mac},romfile=`];
		}),
	);
	return [
		...(options.accel === 'kvm' ? [...p.kvmMachine, '-accel', 'kvm'] : [...p.machine, '-accel', 'tcg,tb-size=128']),
		...(options.icount && options.accel !== 'kvm' ? ['-icount', 'shift=1,sleep=off'] : []),
		'-smp', '1', '-m', '1024',
		'-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
		'-serial', 'stdio',
		'-kernel', files.kernel, '-initrd', files.initrd,
		'-append', `console=${p.console} quiet panic=-1 mitigations=off`,
		'-device', 'virtio-serial-pci,id=vs',
		'-chardev', `socket,id=control,path=${files.control},server=on,wait=off`,
		'-device', 'virtserialport,bus=vs.0,chardev=control,name=netbook.control',
		...nicArgs,
	];
}

/** A program's path in the system directories, or undefined. */
function findProgram(program: string): string | undefined {
	return ['/usr/local/bin', '/usr/bin', '/bin'].map((d) => join(d, program)).find((f) => existsSync(f));
}

const images = new Map<string, Promise<string>>();

/**
 * The image folder of `arch` (vmlinuz, initrd.img…), built by image.sh when its inputs changed,
 * once per process; `v86` is the image of the v86 target (src/lib/engines/v86/). Throws
 * {@link EngineRefusedError} with the builder's last line when it fails.
 */
export function vmImage(arch: VmArch | 'v86', onLog?: (line: string) => void): Promise<string> {
	// (per cache folder too: the bench builds a cold image in a scratch NETBOOK_CACHE)
	const key = `${arch} ${process.env['NETBOOK_CACHE'] ?? ''}`;
	const known = images.get(key);
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
	images.set(key, built);
	built.catch(() => images.delete(key));
	return built;
}

/** How long a job may stay silent (no progress, no diagnostic) before its VM is stopped, ms. */
function silentMs(timeoutSec: number): number {
	return Math.max(300, timeoutSec * 10 + 120) * 1000;
}

/**
 * Every VM gets this NIC pair, whatever the job that booted it needs: the `machine` lab's uplink
 * (the first interface of a lab, `02:00:00:00:00:01`). Unused NICs stay in the VM's own network
 * namespace, where no sandbox sees them, so one VM serves chapters with and without an uplink.
 */
const DEFAULT_NICS: readonly NicPair[] = [{ mac: '02:00:00:00:00:01', wire: '02:00:00:00:01:01' }];

/** Idle VMs stop after this long without a job (verify starts the next chapter at once), ms. */
const IDLE_MS = 2000;

/**
 * The VMs of one engine: a job takes an idle VM that has its NICs, or boots a new one; when the
 * job ends the VM waits {@link IDLE_MS} for the next and then powers off. At most as many VMs
 * run as jobs run at once (verify's --concurrency).
 */
class VmPool {
	private readonly idle = new Set<Machine>();
	private readonly timers = new Map<Machine, NodeJS.Timeout>();
	private booted = 0;
	/** The host was found fit (QEMU there, the accelerator usable): checked once, at the first job. */
	private hostChecked = false;
	readonly accel: VmAccel;

	constructor(
		private readonly arch: VmArch,
		private readonly options: VmEngineOptions,
	) {
		this.accel = options.accel ?? accelFromEnv();
	}

	/** Refuses (EngineRefusedError) when this machine cannot run the VMs: no QEMU, KVM for another architecture. */
	private checkHost(): void {
		if (this.hostChecked) return;
		const profile = ARCHES[this.arch];
		if (!findProgram(profile.qemu))
			throw new EngineRefusedError(`the vm:${this.arch} target needs ${profile.qemu} (Debian: apt-get install ${profile.package})`);
		checkAccel(this.arch, this.accel);
		this.hostChecked = true;
	}

	async run(job: SandboxJob, run: SandboxRunOptions): Promise<SandboxFiles> {
		this.checkHost();
		const wanted = (job.nics ?? []).flatMap((n) => [n.mac.toLowerCase(), n.wire.toLowerCase()]);
		const machine = await this.acquire(wanted, job, run);
		let done = 0;
		try {
			const result = await machine.run({
				id: run.id,
				tar: packJob(job, run.id),
				silentMs: silentMs(run.timeoutSec ?? 30),
				...(run.onProgress ? { onProgress: () => run.onProgress?.(++done, run.total) } : {}),
				...(run.signal ? { signal: run.signal } : {}),
			});
			return sandboxFiles(result, run);
		} finally {
			this.release(machine);
		}
	}

	private async acquire(wanted: readonly string[], job: SandboxJob, run: SandboxRunOptions): Promise<Machine> {
		for (const m of this.idle)
			if (m.alive && wanted.every((mac) => m.macs.has(mac))) {
				this.idle.delete(m);
				clearTimeout(this.timers.get(m));
				this.timers.delete(m);
				return m;
			}
		const image = this.options.image ?? (await vmImage(this.arch, this.options.onLog));
		const pairs = [...DEFAULT_NICS];
		for (const n of job.nics ?? []) if (!pairs.some((p) => p.mac === n.mac.toLowerCase())) pairs.push({ mac: n.mac.toLowerCase(), wire: n.wire.toLowerCase() });
		const name = `vm:${this.arch}#${++this.booted}`;
		this.options.onLog?.(`vm: booting ${name} for ${run.id}`);
		const started = Date.now();
		try {
			const machine = await Machine.boot(
				{
					qemu: ARCHES[this.arch].qemu,
					macs: pairs.flatMap((p) => [p.mac, p.wire]),
					args: (control) =>
						qemuArgs(this.arch, { kernel: join(image, 'vmlinuz'), initrd: join(image, 'initrd.img'), control }, pairs, { ...this.options, accel: this.accel }),
				},
				name,
				run.signal,
			);
			this.options.onLog?.(`vm: ${name} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
			return machine;
		} catch (e) {
			throw new EngineRunError(run.id, (e as Error).message);
		}
	}

	private release(machine: Machine): void {
		if (!machine.alive) return;
		this.idle.add(machine);
		this.timers.set(
			machine,
			setTimeout(() => {
				this.idle.delete(machine);
				this.timers.delete(machine);
				void machine.close();
			}, IDLE_MS),
		);
	}
}

/** The job as the guest takes it: a tar of job.json and sandbox.sh. */
function packJob(job: SandboxJob, id: string): Buffer {
	const dir = mkdtempSync(join(tmpdir(), `netbook-job-${process.pid}-`));
	try {
		writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
		copyFileSync(SANDBOX_SCRIPT, join(dir, 'sandbox.sh'));
		const packed = spawnSync('tar', ['-cf', '-', '-C', dir, 'job.json', 'sandbox.sh'], { maxBuffer: 64 << 20 });
		if (packed.status !== 0) throw new EngineRunError(id, `cannot pack the job: ${packed.stderr.toString().trim()}`);
		return packed.stdout;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * sandbox.sh's exit code read as the local transport reads it; the files it wrote. For every
 * transport that brings back a guest's results (QEMU's VMs, v86).
 */
export function sandboxFiles(result: Pick<MachineResult, 'exit' | 'stderr' | 'files'>, run: SandboxRunOptions): SandboxFiles {
	const said = result.stderr.trim().split('\n').filter(Boolean);
	const first = (said.find((l) => l.startsWith('sandbox: ')) ?? said[0] ?? '').replace(/^sandbox: /, '');
	if (result.exit === 3) throw new EngineRefusedError(first || 'the sandbox refused to run');
	if (result.exit === 4) throw new EngineRunError(run.id, `${first}\n  hint: check the lab "${run.lab}" in examples/labs/`);
	if (result.exit !== 0) throw new EngineRunError(run.id, `the sandbox failed (exit ${result.exit})${tail(said.join('\n'))}`);
	if (!result.files.has('done')) throw new EngineRunError(run.id, 'the sandbox stopped before the end of the chapter (no "done" file)');
	return result.files;
}

/**
 * The real-kernel engine in Linux VMs of `arch` (target `vm:arm64`, `vm:x86_64`): each chapter
 * a fresh sandbox in a VM that stays up for the next chapter, the lab's uplinks real NICs of the
 * VM. Needs QEMU, not root.
 */
export function createVmEngine(arch: VmArch, options: VmEngineOptions = {}): Engine {
	const pool = new VmPool(arch, options);
	const slower = pool.accel === 'tcg' ? TCG_TIMEOUT_FACTOR : 1;
	return createSandboxEngine(`vm:${arch}`, (job, run) => {
		const nics = labNics(job.lab);
		const timeout = job.timeout * slower;
		return pool.run({ ...job, timeout, ...(nics.length ? { nics } : {}) }, { ...run, timeoutSec: timeout });
	});
}

/**
 * Under TCG a guest runs programs about 20 times slower than this machine does (docs/targets.md):
 * chapter 8's `python3 -m http.server` needs more than the 30 s a command gets by default
 * before it answers. Each command's timeout is multiplied by this under TCG.
 */
export const TCG_TIMEOUT_FACTOR = 4;

/**
 * One running VM that takes sandbox jobs one after another, as this machine's kernel takes one
 * chapter's sandbox after another: booting, loading modules and warming QEMU's translation cache
 * are paid once per VM instead of once per chapter. Every job still gets a fresh sandbox (fresh
 * namespaces, mounts and processes, all gone when it ends), so a chapter starts from the same
 * fresh lab as on `local`.
 *
 * The host and the guest's init (init.sh) talk over a virtio-serial port backed by a Unix
 * socket: the guest says `ready`; the host sends `job N` and N bytes (a tar of job.json and
 * sandbox.sh), the guest answers `results N` and N bytes (a tar of out/, exit, stderr); `quit`
 * powers it off. Progress and diagnostics come on the console (QEMU's stdout).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineRunError } from '../engine.ts';

/** How a machine is started: QEMU's binary and its arguments (see qemuArgs in vm.ts). */
export interface MachineLaunch {
	qemu: string;
	/** QEMU's arguments, given the path of the control socket. */
	args: (controlSocket: string) => string[];
	/** The MACs of the VM's NICs (lowercase): a job may ask for these only. */
	macs: readonly string[];
}

/** What one job needs from the machine, and where its progress goes. */
export interface MachineJob {
	/** Names the run in errors (the chapter id). */
	id: string;
	/** The job tar: job.json and sandbox.sh. */
	tar: Buffer;
	/** A `progress B S MS` line came: one more command ran. */
	onProgress?: () => void;
	/** Stop the job (and the machine) when it prints nothing for this long, ms. */
	silentMs: number;
	signal?: AbortSignal;
}

/** What the guest sent back: the exit code of sandbox.sh, its stderr, and every file it wrote. */
export interface MachineResult {
	exit: number;
	stderr: string;
	files: Map<string, string>;
	/** Console lines of this job that were not progress (kernel and init diagnostics). */
	console: string;
}

/** NETBOOK_VM_DEBUG=1: every console line of every VM goes to stderr, with the seconds since QEMU started. */
const DEBUG = process.env['NETBOOK_VM_DEBUG'] === '1';
const BOOT_MS = 180_000;

/** A running VM. Create with {@link bootMachine}; run jobs one at a time; {@link Machine.close} when done. */
export class Machine {
	readonly macs: ReadonlySet<string>;
	/** False once QEMU has stopped (closed, killed, crashed). */
	alive = true;
	private readonly child: ChildProcess;
	private readonly dir: string;
	private socket: Socket | undefined;
	private received = Buffer.alloc(0);
	private consoleText = '';
	private pendingLine = '';
	private waiter: ((line: string | undefined) => void) | undefined;
	private onConsole: ((line: string) => void) | undefined;
	private exited: Promise<void>;
	private readonly started = Date.now();
	/** Why QEMU stopped, if we stopped it. */
	private stopReason: string | undefined;

	private constructor(launch: MachineLaunch, readonly name: string) {
		this.macs = new Set(launch.macs);
		this.dir = mkdtempSync(join(tmpdir(), `netbook-vm-${process.pid}-`));
		this.child = spawn(launch.qemu, launch.args(join(this.dir, 'control.sock')), { stdio: ['ignore', 'pipe', 'pipe'] });
		this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.consoleData(chunk));
		this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.consoleText += chunk));
		this.exited = new Promise((resolve) => {
			this.child.on('error', (e) => {
				this.stopReason ??= `cannot start ${launch.qemu}: ${e.message}`;
				this.alive = false;
				resolve();
			});
			this.child.on('close', (code, signal) => {
				this.alive = false;
				this.stopReason ??= `QEMU stopped (${signal ?? `exit ${code}`})`;
				this.consoleData('\n');
				this.waiter?.(undefined);
				this.socket?.destroy();
				rmSync(this.dir, { recursive: true, force: true });
				resolve();
			});
		});
	}

	/** Starts QEMU and waits until the guest's init says it is ready for jobs. */
	static async boot(launch: MachineLaunch, name: string, signal?: AbortSignal): Promise<Machine> {
		const machine = new Machine(launch, name);
		const timer = setTimeout(() => machine.kill(`the VM did not boot within ${BOOT_MS / 1000} s`), BOOT_MS);
		const abort = (): void => machine.kill('aborted');
		signal?.addEventListener('abort', abort, { once: true });
		try {
			await machine.connect();
			const line = await machine.nextLine();
			if (line !== 'ready') throw new Error(machine.stopReason ?? `the guest said "${line}" instead of ready`);
			return machine;
		} catch (e) {
			machine.kill((e as Error).message);
			await machine.exited;
			throw new Error(`${machine.stopReason ?? (e as Error).message}${machine.consoleTail()}`);
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', abort);
		}
	}

	/** Runs one job and returns what the guest sent back; throws EngineRunError when the VM stops or falls silent. */
	async run(job: MachineJob): Promise<MachineResult> {
		if (!this.alive || !this.socket) throw new EngineRunError(job.id, `the VM is not running${this.consoleTail()}`);
		let consoleText = '';
		let timer: NodeJS.Timeout | undefined;
		const silent = (): void => {
			clearTimeout(timer);
			timer = setTimeout(() => this.kill(`the VM printed nothing for ${job.silentMs / 1000} s and was stopped`), job.silentMs);
		};
		this.onConsole = (line) => {
			silent();
			if (/^progress \d+ \d+( \d+)?$/.test(line)) job.onProgress?.();
			else if (line) consoleText += `${line}\n`;
		};
		const abort = (): void => this.kill('aborted');
		job.signal?.addEventListener('abort', abort, { once: true });
		silent();
		try {
			this.socket.write(`job ${job.tar.length}\n`);
			this.socket.write(job.tar);
			const header = await this.nextLine();
			const m = header === undefined ? null : /^results (\d+)$/.exec(header);
			if (!m) throw new EngineRunError(job.id, this.why('the VM stopped before the end of the chapter (no results)', consoleText));
			const tar = await this.nextBytes(Number(m[1]));
			if (!tar) throw new EngineRunError(job.id, this.why('the VM stopped while sending the results', consoleText));
			return { ...unpackResults(tar, this.dir, job.id), console: consoleText };
		} finally {
			clearTimeout(timer);
			this.onConsole = undefined;
			job.signal?.removeEventListener('abort', abort);
		}
	}

	/** Powers the guest off (or kills QEMU if it does not stop within 10 s). */
	async close(): Promise<void> {
		if (this.alive && this.socket) this.socket.write('quit\n');
		const timer = setTimeout(() => this.kill('closed'), 10_000);
		await this.exited;
		clearTimeout(timer);
	}

	/** Stops QEMU at once (SIGKILL, by PID) and remembers why. */
	kill(why: string): void {
		this.stopReason ??= why;
		if (this.alive) this.child.kill('SIGKILL');
	}

	private why(what: string, consoleText: string): string {
		const reason = this.stopReason && this.stopReason !== 'aborted' ? this.stopReason : what;
		return this.stopReason === 'aborted' ? 'aborted' : `${reason}${tail(consoleText + this.consoleText)}`;
	}

	private consoleTail(): string {
		return tail(this.consoleText);
	}

	private consoleData(chunk: string): void {
		this.pendingLine += chunk;
		const lines = this.pendingLine.split('\n');
		this.pendingLine = lines.pop() ?? '';
		for (const raw of lines) {
			const line = raw.replace(/\r$/, '');
			if (DEBUG) process.stderr.write(`[${this.name} ${((Date.now() - this.started) / 1000).toFixed(2)} s] ${line}\n`);
			if (this.onConsole) this.onConsole(line);
			else if (line && !/^vm: ready \d+$/.test(line)) this.consoleText = `${this.consoleText}${line}\n`.slice(-4000);
		}
	}

	/** Connects to QEMU's control socket (it appears a moment after QEMU starts). */
	private async connect(): Promise<void> {
		const path = join(this.dir, 'control.sock');
		for (let k = 0; this.alive; k++) {
			if (existsSync(path)) {
				const socket = await new Promise<Socket | undefined>((resolve) => {
					const s = connect(path);
					s.once('connect', () => resolve(s));
					s.once('error', () => resolve(undefined));
				});
				if (socket) {
					this.socket = socket;
					socket.on('data', (d: Buffer) => {
						this.received = Buffer.concat([this.received, d]);
						this.waiter?.('');
					});
					socket.on('error', () => undefined);
					return;
				}
			}
			await new Promise((r) => setTimeout(r, Math.min(20 * (k + 1), 200)));
		}
		throw new Error(this.stopReason ?? 'QEMU stopped before it opened its control socket');
	}

	/** The next line from the guest (without its newline), or undefined when the VM stopped. */
	private async nextLine(): Promise<string | undefined> {
		for (;;) {
			const nl = this.received.indexOf(10);
			if (nl >= 0) {
				const line = this.received.subarray(0, nl).toString('utf8');
				this.received = this.received.subarray(nl + 1);
				return line;
			}
			if (!(await this.more())) return undefined;
		}
	}

	/** The next `n` bytes from the guest, or undefined when the VM stopped first. */
	private async nextBytes(n: number): Promise<Buffer | undefined> {
		while (this.received.length < n) if (!(await this.more())) return undefined;
		const bytes = this.received.subarray(0, n);
		this.received = this.received.subarray(n);
		return Buffer.from(bytes);
	}

	/** Waits for more data from the guest; false when the VM stopped. */
	private more(): Promise<boolean> {
		if (!this.alive) return Promise.resolve(false);
		return new Promise((resolve) => {
			this.waiter = (v) => {
				this.waiter = undefined;
				resolve(v !== undefined);
			};
		});
	}
}

/** Reads the guest's results tar: sandbox.sh's exit code, its stderr, and the files of out/. */
function unpackResults(tar: Buffer, dir: string, id: string): Omit<MachineResult, 'console'> {
	const results = mkdtempSync(join(dir, 'results-'));
	try {
		writeFileSync(join(results, 'results.tar'), tar);
		mkdirSync(join(results, 'x'));
		const opened = spawnSync('tar', ['-xf', join(results, 'results.tar'), '-C', join(results, 'x')], { encoding: 'utf8' });
		if (opened.status !== 0 || !existsSync(join(results, 'x', 'exit')))
			throw new EngineRunError(id, `the VM's results are not readable: ${opened.stderr.trim() || 'no exit file'}`);
		const out = join(results, 'x', 'out');
		return {
			exit: Number(readFileSync(join(results, 'x', 'exit'), 'utf8').trim()),
			stderr: readFileSync(join(results, 'x', 'stderr'), 'utf8'),
			files: new Map(existsSync(out) ? readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]) : []),
		};
	} finally {
		rmSync(results, { recursive: true, force: true });
	}
}

/** The last lines of some output, indented, for an error message ('' when there are none). */
export function tail(text: string): string {
	const lines = text.trim().split('\n').filter(Boolean).slice(-5);
	return lines.length ? `:\n  ${lines.join('\n  ')}` : '';
}

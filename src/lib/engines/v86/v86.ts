/**
 * The v86 target (`verify --target v86`): the book's chapters on a real Linux kernel that runs in
 * v86, an x86 emulator compiled to WebAssembly, inside this Node process. No root, no QEMU, no
 * Linux needed: any machine with Node runs it. The guest is the image that image.sh builds for
 * `v86` (Debian 12's i386 kernel and packages, the same init.sh and sandbox.sh as the VMs); it is
 * booted once and its state saved (the same state the page's real-kernel terminal downloads), and
 * every run restores that state instead of booting.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { zstdCompressSync, constants as zlib } from 'node:zlib';
import { V86 } from 'v86';
import { EngineRefusedError, EngineRunError, type Engine } from '../engine.ts';
import { createSandboxEngine, type SandboxFiles, type SandboxRunOptions } from '../sandbox/engine.ts';
import type { SandboxJob } from '../sandbox/job.ts';
import { sandboxFiles, vmImage } from '../vm/vm.ts';
import { v86StateFile } from '../../book/v86.ts';
import { v86Options } from '../../shared/v86-machine.ts';
import { emulatorLoaded, V86Guest, type GuestResult, type V86Like } from '../../v86/guest.ts';
import { packTar } from '../../v86/tar.ts';

/** verify's name for this target. */
export const V86_TARGET = 'v86';

const WASM = createRequire(import.meta.url).resolve('v86/build/v86.wasm');
const SANDBOX_SCRIPT = join(import.meta.dirname, '../sandbox/sandbox.sh');
const BOOT_MS = 600_000;
/** NETBOOK_V86_DEBUG=1: every console line of the guest goes to stderr, with the seconds since it started. */
const DEBUG = process.env['NETBOOK_V86_DEBUG'] === '1';
const debugLine = (started: number) => (line: string): void => void (DEBUG && process.stderr.write(`[v86 ${((Date.now() - started) / 1000).toFixed(2)} s] ${line}\n`));

/** Options of {@link createV86Engine} and {@link v86State}. */
export interface V86EngineOptions {
	/** Progress lines of the image build and of the first boot. */
	onLog?: (line: string) => void;
}

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
const file = (image: string, name: string): ArrayBuffer => toArrayBuffer(readFileSync(join(image, name)));

/** A new emulator of the book's v86 machine: from the image's kernel, or from a saved state. */
function emulator(image: string, state?: ArrayBuffer): V86 {
	const start = state ? { state } : { bzimage: file(image, 'vmlinuz'), initrd: file(image, 'initrd.img') };
	return new V86(v86Options(WASM, file(image, 'bios.bin'), file(image, 'vgabios.bin'), start));
}

/** The emulator as the guest protocol uses it (v86's typings leave out its `bus`). */
const asGuest = (e: V86): V86Like => e as unknown as V86Like;

/**
 * The image folder of the v86 target with its saved state (`state-v86-VERSION.bin.zst`): the
 * image built by image.sh when its inputs changed, then booted once here and saved, zstd -19.
 */
export async function v86State(options: V86EngineOptions = {}): Promise<{ image: string; state: string }> {
	const image = await vmImage('v86', options.onLog);
	const state = v86StateFile(image);
	if (existsSync(state)) return { image, state };
	const started = Date.now();
	options.onLog?.('v86: booting the image once to save its state');
	const e = emulator(image);
	const guest = new V86Guest(asGuest(e));
	try {
		await guest.ready(BOOT_MS, debugLine(started));
		const booted = Date.now();
		const raw = Buffer.from(await e.save_state());
		const packed = zstdCompressSync(raw, { params: { [zlib.ZSTD_c_compressionLevel]: 19 } });
		writeFileSync(`${state}.tmp`, packed);
		renameSync(`${state}.tmp`, state);
		options.onLog?.(
			`v86: state saved (boot ${((booted - started) / 1000).toFixed(1)} s, ${(raw.length / 1048576).toFixed(1)} MiB, zstd -19 ${(packed.length / 1048576).toFixed(1)} MiB, ${((Date.now() - booted) / 1000).toFixed(1)} s)`,
		);
		return { image, state };
	} catch (err) {
		throw new EngineRefusedError(`cannot make the v86 state: ${(err as Error).message}`);
	} finally {
		guest.detach();
		await e.destroy();
	}
}

/** A restored v86 guest, ready for jobs. */
interface RunningGuest {
	emulator: V86;
	guest: V86Guest;
}

/** How long a job may stay silent before the guest is given up, ms (v86 is slower than QEMU's TCG). */
function silentMs(timeoutSec: number): number {
	return Math.max(600, timeoutSec * 10 + 120) * 1000;
}

/**
 * Each command's timeout is multiplied by this in v86: an interpreter of x86 in WebAssembly
 * (with a JIT of its own), measured slower than QEMU's TCG on the same machine.
 */
export const V86_TIMEOUT_FACTOR = 6;

/**
 * The real-kernel engine in v86 under Node (target `v86`): one guest restored from the saved
 * state, taking one chapter after another, each in a fresh sandbox. Jobs run one at a time
 * (the emulator runs on Node's one thread).
 */
export function createV86Engine(options: V86EngineOptions = {}): Engine {
	let running: Promise<RunningGuest> | undefined;
	let queue: Promise<unknown> = Promise.resolve();
	let idle: NodeJS.Timeout | undefined;
	const start = async (): Promise<RunningGuest> => {
		const { image, state } = await v86State(options);
		const e = emulator(image, toArrayBuffer(readFileSync(state)));
		const guest = new V86Guest(asGuest(e));
		await emulatorLoaded(asGuest(e));
		return { emulator: e, guest };
	};
	const stop = (): void => {
		const was = running;
		running = undefined;
		void was?.then(async (r) => {
			r.guest.detach();
			await r.emulator.destroy();
		});
	};
	const runJob = async (job: SandboxJob, run: SandboxRunOptions): Promise<SandboxFiles> => {
		clearTimeout(idle);
		running ??= start();
		let guest: RunningGuest;
		try {
			guest = await running;
		} catch (e) {
			running = undefined;
			throw e instanceof EngineRefusedError ? e : new EngineRunError(run.id, (e as Error).message);
		}
		let done = 0;
		const encoder = new TextEncoder();
		let result: GuestResult;
		try {
			result = await guest.guest.run(
				packTar([
					{ name: 'job.json', data: encoder.encode(JSON.stringify(job)) },
					{ name: 'sandbox.sh', data: readFileSync(SANDBOX_SCRIPT) },
				]),
				{
					silentMs: silentMs(run.timeoutSec ?? 30),
					onConsole: debugLine(Date.now()),
					...(run.onProgress ? { onProgress: () => run.onProgress?.(++done, run.total) } : {}),
					...(run.signal ? { signal: run.signal } : {}),
				},
			);
		} catch (e) {
			stop();
			throw new EngineRunError(run.id, `v86: ${(e as Error).message}`);
		}
		idle = setTimeout(stop, 2000);
		return sandboxFiles(result, run);
	};
	return createSandboxEngine('v86', (job, run) => {
		const timeout = job.timeout * V86_TIMEOUT_FACTOR;
		const next = queue.then(() => runJob({ ...job, timeout }, { ...run, timeoutSec: timeout }));
		queue = next.catch(() => undefined);
		return next;
	});
}


/**
 * The terminal's real-kernel engine: Debian's i386 kernel running in the page under v86 (an x86
 * emulator in WebAssembly), restored from the state the build saved, with the chapter's lab
 * built inside it by the book's own sandbox.sh, exactly as verify builds it. Loaded only when a
 * reader asks for it (a dynamic import of this module, then of v86's library from the site).
 */
import type { Lab } from '../shared/lab.ts';
import { v86Options } from '../shared/v86-machine.ts';
import { emulatorLoaded, GuestError, toBase64, V86Guest, type V86Like } from '../v86/guest.ts';
import type { V86Manifest } from '../shared/v86-manifest.ts';
import { packTar } from '../v86/tar.ts';
import type { LabState, OutputChunk, RunResult, TerminalEngine, TerminalRunOptions } from './engine.ts';

/** Where the engine is in its start. */
export interface V86LoadProgress {
	phase: 'download' | 'restore' | 'lab';
	loaded?: number;
	total?: number;
}

/** Options of {@link createV86TerminalEngine}. */
export interface V86TerminalOptions {
	manifest: V86Manifest;
	/** URL of the served v86 folder, ending in a slash. */
	baseUrl: string;
	/** The chapter's lab. */
	lab: Lab;
	/** The chapter's id, for the sandbox's job. */
	chapter: string;
	onProgress?: (progress: V86LoadProgress) => void;
	signal?: AbortSignal;
}

/** The engine, and a way to stop the emulator when the reader goes back to the simulator. */
export type V86TerminalEngine = TerminalEngine & { close(): Promise<void> };

/** Seconds a command may run in the page before the sandbox stops it (as verify's timeout, times v86's slowness). */
const COMMAND_TIMEOUT = 180;
const LAB_MS = 180_000;

type V86Constructor = new (options: Record<string, unknown>) => V86Like & { destroy(): Promise<void> };

/** Downloads a file, reporting bytes as they come. */
async function download(url: string, onBytes: (loaded: number) => void, signal?: AbortSignal): Promise<ArrayBuffer> {
	const response = await fetch(url, signal ? { signal } : {});
	if (!response.ok || !response.body) throw new Error(`could not download ${url.split('/').pop()} (HTTP ${response.status})`);
	const reader = response.body.getReader();
	const parts: Uint8Array[] = [];
	let loaded = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(value);
		loaded += value.length;
		onBytes(loaded);
	}
	const out = new Uint8Array(loaded);
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out.buffer;
}

/**
 * Loads v86, restores the saved state and builds the chapter's lab; then runs the reader's
 * commands on the real kernel. Rejects with a one-line reason when anything fails.
 */
export async function createV86TerminalEngine(options: V86TerminalOptions): Promise<V86TerminalEngine> {
	const { manifest, baseUrl, lab } = options;
	if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
	const url = (name: string): string => new URL(name, new URL(baseUrl, location.href)).href;
	const total = manifest.bytes.state;
	options.onProgress?.({ phase: 'download', loaded: 0, total });
	const [lib, state, bios, vgabios, sandbox] = await Promise.all([
		import(/* @vite-ignore */ url(manifest.files.lib)) as Promise<{ V86: V86Constructor }>,
		download(url(manifest.files.state), (loaded) => options.onProgress?.({ phase: 'download', loaded, total }), options.signal),
		download(url(manifest.files.bios), () => undefined, options.signal),
		download(url(manifest.files.vgabios), () => undefined, options.signal),
		download(url(manifest.files.sandbox), () => undefined, options.signal),
	]);
	options.onProgress?.({ phase: 'restore' });
	const emulator = new lib.V86(v86Options(url(manifest.files.wasm), bios, vgabios, { state }));
	const guest = new V86Guest(emulator);
	try {
		await emulatorLoaded(emulator);
		const job = {
			chapter: options.chapter,
			timeout: COMMAND_TIMEOUT,
			lab,
			blocks: [],
			interactive: true,
		};
		const tar = packTar([
			{ name: 'job.json', data: new TextEncoder().encode(JSON.stringify(job)) },
			{ name: 'sandbox.sh', data: new Uint8Array(sandbox) },
		]);
		const startLab = async (): Promise<void> => {
			options.onProgress?.({ phase: 'lab' });
			await guest.startShell(tar, LAB_MS);
		};
		await startLab();
		return new V86Terminal(emulator, guest, lab, startLab);
	} catch (e) {
		guest.detach();
		await emulator.destroy();
		throw new Error(e instanceof GuestError ? e.message.split('\n')[0] : (e as Error).message);
	}
}

const decoder = new TextDecoder();
const fromBase64 = (b64: string): string => decoder.decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

/** The running engine: one command at a time over the sandbox's interactive protocol. */
class V86Terminal implements V86TerminalEngine {
	readonly name = 'Linux kernel (v86)';
	private next = 0;

	constructor(
		private readonly emulator: V86Like & { destroy(): Promise<void> },
		private readonly guest: V86Guest,
		private readonly lab: Lab,
		private readonly startLab: () => Promise<void>,
	) {}

	hosts(): string[] {
		return this.lab.hosts.map((h) => h.name);
	}

	async run(host: string, line: string, options: TerminalRunOptions = {}): Promise<RunResult> {
		const k = ++this.next;
		const encoded = toBase64(new TextEncoder().encode(line));
		if (encoded.length > 3000) {
			options.onOutput?.({ stream: 'stderr', text: 'netbook: this line is too long for the page\'s kernel (at most about 2,000 characters)\n' });
			return { exit: 2 };
		}
		const interrupt = (): void => this.guest.send('intr\n');
		options.signal?.addEventListener('abort', interrupt, { once: true });
		try {
			this.guest.send(`run ${k} ${host} ${encoded}\n`);
			for (;;) {
				const said = await this.guest.line();
				const m = /^(out|err|exit) (\d+) ?(.*)$/.exec(said);
				if (!m || Number(m[2]) !== k) continue;
				if (m[1] === 'exit') return { exit: Number(m[3]) };
				const chunk: OutputChunk = { stream: m[1] === 'out' ? 'stdout' : 'stderr', text: fromBase64(m[3] ?? '') };
				options.onOutput?.(chunk);
			}
		} finally {
			options.signal?.removeEventListener('abort', interrupt);
		}
	}

	async state(): Promise<LabState> {
		this.guest.send('state\n');
		for (;;) {
			const said = await this.guest.line();
			if (said.startsWith('state ')) return (JSON.parse(fromBase64(said.slice(6))) as { state: LabState }).state;
		}
	}

	async reset(): Promise<void> {
		await this.guest.endShell();
		this.next = 0;
		await this.startLab();
	}

	async close(): Promise<void> {
		this.guest.detach();
		await this.emulator.destroy();
	}
}

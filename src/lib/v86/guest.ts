/**
 * The v86 guest as a job runner: the same protocol the QEMU VMs speak (src/lib/engines/vm/init.sh
 * is the guest's PID 1 in both), over v86's second virtio console instead of a virtio-serial
 * socket. Pure TypeScript over a running emulator, so verify's v86 target (under Node) and the
 * page's real-kernel terminal use the same code.
 *
 * One difference from QEMU: v86 hands the guest only as many bytes as the guest has posted
 * buffers for and drops the rest, so a job goes in as lines of base64 (`job64 N`), each answered
 * `ok` before the next is sent. Results come back raw (`results N` and N bytes of tar).
 */
import { unpackTar } from './tar.ts';

/** The emulator as this module uses it: v86's `V86` has these members. */
export interface V86Like {
	add_listener(event: string, listener: (arg: never) => void): void;
	remove_listener(event: string, listener: (arg: never) => void): void;
	bus: { send(event: string, data: unknown): void };
}

/**
 * Resolves once the emulator has loaded its files and restored its state: what is sent to the
 * guest before then is lost.
 */
export function emulatorLoaded(emulator: V86Like): Promise<void> {
	return new Promise((resolve) => {
		const done = (): void => {
			emulator.remove_listener('emulator-loaded', done as (arg: never) => void);
			resolve();
		};
		emulator.add_listener('emulator-loaded', done as (arg: never) => void);
	});
}

/** The control channel: v86's virtio console port 1 (/dev/hvc1 in the guest). */
const CHANNEL_OUT = 'virtio-console1-output-bytes';
const CHANNEL_IN = 'virtio-console1-input-bytes';
/** Base64 characters per line: a line must fit one of the guest's 4 KiB receive buffers. */
const LINE = 3072;

/** What one job brought back. */
export interface GuestResult {
	/** sandbox.sh's exit code. */
	exit: number;
	/** sandbox.sh's diagnostics. */
	stderr: string;
	/** The files of its output folder, by name. */
	files: Map<string, string>;
	/** Console lines of this job that were not progress lines. */
	console: string;
}

/** Options of {@link V86Guest.run}. */
export interface GuestJobOptions {
	/** A `progress B S MS` line came: one more command ran. */
	onProgress?: () => void;
	/** Every console line, as it comes. */
	onConsole?: (line: string) => void;
	/** Give up when the guest prints nothing for this long, ms. */
	silentMs: number;
	signal?: AbortSignal;
}

/** Thrown when the guest stops answering, with what its console said last. */
export class GuestError extends Error {}

const decoder = new TextDecoder();

/** A running v86 guest whose init (init.sh) waits for jobs. Watch it from boot or from a restored state. */
export class V86Guest {
	private received = new Uint8Array(0);
	private wake: (() => void) | undefined;
	private consoleLine = '';
	private consoleTail: string[] = [];
	private onConsole: ((line: string) => void) | undefined;
	private readonly outListener = (bytes: Uint8Array): void => {
		const next = new Uint8Array(this.received.length + bytes.length);
		next.set(this.received);
		next.set(bytes, this.received.length);
		this.received = next;
		this.wake?.();
	};
	private readonly serialListener = (byte: number): void => {
		if (byte === 10) {
			const line = this.consoleLine.replace(/\r$/, '');
			this.consoleLine = '';
			this.consoleTail = [...this.consoleTail, line].slice(-8);
			this.onConsole?.(line);
		} else this.consoleLine += String.fromCharCode(byte);
	};

	constructor(private readonly emulator: V86Like) {
		emulator.add_listener(CHANNEL_OUT, this.outListener as (arg: never) => void);
		emulator.add_listener('serial0-output-byte', this.serialListener as (arg: never) => void);
	}

	/** Stops listening to the emulator (it keeps running). */
	detach(): void {
		this.emulator.remove_listener(CHANNEL_OUT, this.outListener as (arg: never) => void);
		this.emulator.remove_listener('serial0-output-byte', this.serialListener as (arg: never) => void);
	}

	/** Waits for init's `ready` (a freshly booted guest says it once). */
	async ready(timeoutMs: number, onConsole?: (line: string) => void): Promise<void> {
		this.onConsole = onConsole;
		try {
			const line = await this.withDeadline(this.nextLine(), timeoutMs, `the guest did not boot within ${timeoutMs / 1000} s`);
			if (line !== 'ready') throw new GuestError(`the guest said "${line}" instead of ready${this.tail()}`);
		} finally {
			this.onConsole = undefined;
		}
	}

	/** Runs one job (a tar of job.json and sandbox.sh) and returns what the guest sent back. */
	async run(tar: Uint8Array, options: GuestJobOptions): Promise<GuestResult> {
		let consoleText = '';
		let lastHeard = Date.now();
		this.onConsole = (line) => {
			lastHeard = Date.now();
			options.onConsole?.(line);
			if (/^progress \d+ \d+( \d+)?$/.test(line)) options.onProgress?.();
			else if (line && !/^vm: exit \d+$/.test(line)) consoleText += `${line}\n`;
		};
		let stop: ((e: Error) => void) | undefined;
		const stopped = new Promise<never>((_, reject) => (stop = reject));
		stopped.catch(() => undefined);
		const watchdog = setInterval(() => {
			if (Date.now() - lastHeard > options.silentMs) stop?.(new GuestError(`the guest printed nothing for ${options.silentMs / 1000} s${this.tail()}`));
		}, 1000);
		const abort = (): void => stop?.(new GuestError('aborted'));
		options.signal?.addEventListener('abort', abort, { once: true });
		try {
			const work = (async () => {
				await this.sendJob('job64', tar, () => (lastHeard = Date.now()));
				const header = await this.nextLine();
				const m = /^results (\d+)$/.exec(header);
				if (!m) throw new GuestError(`the guest said "${header}" instead of its results${this.tail()}`);
				const files = unpackTar(await this.nextBytes(Number(m[1])));
				const text = (name: string): string => decoder.decode(files.get(name) ?? new Uint8Array(0));
				const out = new Map<string, string>();
				for (const [name, data] of files) if (name.startsWith('out/') && name.length > 4) out.set(name.slice(4), decoder.decode(data));
				return { exit: Number(text('exit').trim()), stderr: text('stderr'), files: out, console: consoleText };
			})();
			return await Promise.race([work, stopped]);
		} finally {
			clearInterval(watchdog);
			this.onConsole = undefined;
			options.signal?.removeEventListener('abort', abort);
		}
	}

	/**
	 * Starts a reader's lab: sandbox.sh on an interactive job (its section 5b), which then talks
	 * over the channel itself. Resolves once it says `lab ready`; then {@link line} and
	 * {@link send} speak its protocol until it is sent `quit`.
	 */
	async startShell(tar: Uint8Array, timeoutMs: number, onConsole?: (line: string) => void): Promise<void> {
		this.onConsole = onConsole;
		await this.withDeadline(
			(async () => {
				await this.sendJob('shell64', tar);
				for (;;) {
					const said = await this.nextLine();
					if (said === 'lab ready') return;
					if (said) throw new GuestError(`the lab could not be built (${said})${this.tail()}`);
				}
			})(),
			timeoutMs,
			`the lab was not ready within ${timeoutMs / 1000} s`,
		);
	}

	/** Ends the reader's lab (sandbox.sh and every namespace of it) and waits until it has gone. */
	async endShell(): Promise<void> {
		this.send('quit\n');
		for (;;) if ((await this.nextLine()).startsWith('shell ended ')) return;
	}

	/** The next line the guest sends on the channel. */
	line(): Promise<string> {
		return this.nextLine();
	}

	/** Sends text on the channel (a whole line must fit the guest's 4 KiB buffer). */
	send(text: string): void {
		this.emulator.bus.send(CHANNEL_IN, new TextEncoder().encode(text));
	}

	/** Sends a job (`job64` or `shell64`): its base64 lines one at a time, each acknowledged. */
	private async sendJob(kind: 'job64' | 'shell64', tar: Uint8Array, onAck?: () => void): Promise<void> {
		const lines = chunks(toBase64(tar), LINE);
		this.send(`${kind} ${lines.length}\n`);
		for (const line of lines) {
			this.send(`${line}\n`);
			const ok = await this.nextLine();
			if (ok !== 'ok') throw new GuestError(`the guest said "${ok}" while taking the job${this.tail()}`);
			onAck?.();
		}
	}

	/** Tells init to power the guest off. */
	quit(): void {
		this.send('quit\n');
	}

	private tail(): string {
		const lines = this.consoleTail.filter(Boolean).slice(-5);
		return lines.length ? `:\n  ${lines.join('\n  ')}` : '';
	}

	private async nextLine(): Promise<string> {
		for (;;) {
			const nl = this.received.indexOf(10);
			if (nl >= 0) {
				const line = decoder.decode(this.received.subarray(0, nl)).replace(/\r$/, '');
				this.received = this.received.slice(nl + 1);
				return line;
			}
			await this.more();
		}
	}

	private async nextBytes(n: number): Promise<Uint8Array> {
		while (this.received.length < n) await this.more();
		const bytes = this.received.slice(0, n);
		this.received = this.received.slice(n);
		return bytes;
	}

	private more(): Promise<void> {
		return new Promise((resolve) => {
			this.wake = () => {
				this.wake = undefined;
				resolve();
			};
		});
	}

	private async withDeadline<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		try {
			return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new GuestError(`${why}${this.tail()}`)), ms)))]);
		} finally {
			clearTimeout(timer);
		}
	}
}

function chunks(text: string, size: number): string[] {
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out;
}

/** Base64 of bytes, without Node's Buffer (the page has none). */
export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

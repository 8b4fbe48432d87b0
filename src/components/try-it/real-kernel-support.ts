/**
 * Whether this browser can take the page's real kernel, and how its costs and its start are put
 * in words. No DOM: the panel's view (real-kernel-view.ts) and the unit tests share it.
 */
import type { V86Manifest } from '../../lib/shared/v86-manifest.ts';

/**
 * How much a tab grows, per MiB of the emulated machine's memory, once the real kernel runs:
 * measured in headless Chromium on the built site (2026-12-04, chapter 4, /proc's RSS of the
 * renderer processes two seconds after the prompt came back): +596 MiB with the 384 MiB machine,
 * which is the machine's memory, v86's own and what the page keeps of the saved state.
 */
export const TAB_MEMORY_FACTOR = 1.55;

/** What the offer states: the tab's growth, rounded to 50 MB. */
export function tabMemoryMB(manifest: Pick<V86Manifest, 'memoryMiB'>): number {
	return Math.max(50, Math.round((manifest.memoryMiB * TAB_MEMORY_FACTOR) / 50) * 50);
}

/**
 * The device must have at least this many times the emulated machine's memory. A tab with the
 * real kernel grows by about 1.55 times the machine's memory ({@link TAB_MEMORY_FACTOR}), more
 * while the state is unpacked; the browser, the system and the reader's other tabs need the rest.
 * Below four times the machine (a device that reports 1 GB, which `navigator.deviceMemory` says of
 * anything under 2 GB, for the 384 MiB machine), the tab would most likely be killed mid-restore,
 * so the panel says so instead of trying.
 */
export const DEVICE_MEMORY_FACTOR = 4;

/** What the browser tells about itself, as far as the real kernel cares. */
export interface BrowserFacts {
	/** `typeof WebAssembly === 'object'`. */
	webAssembly: boolean;
	/** `navigator.deviceMemory` (GiB, rounded down to a power of two, at most 8), where the browser has it. */
	deviceMemory?: number | undefined;
}

/** The browser's facts, read from the page. */
export function browserFacts(): BrowserFacts {
	const memory = (navigator as Navigator & { deviceMemory?: unknown }).deviceMemory;
	return { webAssembly: typeof WebAssembly === 'object', deviceMemory: typeof memory === 'number' ? memory : undefined };
}

/** Why this browser cannot run the real kernel, in one line, or undefined when it can try. */
export function refusal(facts: BrowserFacts, manifest: Pick<V86Manifest, 'memoryMiB'>): string | undefined {
	if (!facts.webAssembly) return 'this browser has no WebAssembly, which v86 needs';
	const needGiB = (DEVICE_MEMORY_FACTOR * manifest.memoryMiB) / 1024;
	if (facts.deviceMemory !== undefined && facts.deviceMemory < needGiB)
		return `this device reports ${facts.deviceMemory} GB of memory, and the machine alone takes ${manifest.memoryMiB} MB: it needs a device with at least ${Math.ceil(needGiB)} GB`;
	return undefined;
}

/** Bytes as a reader reads them: "40 MB", "3.2 MB", "850 KB" (decimal units, as downloads are shown). */
export function megabytes(bytes: number): string {
	if (bytes === 0) return '0 MB';
	if (bytes < 1e6) return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
	const mb = bytes / 1e6;
	return `${mb < 9.95 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** Where the start is, as the engine reports it (src/lib/terminal/v86-engine.ts). */
export interface StartProgress {
	phase: 'download' | 'restore' | 'lab';
	loaded?: number | undefined;
	total?: number | undefined;
}

/** Share of the whole start that each phase ends at, in percent: the download is most of the wait. */
const PHASE_END = { download: 80, restore: 90, lab: 100 } as const;
const PHASE_START = { download: 0, restore: 80, lab: 90 } as const;

/** The progress bar's value (0–100) and its words for a progress report. */
export function progressOf(p: StartProgress): { percent: number; text: string } {
	const share = p.total ? Math.min(1, Math.max(0, (p.loaded ?? 0) / p.total)) : 0;
	const percent = Math.round(PHASE_START[p.phase] + share * (PHASE_END[p.phase] - PHASE_START[p.phase]));
	switch (p.phase) {
		case 'download':
			return { percent, text: p.total ? `Downloading the saved machine: ${megabytes(p.loaded ?? 0)} of ${megabytes(p.total)}` : 'Downloading the saved machine…' };
		case 'restore':
			return { percent, text: 'Restoring the machine from its saved state…' };
		case 'lab':
			return { percent, text: 'Building the chapter’s lab in the kernel with sandbox.sh…' };
	}
}

/** One line of why the start failed: the error's first line, without a trailing full stop. */
export function reasonOf(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const line = (message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
	if (/Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed/i.test(line))
		return 'the page could not load the real kernel’s code (offline, or the server did not answer)';
	if (/^(Failed to fetch|NetworkError|Load failed)/i.test(line)) return 'a download failed (offline, or the server did not answer)';
	return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'an unknown error';
}

/**
 * A timer that fires when nothing happened for `ms`: each `kick` starts the wait again, with a new
 * length if given (a download may stall a while; a lab takes longer to build than a chunk to come).
 */
export class Stall {
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private ms: number,
		private readonly onStall: (ms: number) => void,
	) {
		this.kick();
	}

	/** Something happened: the wait starts again. */
	kick(ms: number = this.ms): void {
		this.ms = ms;
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.onStall(this.ms), ms);
	}

	stop(): void {
		clearTimeout(this.timer);
	}
}

/**
 * What the page's real kernel costs (`npm run bench -- --only v86`): building its image and state
 * (cold, in a scratch cache so the machine's own is untouched, then cached), what a reader
 * downloads, restoring the state under Node, and the time per command over one chapter in v86
 * (chapter 4, the one the page's browser test checks), and in headless Chromium: restoring the
 * state from the built site (dist/v86/, served by `astro preview`) and the memory of the tab's
 * renderer after it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { V86 } from 'v86';
import { loadLab } from '../book/labs.ts';
import { createV86Engine, v86State } from '../engines/v86/v86.ts';
import { loadBook } from '../runbook/load.ts';
import { V86_MACHINE, v86Options } from '../shared/v86-machine.ts';
import { emulatorLoaded, type V86Like } from '../v86/guest.ts';
import { launchChromium } from './browser.ts';
import { startPreview } from './preview.ts';
import { astroBuild } from './site.ts';
import { median, round } from './stats.ts';

/** The v86 part's figures. */
export interface V86Figures {
	/** image.sh v86 and the state's first boot in an empty scratch cache (packages downloaded again), ms. */
	cold: { imageMs: number; stateMs: number };
	/** The same again with nothing changed: both found in the cache, ms. */
	cachedMs: number;
	/** Bytes a reader downloads: the zstd state, v86's wasm and its library. */
	bytes: { state: number; wasm: number; lib: number };
	/** Restoring the state under Node (new V86 to `emulator-loaded`), ms, each run. */
	restoreMs: number[];
	restoreMedianMs: number;
	/** Headless Chromium, the built site: a fresh page each run, v86's library imported, the state fetched and restored, ms. */
	browserRestoreMs: number[];
	browserRestoreMedianMs: number;
	/** Resident memory of the tab's renderer processes after the last restore (VmRSS summed), MiB. */
	tabMiB: number;
	/** One chapter in v86: its commands' times (each command and its settling), median and 90th percentile, ms. */
	chapter: { id: string; commands: number; medianMs: number; p90Ms: number; wholeMs: number };
}

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Measures the v86 target; `runs` restores. */
export async function measureV86(root: string, runs: number, log: (line: string) => void): Promise<V86Figures> {
	const scratch = mkdtempSync(join(tmpdir(), 'netbook-bench-v86-'));
	const saved = process.env['NETBOOK_CACHE'];
	let cold: V86Figures['cold'];
	let cachedMs: number;
	try {
		process.env['NETBOOK_CACHE'] = scratch;
		let imageMs = 0;
		const started = performance.now();
		await v86State({
			onLog: (line) => {
				log(`v86: ${line}`);
				if (line.startsWith('vm-image: built')) imageMs = performance.now() - started;
			},
		});
		cold = { imageMs: round(imageMs, 0), stateMs: round(performance.now() - started - imageMs, 0) };
	} finally {
		if (saved === undefined) delete process.env['NETBOOK_CACHE'];
		else process.env['NETBOOK_CACHE'] = saved;
		rmSync(scratch, { recursive: true, force: true });
	}
	const before = performance.now();
	const { image, state } = await v86State({ onLog: (line) => log(`v86: ${line}`) });
	cachedMs = round(performance.now() - before, 0);
	const require = (await import('node:module')).createRequire(import.meta.url);
	const wasm = require.resolve('v86/build/v86.wasm');
	const lib = require.resolve('v86/build/libv86.mjs');
	const restoreMs: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		const read = (f: string): ArrayBuffer => toArrayBuffer(readFileSync(f));
		const e = new V86(v86Options(wasm, read(join(image, 'bios.bin')), read(join(image, 'vgabios.bin')), { state: read(state) }));
		await emulatorLoaded(e as unknown as V86Like);
		restoreMs.push(round(performance.now() - t, 0));
		await e.destroy();
	}
	const browser = await measureBrowser(root, runs, log);
	const chapter = loadBook(root).find((c) => c.id.startsWith('04-'))!;
	const engine = createV86Engine({ onLog: (line) => log(`v86: ${line}`) });
	const t = performance.now();
	const result = await engine.run(chapter, loadLab(chapter.lab, root), {});
	const wholeMs = round(performance.now() - t, 0);
	const times = result.blocks.flatMap((b) => b.steps.map((s) => s.ms ?? NaN)).filter((n) => Number.isFinite(n));
	log(`v86: chapter ${chapter.id}: ${times.length} commands in ${(wholeMs / 1000).toFixed(1)} s`);
	return {
		cold,
		cachedMs,
		bytes: { state: statSync(state).size, wasm: statSync(wasm).size, lib: statSync(lib).size },
		restoreMs,
		restoreMedianMs: median(restoreMs),
		browserRestoreMs: browser.ms,
		browserRestoreMedianMs: median(browser.ms),
		tabMiB: browser.tabMiB,
		chapter: { id: chapter.id, commands: times.length, medianMs: round(median(times), 0), p90Ms: round(percentile(times, 90), 0), wholeMs },
	};
}

/** Chromium's renderer processes (their PIDs), read from /proc. */
function renderers(): number[] {
	return readdirSync('/proc')
		.filter((p) => /^\d+$/.test(p))
		.filter((p) => {
			try {
				return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type=renderer');
			} catch {
				return false;
			}
		})
		.map(Number);
}

const rssMiB = (pid: number): number => {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : 0;
	} catch {
		return 0;
	}
};

/** Restores the served state in headless Chromium `runs` times (a fresh page each) and reads the tab's memory after the last. */
export async function measureBrowser(root: string, runs: number, log: (line: string) => void): Promise<{ ms: number[]; tabMiB: number }> {
	if (!existsSync(join(root, 'dist/v86/manifest.json'))) {
		log('v86: building the site (dist/v86/ is served from it)');
		astroBuild(root);
	}
	const manifest = JSON.parse(readFileSync(join(root, 'dist/v86/manifest.json'), 'utf8')) as { files: Record<string, string> };
	const preview = await startPreview(root);
	const before = new Set(renderers());
	const browser = await launchChromium();
	const ms: number[] = [];
	let tabMiB = 0;
	try {
		for (let i = 0; i < runs; i++) {
			const page = await browser.newPage();
			await page.goto(`${preview.url}/`);
			const base = new URL('v86/', page.url()).href;
			// (a string, not a function: the bench runs under tsx, whose helpers a function would carry into the page)
			const took = (await page.evaluate(`(async () => {
				const base = ${JSON.stringify(base)}, files = ${JSON.stringify(manifest.files)};
				const t = performance.now();
				const { V86 } = await import(base + files.lib);
				const [state, bios, vgabios] = await Promise.all([files.state, files.bios, files.vgabios].map((f) => fetch(base + f).then((r) => r.arrayBuffer())));
				await new Promise((resolve) => {
					const e = new V86({ wasm_path: base + files.wasm, bios: { buffer: bios }, vga_bios: { buffer: vgabios }, initial_state: { buffer: state },
						memory_size: ${V86_MACHINE.memoryMiB} << 20, vga_memory_size: 2 << 20, virtio_console: { type: 'none' }, disable_speaker: true, autostart: true });
					e.add_listener('emulator-loaded', () => resolve());
					globalThis.__v86 = e;
				});
				return performance.now() - t;
			})()`)) as number;
			ms.push(round(took, 0));
			log(`v86: restored in Chromium in ${round(took, 0)} ms`);
			if (i === runs - 1) tabMiB = round(renderers().filter((p) => !before.has(p)).reduce((n, p) => n + rssMiB(p), 0), 0);
			await page.close();
		}
	} finally {
		await browser.close();
		await preview.stop();
	}
	return { ms, tabMiB };
}

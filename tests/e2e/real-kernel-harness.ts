/**
 * The real-kernel tier's UI over a stand-in kernel, so its browser tests need no saved state and
 * take seconds: the built page's panel chunk is swapped for the same panel (esbuild) in which the
 * v86 engine's module is replaced by the simulator dressed as the real kernel, reporting a scripted
 * download, restore and lab build. The page's data is given a manifest if the build has none.
 * Everything else, the check's comparison and its chunk included, is the real code.
 */
import type { Plugin } from 'esbuild';
import type { Page } from 'playwright-core';
import type { V86Manifest } from '../../src/lib/shared/v86-manifest.ts';
import { ROOT } from './book.ts';
import { bundleForPage } from './try-it-harness.ts';

/** The manifest the stand-in offers: sizes a reader could meet. */
export const FAKE_MANIFEST: V86Manifest = {
	v86: '0.5.462+g5f9a90f',
	kernel: '6.1.0-57-686',
	release: 'Debian bookworm (i386)',
	memoryMiB: 384,
	files: { lib: 'libv86.mjs', wasm: 'v86.wasm', state: 'state.bin.zst', bios: 'bios.bin', vgabios: 'vgabios.bin', sandbox: 'sandbox.sh' },
	bytes: { state: 39_906_907, wasm: 2_101_621, lib: 359_552, total: 42_539_088 },
	sources: [],
};

/** Milliseconds between the stand-in's progress reports. */
export const STEP_MS = 250;
/** Milliseconds the stand-in takes per command. */
export const COMMAND_MS = 60;

const ENGINE = `
import { createSimTerminalEngine } from './src/lib/terminal/sim-engine.ts';
const pause = (ms, signal) => new Promise((resolve, reject) => {
	const t = setTimeout(resolve, ms);
	signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason ?? new Error('aborted')); }, { once: true });
});
export async function createV86TerminalEngine(o) {
	const total = o.manifest.bytes.state;
	for (const share of [0, 0.25, 0.5, 0.75, 1]) {
		o.onProgress?.({ phase: 'download', loaded: Math.round(total * share), total });
		await pause(${STEP_MS}, o.signal);
	}
	o.onProgress?.({ phase: 'restore' });
	await pause(${STEP_MS}, o.signal);
	o.onProgress?.({ phase: 'lab' });
	await pause(${STEP_MS}, o.signal);
	const sim = createSimTerminalEngine(o.lab, { msPerSecond: 0 });
	window.__fakeKernel = { closed: 0 };
	return {
		name: 'Linux kernel (v86)',
		hosts: () => sim.hosts(),
		// A real kernel takes its time per command (the guest's round trips): so does the stand-in.
		run: async (host, line, options) => {
			await pause(${COMMAND_MS});
			if (line === 'crash-the-machine') throw new Error('the guest did not answer within 60 s');
			if (line === 'hang-the-machine') return new Promise(() => {});
			return sim.run(host, line, options);
		},
		state: () => sim.state(),
		reset: () => sim.reset(),
		close: async () => void window.__fakeKernel.closed++,
	};
}
`;

const ENTRY = `
import { mountPanel as real } from './src/components/try-it/panel.ts';
export function mountPanel(container, data) {
	const manifest = data.realKernel.manifest ?? ${JSON.stringify(FAKE_MANIFEST)};
	return real(container, { ...data, realKernel: { ...data.realKernel, manifest } });
}
`;

/** Resolves the panel's import of the v86 engine to the stand-in. */
const standIn: Plugin = {
	name: 'fake-v86-engine',
	setup(b) {
		b.onResolve({ filter: /\/v86-engine\.ts$/ }, () => ({ path: 'fake-v86-engine', namespace: 'fake' }));
		b.onLoad({ filter: /.*/, namespace: 'fake' }, () => ({ contents: ENGINE, loader: 'js', resolveDir: ROOT }));
	},
};

let bundle: Promise<string> | undefined;

function fakeKernelPanelBundle(): Promise<string> {
	return (bundle ??= bundleForPage(ENTRY, 'fake-kernel-panel.ts', [standIn]));
}

/** Makes `page` load the panel over the stand-in kernel instead of the built one. */
export async function useFakeKernelPanel(page: Page): Promise<void> {
	const code = await fakeKernelPanelBundle();
	await page.route(/\/_astro\/panel\.[\w-]+\.js$/, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: code }));
}

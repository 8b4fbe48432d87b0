/**
 * Browser tests of the terminal's UI that must not depend on how far the simulator has got
 * (the packet walk needs traces, which it may not record yet): the built page's panel chunk is
 * swapped for the same panel over a scripted engine (src/lib/terminal/fake-engine.test-helper.ts),
 * bundled here with esbuild. Everything else on the page is the real build.
 */
import { build, type Plugin } from 'esbuild';
import type { Page } from 'playwright-core';
import { ROOT } from './book.ts';

const ENTRY = `
import { mountPanel as real } from './src/components/try-it/panel.ts';
import { fakeEngine } from './src/lib/terminal/fake-engine.test-helper.ts';
import { PING_TRACE } from './tests/e2e/try-it-trace.ts';
export function mountPanel(container, data) {
	const { engine } = fakeEngine({
		msPerSecond: 50,
		answer: (host, line) => (host === 'alice' && /^ping .*192\\.168\\.1\\.2$/.test(line) ? { stdout: 'PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.\\n64 bytes from 192.168.1.2: icmp_seq=1 ttl=64 time=0.1 ms\\n', stderr: '', exit: 0, trace: PING_TRACE } : undefined),
	});
	return real(container, data, engine);
}
`;

/** A test entry module (TypeScript from the repository's root) bundled for the page as one ES module. */
export async function bundleForPage(contents: string, sourcefile: string, plugins: Plugin[] = []): Promise<string> {
	const r = await build({
		stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile },
		bundle: true,
		format: 'esm',
		write: false,
		platform: 'browser',
		target: 'es2022',
		logLevel: 'silent',
		plugins,
	});
	return r.outputFiles[0]!.text;
}

let bundle: Promise<string> | undefined;

/** The panel over the scripted two-hosts engine, as one ES module. */
function fakePanelBundle(): Promise<string> {
	return (bundle ??= bundleForPage(ENTRY, 'fake-panel.ts'));
}

/** Makes `page` load the fake panel instead of the built one. */
export async function useFakePanel(page: Page): Promise<void> {
	const code = await fakePanelBundle();
	await page.route(/\/_astro\/panel\.[\w-]+\.js$/, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: code }));
}

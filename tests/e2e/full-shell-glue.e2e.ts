// The full shell's glue after the boot, in a real browser, with a stand-in for the WebContainer
// (StackBlitz's cannot be reached from here): shell.ts, bundled as the site bundles it, is handed a
// fake `boot` on the isolated chapter page. What it must do with a WebContainer: boot it with the
// page's COEP and the plugin's folder name, mount the very tree the site serves, start jsh with
// the simulator's tools on PATH and the lab's state file, type the setup line only once jsh reads
// input, pass the reader's keys to it, and let the editor read and write the WebContainer's files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { build, type Plugin } from 'esbuild';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETUP_LINE, shellEnv } from '../../src/lib/fullshell/commands.ts';
import { bookChapterSources } from '../../src/lib/fullshell/emit.ts';
import { TREE_FILE } from '../../src/lib/fullshell/layout.ts';
import { shellPages } from '../../src/lib/fullshell/pages.ts';
import { editableFiles, treeFiles } from '../../src/lib/fullshell/tree.ts';
import { BOOK, DIST, ROOT } from './book.ts';
import { useBuiltSite } from './site-fixture.ts';
import { contextPerTest, newPage } from './try-it-page.ts';

const site = useBuiltSite();
const track = contextPerTest();
const shellPage = shellPages(bookChapterSources(BOOK))[0]!;
const tree = JSON.parse(readFileSync(join(DIST, TREE_FILE), 'utf8'));
const files = treeFiles(tree);
let bundle = '';

/** `x.css?inline` as Vite gives it: the stylesheet's text as the default export. */
const inlineCss: Plugin = {
	name: 'inline-css',
	setup(b) {
		b.onResolve({ filter: /\?inline$/ }, async (args) => {
			const r = await b.resolve(args.path.replace(/\?inline$/, ''), { resolveDir: args.resolveDir, kind: args.kind });
			return { path: r.path, namespace: 'inline-css' };
		});
		b.onLoad({ filter: /.*/, namespace: 'inline-css' }, (args) => ({ contents: `export default ${JSON.stringify(readFileSync(args.path, 'utf8'))};`, loader: 'js' }));
	},
};

beforeAll(async () => {
	const out = await build({
		entryPoints: [join(ROOT, 'src/components/full-shell/shell.ts')],
		bundle: true,
		format: 'iife',
		globalName: 'FullShellModule',
		platform: 'browser',
		write: false,
		plugins: [inlineCss],
		logLevel: 'silent',
	});
	bundle = out.outputFiles[0]!.text;
});

/** The fake WebContainer, installed in the page as `window.fake`: it records what shell.ts asks of it. */
function installFake(): void {
	const log = { boot: [] as unknown[], mount: undefined as unknown, spawns: [] as unknown[], input: [] as string[], writes: [] as [string, string][], resizes: [] as unknown[], oscAt: 0, firstInputAt: 0 };
	const files = new Map<string, string>();
	const flatten = (tree: Record<string, { directory?: object; file?: { contents: string } }>, prefix = ''): void => {
		for (const [name, node] of Object.entries(tree)) {
			if (node.directory) flatten(node.directory as typeof tree, `${prefix}${name}/`);
			else files.set(`${prefix}${name}`, node.file!.contents);
		}
	};
	let screen: ReadableStreamDefaultController<string> | undefined;
	const jsh = () => ({
		output: new ReadableStream<string>({ start: (c) => void (screen = c) }),
		input: new WritableStream<string>({
			write(chunk) {
				log.input.push(chunk);
				log.firstInputAt ||= performance.now();
			},
		}),
		exit: new Promise<number>(() => {}),
		kill() {},
		resize: (size: unknown) => void log.resizes.push(size),
	});
	const wc = {
		workdir: '/home/tsbridge',
		path: '/usr/local/bin:/bin',
		fs: {
			readFile: async (p: string) => (files.has(p) ? files.get(p) : Promise.reject(new Error(`ENOENT: ${p}`))),
			writeFile: async (p: string, d: string) => void (files.set(p, d), log.writes.push([p, d])),
		},
		mount: async (tree: Parameters<typeof flatten>[0]) => void ((log.mount = tree), flatten(tree)),
		spawn: async (cmd: string, args: string[], opts: unknown) => {
			log.spawns.push({ cmd, args, opts });
			const p = jsh();
			// jsh draws its prompt, and only later says it reads input.
			setTimeout(() => screen?.enqueue('\x1b[32m~/tsbridge\x1b[0m ❯ '), 50);
			setTimeout(() => ((log.oscAt = performance.now()), screen?.enqueue('\x1b]654;interactive\x07')), 400);
			return p;
		},
	};
	// A boot that takes 1.5 s, for a timeout shorter than that.
	const slowBoot = (o: unknown) => (log.boot.push(o), new Promise((resolve) => setTimeout(() => resolve(wc), 1500)));
	Object.assign(window, { fake: { log, files, wc, boot: async (o: unknown) => (log.boot.push(o), wc), slowBoot } });
}

/** The chapter page with shell.ts loaded and the fake installed; `open` runs openFullShell into the component's body. */
async function prepare(): Promise<Page> {
	const { page, context } = await newPage(site.browser);
	track(context);
	await page.goto(site.url + shellPage);
	await page.addScriptTag({ content: bundle });
	await page.evaluate(installFake);
	return page;
}

type Said = { said: string[]; failure?: unknown };
const open = (page: Page, tree = `/${TREE_FILE}`, boot: 'boot' | 'slowBoot' | 'failing' = 'boot', timeoutMs = 10_000): Promise<Said> =>
	page.evaluate(
		async ({ tree, boot, timeoutMs }) => {
			const said: string[] = [];
			const body = document.querySelector<HTMLElement>('.nb-fs-body')!;
			const w = window as unknown as { FullShellModule: { openFullShell: Function }; fake: Record<string, Function> };
			const bootWith = boot === 'failing' ? () => Promise.reject(new Error('Unable to create more instances')) : w.fake[boot];
			try {
				await w.FullShellModule.openFullShell(body, { tree, timeoutMs, say: (l: string) => said.push(l) }, bootWith);
				return { said };
			} catch (e) {
				return { said, failure: (e as { failure?: unknown }).failure };
			}
		},
		{ tree, boot, timeoutMs },
	);

const log = (page: Page) => page.evaluate(() => (window as unknown as { fake: { log: Record<string, unknown> } }).fake.log) as Promise<Record<string, any>>;

describe('shell.ts with a stand-in WebContainer', () => {
	it('boots with the page\'s COEP, mounts the site\'s tree, starts jsh with the lab\'s environment and types the setup line once jsh reads', async () => {
		const page = await prepare();
		const { said, failure } = await open(page);
		expect(failure).toBeUndefined();
		expect(said.at(-1)).toBe('Ready: the shell builds the plugin and starts the lab; the editor above it writes into the same folder.');
		const got = await log(page);
		expect(got['boot']).toEqual([{ coep: 'require-corp', workdirName: 'tsbridge' }]);
		expect(got['mount']).toEqual(tree);
		const [spawn] = got['spawns'];
		expect(spawn.cmd).toBe('jsh');
		expect(spawn.args).toEqual(['--osc']);
		expect(spawn.opts.env).toEqual(shellEnv('/home/tsbridge', '/usr/local/bin:/bin'));
		expect(spawn.opts.terminal.cols).toBeGreaterThan(40);
		expect(spawn.opts.terminal.rows).toBeGreaterThan(10);
		expect(got['input']).toEqual([`${SETUP_LINE}\n`]);
		expect(got['firstInputAt']).toBeGreaterThanOrEqual(got['oscAt']);
		// xterm.js draws only what is in view.
		await page.locator('.nb-fs-term').scrollIntoViewIfNeeded();
		await expect.poll(() => page.locator('.nb-fs-term .xterm-rows').textContent()).toContain('~/tsbridge ❯');
		expect(await page.locator('.nb-fs-term .xterm-rows').textContent()).toContain('A shell in a WebContainer');
	});

	it('passes the reader\'s keys to jsh, and keeps its size in step with the terminal\'s', async () => {
		const page = await prepare();
		await open(page);
		await page.locator('.nb-fs-term').click();
		await page.keyboard.type('npm test');
		await page.keyboard.press('Enter');
		await expect.poll(async () => (await log(page))['input'].slice(1).join('')).toBe('npm test\r');
		const before = (await log(page))['resizes'].length;
		await page.setViewportSize({ width: 700, height: 900 });
		await expect.poll(async () => (await log(page))['resizes'].length).toBeGreaterThan(before);
		const last = (await log(page))['resizes'].at(-1);
		expect(last.cols).toBeGreaterThan(20);
		expect(last.cols).toBeLessThan((await log(page))['spawns'][0].opts.terminal.cols);
	});

	it('edits the WebContainer\'s files: the plugin\'s sources, the configuration, the tests', async () => {
		const page = await prepare();
		await open(page);
		const select = page.locator('.nb-fs-file');
		const text = page.locator('.nb-fs-text');
		expect(await select.locator('option').allTextContents()).toEqual(editableFiles(tree));
		expect(await select.inputValue()).toBe('src/plugin.ts');
		await expect.poll(() => text.inputValue()).toBe(files.get('src/plugin.ts'));
		expect(await text.getAttribute('aria-label')).toBe('Contents of src/plugin.ts');

		const edited = files.get('src/plugin.ts')!.replace('`veth${', '`tsb${');
		await text.fill(edited);
		await text.press('Control+s');
		await expect.poll(() => page.locator('.nb-fs-saved').textContent()).toBe('Saved src/plugin.ts: npm test rebuilds and tests it');
		expect((await log(page))['writes']).toEqual([['src/plugin.ts', edited]]);

		await select.selectOption('conf.json');
		await expect.poll(() => text.inputValue()).toBe(files.get('conf.json'));
		await text.fill(files.get('conf.json')!.replace('"cni0"', '"cni1"'));
		await select.selectOption('test/plugin.test.mjs');
		await expect.poll(() => text.inputValue()).toBe(files.get('test/plugin.test.mjs'));
		expect((await log(page))['writes'].map((w: [string, string]) => w[0])).toEqual(['src/plugin.ts', 'conf.json']);
		await page.locator('.nb-fs-save').click();
		expect(await page.locator('.nb-fs-saved').textContent()).toBe('test/plugin.test.mjs: no changes to save');
	});

	it('has no accessibility violations once open', async () => {
		const page = await prepare();
		await open(page);
		const { violations } = await new AxeBuilder({ page }).include('[data-nb-fullshell]').analyze();
		expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
	});

	it('after a boot that timed out, tries again with the same boot, never a second one', async () => {
		const page = await prepare();
		expect((await open(page, `/${TREE_FILE}`, 'slowBoot', 500)).failure).toEqual({ kind: 'timeout', seconds: 1 });
		expect((await open(page, `/${TREE_FILE}`, 'slowBoot')).failure).toBeUndefined();
		expect((await log(page))['boot']).toHaveLength(1);
	});

	it('rejects with the reason when the boot fails or the tree is missing', async () => {
		const page = await prepare();
		expect((await open(page, `/${TREE_FILE}`, 'failing')).failure).toEqual({ kind: 'boot', detail: 'Unable to create more instances' });
		// A failed boot is forgotten: the next press boots again.
		expect((await open(page)).failure).toBeUndefined();
		const page2 = await prepare();
		expect((await open(page2, '/full-shell/nope.json')).failure).toEqual({ kind: 'files', detail: 'HTTP 404 for /full-shell/nope.json' });
	});
});

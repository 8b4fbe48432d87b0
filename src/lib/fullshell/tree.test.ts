// The folder "Open in a full shell" mounts, held against the real files it is made of: the
// template folder, the plugin's sources, the simulator's tools as `npm run simtools` builds them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { buildSimtools } from '../simtools/build.ts';
import { catalogFromBook } from '../simtools/catalog-book.ts';
import { TOOLS } from '../simtools/tool-command.ts';
import { SETUP_LINE, TRY_LINES } from './commands.ts';
import { FIRST_EDITED, editableFiles, shellTree, treeFiles, type ShellFiles } from './tree.ts';
import { collectShellFiles, filesUnder, PLUGIN_DIR, TEMPLATE_DIR } from './sources.ts';

let files: ShellFiles;
let tree: Map<string, string>;
const scratch = mkdtempSync(join(tmpdir(), 'full-shell-tree-'));

beforeAll(async () => {
	files = await collectShellFiles(ROOT);
	tree = treeFiles(shellTree(files));
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The paths of the tree under `prefix`, without it. */
const under = (prefix: string) => [...tree.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).sort();

describe('the tree', () => {
	it('holds examples/full-shell as it is, at the top', () => {
		const template = filesUnder(join(ROOT, TEMPLATE_DIR));
		expect(Object.keys(template).sort()).toEqual(['README.md', 'conf.json', 'package.json', 'test/plugin.test.mjs', 'tools/build.cjs']);
		for (const [path, text] of Object.entries(template)) expect(tree.get(path), path).toBe(text);
	});

	it('holds the plugin\'s sources in src/, byte for byte, and none of its tests', () => {
		const dir = join(ROOT, PLUGIN_DIR);
		const sources = readdirSync(dir).filter((n) => n.endsWith('.ts') && !/\.test(-helper)?\.ts$/.test(n)).sort();
		expect(sources.length).toBeGreaterThanOrEqual(9);
		expect(under('src/')).toEqual(sources);
		for (const name of sources) expect(tree.get(`src/${name}`), name).toBe(readFileSync(join(dir, name), 'utf8'));
	});

	it('holds the simulator\'s tools exactly as npm run simtools builds them, every tool in netsim/bin', async () => {
		const out = join(scratch, 'simtools');
		await buildSimtools(out, catalogFromBook(ROOT));
		const built = filesUnder(out);
		expect(under('netsim/')).toEqual(Object.keys(built).sort());
		for (const [path, text] of Object.entries(built)) expect(tree.get(`netsim/${path}`), path).toBe(text);
		expect(under('netsim/bin/')).toEqual([...TOOLS, 'netsim-lab'].sort());
	}, 60_000);

	it('holds a type stripper that tools/build.cjs can require, and nothing else', () => {
		const file = join(scratch, 'sucrase.cjs');
		writeFileSync(file, tree.get('tools/sucrase.cjs')!);
		const { transform } = createRequire(import.meta.url)(file) as { transform: (code: string, options: object) => { code: string } };
		const js = transform("import { x } from './x.ts';\nexport const f = (n: number): string => x(n) as string;\n", { transforms: ['typescript', 'imports'], disableESTransforms: true }).code;
		expect(js).toContain("require('./x.ts')");
		expect(js).not.toMatch(/: number|: string|as string/);
		const expected = [...Object.keys(filesUnder(join(ROOT, TEMPLATE_DIR))), ...under('src/').map((n) => `src/${n}`), 'tools/sucrase.cjs', ...under('netsim/').map((n) => `netsim/${n}`)];
		expect([...tree.keys()].sort()).toEqual(expected.sort());
	});

	it('offers the editor the plugin\'s sources, then the configuration and the tests; it opens plugin.ts', () => {
		const editable = editableFiles(shellTree(files));
		expect(FIRST_EDITED).toBe('src/plugin.ts');
		expect(tree.has(FIRST_EDITED)).toBe(true);
		expect(editable).toEqual([...under('src/').map((n) => `src/${n}`), 'conf.json', 'test/plugin.test.mjs']);
	});

	it('has the scripts the commands call, and a README that lists every line to try', () => {
		const pkg = JSON.parse(tree.get('package.json')!) as { scripts: Record<string, string> };
		expect(pkg.scripts['build']).toBe('node tools/build.cjs');
		expect(pkg.scripts['test']).toBe('node tools/build.cjs && node --test test/plugin.test.mjs');
		expect(SETUP_LINE).toBe('npm run -s build && netsim-lab init --lab machine');
		const readme = tree.get('README.md')!;
		const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n');
		expect(block).toEqual(TRY_LINES);
	});
});

describe('shellTree', () => {
	const some: ShellFiles = { template: { 'package.json': '{}', 'test/a.mjs': 'a' }, plugin: { 'main.ts': 'm' }, simtools: { 'bin/ip': 'ip' }, transpiler: 't' };

	it('nests folders and keeps every file', () => {
		expect(shellTree(some)).toEqual({
			'package.json': { file: { contents: '{}' } },
			test: { directory: { 'a.mjs': { file: { contents: 'a' } } } },
			src: { directory: { 'main.ts': { file: { contents: 'm' } } } },
			tools: { directory: { 'sucrase.cjs': { file: { contents: 't' } } } },
			netsim: { directory: { bin: { directory: { ip: { file: { contents: 'ip' } } } } } },
		});
	});

	it('refuses two files at one place, a file where a folder goes, and paths that climb', () => {
		expect(() => shellTree({ ...some, template: { 'src/main.ts': 'x' } })).toThrow('two files at "src/main.ts"');
		expect(() => shellTree({ ...some, template: { src: 'x' } })).toThrow('"src/main.ts" needs a folder where a file is');
		expect(() => shellTree({ ...some, template: { '../x': 'x' } })).toThrow('"../x" is not a plain relative path');
	});
});

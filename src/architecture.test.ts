// The rooms and the allowed directions between them are written in docs/architecture.md (and the
// simulator's layers in docs/simulator.md); this test reads them there, so the documents and the
// check cannot drift apart, and fails on every import that goes the wrong way or closes a cycle.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './lib/book/paths.ts';

/** A fenced block of a markdown file by its info string (` ```rooms `). */
function fenced(markdown: string, info: string): string {
	const m = new RegExp('^```' + info + '\\n([\\s\\S]*?)^```', 'm').exec(markdown);
	if (!m) throw new Error(`no \`\`\`${info} block`);
	return m[1] ?? '';
}

/** A ```layers BASE block: folders under BASE, one layer a line, lowest first. */
function readLayers(markdown: string): { base: string; layers: string[][] } {
	const m = /^```layers (\S+)\n([\s\S]*?)^```/m.exec(markdown);
	if (!m) throw new Error('no ```layers block');
	return { base: m[1]!, layers: m[2]!.split('\n').filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)) };
}

/** `name: allowed allowed…` lines → allowed imports per name. */
export function parseDirections(block: string): Map<string, Set<string>> {
	const rules = new Map<string, Set<string>>();
	for (const line of block.split('\n').filter((l) => l.trim())) {
		const m = /^([\w./-]+):\s*(.*)$/.exec(line.trim());
		if (!m) throw new Error(`cannot read the direction line "${line}"`);
		rules.set(m[1]!, new Set((m[2] ?? '').split(/\s+/).filter(Boolean)));
	}
	return rules;
}

/** The rooms table of docs/architecture.md: room name → folder. */
function roomFolders(markdown: string): Map<string, string> {
	const folders = new Map<string, string>();
	for (const m of markdown.matchAll(/^\| (\w+) \| `([^`]+)\/` \|/gm)) folders.set(m[1]!, m[2]!);
	return folders;
}

/** Every source file under `dir` (TypeScript, Astro, plain modules), as paths from the root. */
function sources(dir: string): string[] {
	const out: string[] = [];
	const walk = (d: string): void => {
		for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
			const p = `${d}/${e.name}`;
			if (e.isDirectory()) walk(p);
			else if (/\.(ts|mts|mjs|astro)$/.test(e.name)) out.push(p);
		}
	};
	walk(dir);
	return out.sort();
}

/** Code without comments, so that examples in JSDoc are not read as imports. */
function stripComments(code: string): string {
	return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Relative module specifiers a file imports: static, re-exports, side effects and dynamic. */
export function importsOf(code: string): string[] {
	const specs: string[] = [];
	const text = stripComments(code);
	for (const m of text.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
		const spec = m[1] ?? m[2] ?? m[3];
		if (spec?.startsWith('.')) specs.push(spec);
	}
	return specs;
}

interface Edge {
	from: string;
	to: string;
	spec: string;
}

/** Every relative import of the source files under `dir`, resolved to a path from the root. */
function edges(dir: string): Edge[] {
	return sources(dir).flatMap((from) =>
		importsOf(readFileSync(join(ROOT, from), 'utf8')).map((spec) => ({ from, spec, to: relative(ROOT, resolve(ROOT, dirname(from), spec)) })),
	);
}

const isTest = (file: string): boolean => /\.test(-helper)?\.ts$/.test(file);

/** Folder-level cycles among `files`' imports: each as the folders around it. */
export function folderCycles(all: readonly Edge[]): string[][] {
	const graph = new Map<string, Set<string>>();
	for (const e of all) {
		const a = dirname(e.from);
		const b = dirname(e.to);
		if (a === b) continue;
		if (!graph.has(a)) graph.set(a, new Set());
		graph.get(a)!.add(b);
	}
	// Tarjan's strongly connected components: any component of two or more folders is a cycle.
	let next = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const cycles: string[][] = [];
	const visit = (v: string): void => {
		index.set(v, next);
		low.set(v, next++);
		stack.push(v);
		onStack.add(v);
		for (const w of graph.get(v) ?? []) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) === index.get(v)) {
			const component: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				onStack.delete(w);
				component.push(w);
			} while (w !== v);
			if (component.length > 1) cycles.push(component.sort());
		}
	};
	for (const v of graph.keys()) if (!index.has(v)) visit(v);
	return cycles;
}

const architecture = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
const rules = parseDirections(fenced(architecture, 'rooms'));
const folders = roomFolders(architecture);
const TEST_EXTRAS = ['book', 'runbook', 'snapshot'];
// The book's CNI plugin is a room of its own outside src/ (examples/cni-plugin). Its tests drive it
// from outside, as a reader's machine would (the setup's preflight finds Debian's node for them).
const all = [...edges('src'), ...edges('examples/cni-plugin').filter((e) => !isTest(e.from))];

/** The room a path is in (the longest matching folder), if any. */
function roomOf(path: string): string | undefined {
	let best: string | undefined;
	for (const [room, folder] of folders)
		if ((path === folder || path.startsWith(`${folder}/`)) && (!best || folder.length > folders.get(best)!.length)) best = room;
	return best;
}

describe('rooms (docs/architecture.md)', () => {
	it('names a folder for every room in the directions, and every folder exists', () => {
		expect([...rules.keys()].sort()).toEqual([...folders.keys()].sort());
		for (const allowed of rules.values()) for (const r of allowed) expect(folders.has(r), r).toBe(true);
		for (const folder of folders.values()) expect(sources(folder).length, folder).toBeGreaterThan(0);
	});

	it('reads real imports, so the checks below see something', () => {
		expect(importsOf("import a from './a.ts';\nexport { b } from '../b.ts';\nimport './c.css';\nconst d = await import('./d.ts');\n// import x from './x.ts'\n")).toEqual(['./a.ts', '../b.ts', './c.css', './d.ts']);
		expect(all.filter((e) => roomOf(e.from) !== roomOf(e.to)).length).toBeGreaterThan(100);
	});

	it('every import between rooms goes an allowed way', () => {
		const wrong = all.flatMap((e) => {
			const from = roomOf(e.from);
			const to = roomOf(e.to);
			if (!from || from === to) return [];
			const allowed = new Set([...(rules.get(from) ?? []), ...(isTest(e.from) ? TEST_EXTRAS : [])]);
			if (to && allowed.has(to)) return [];
			// A test may read the book's data files (content/, examples/, tests/fixtures/) directly.
			if (!to && isTest(e.from) && !e.to.startsWith('src/')) return [];
			return [`${e.from} imports ${e.spec}: ${from} may not import ${to ?? e.to} (docs/architecture.md)`];
		});
		expect(wrong).toEqual([]);
	});

	it('no two folders import each other, directly or around a cycle (tests aside)', () => {
		expect(folderCycles(all.filter((e) => !isTest(e.from)))).toEqual([]);
	});
});

describe('the simulator\'s layers (docs/simulator.md)', () => {
	const { base, layers } = readLayers(readFileSync(join(ROOT, 'docs/simulator.md'), 'utf8'));
	const layerOf = new Map(layers.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
	const folderOf = (file: string): string => relative(base, dirname(file)) || '.';
	const inside = all.filter((e) => e.from.startsWith(`${base}/`) && e.to.startsWith(`${base}/`) && folderOf(e.from) !== folderOf(e.to));

	it('names every folder of the simulator once', () => {
		const folders = [...new Set(sources(base).map(folderOf))].sort();
		expect([...layerOf.keys()].sort()).toEqual(folders);
		expect(inside.length).toBeGreaterThan(50);
	});

	it('imports only from lower layers, tests included', () => {
		const wrong = inside
			.filter((e) => !((layerOf.get(folderOf(e.to)) ?? Infinity) < (layerOf.get(folderOf(e.from)) ?? -Infinity)))
			.map((e) => `${e.from} imports ${e.spec}: ${folderOf(e.from)} may not import ${folderOf(e.to)} (docs/simulator.md, Layers)`);
		expect(wrong).toEqual([]);
	});
});

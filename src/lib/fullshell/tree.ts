/**
 * The folder "Open in a full shell" mounts, as a WebContainer file tree: a pure function of the
 * files it is made of, so that the tests can hold it against the real files and write the very
 * same tree to disk. sources.ts reads those files; the page fetches the tree as JSON.
 *
 *   package.json README.md conf.json test/…   examples/full-shell/, as they are
 *   src/*.ts                                   the plugin's sources (examples/cni-plugin/src, no tests)
 *   tools/build.cjs tools/sucrase.cjs          the build (from examples/full-shell) and its type stripper
 *   netsim/bin/ip … netsim/lib/tool.mjs …      the simulator as command-line tools (npm run simtools)
 */
import type { DirectoryNode, FileNode, FileSystemTree } from '@webcontainer/api';
import { NETSIM_DIR, SOURCE_DIR, TRANSPILER_FILE } from './layout.ts';

/** What the folder is made of; every path is relative and uses `/`. */
export interface ShellFiles {
	/** examples/full-shell, by path: the folder's own files (package.json, README.md, conf.json, tools/, test/). */
	template: Record<string, string>;
	/** The plugin's sources by file name (`plugin.ts`), tests left out. */
	plugin: Record<string, string>;
	/** The simulator's tools by path under their folder (`bin/ip`, `lib/tool.mjs`, `lib/catalog.json`). */
	simtools: Record<string, string>;
	/** tools/sucrase.cjs: sucrase's `transform`, bundled into one CommonJS file. */
	transpiler: string;
}

/** The folder's files by path, in the order the tree lists them. */
export function shellFileList(files: ShellFiles): [string, string][] {
	return [
		...Object.entries(files.template),
		...Object.entries(files.plugin).map(([name, text]): [string, string] => [`${SOURCE_DIR}/${name}`, text]),
		[TRANSPILER_FILE, files.transpiler],
		...Object.entries(files.simtools).map(([path, text]): [string, string] => [`${NETSIM_DIR}/${path}`, text]),
	];
}

/**
 * The file tree of the folder. Throws, naming the path, if two parts put a file at the same place
 * or a path is not a plain relative one.
 */
export function shellTree(files: ShellFiles): FileSystemTree {
	const tree: FileSystemTree = {};
	for (const [path, contents] of shellFileList(files)) {
		const parts = path.split('/');
		if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`full shell: "${path}" is not a plain relative path`);
		let dir = tree;
		for (const part of parts.slice(0, -1)) {
			const node = (dir[part] ??= { directory: {} });
			if (!('directory' in node)) throw new Error(`full shell: "${path}" needs a folder where a file is`);
			dir = node.directory;
		}
		const name = parts.at(-1)!;
		if (dir[name]) throw new Error(`full shell: two files at "${path}"`);
		dir[name] = { file: { contents } };
	}
	return tree;
}

/** Every file of a tree by path, as the tests read it back (symlinks and binary contents are not used here). */
export function treeFiles(tree: FileSystemTree, prefix = ''): Map<string, string> {
	const out = new Map<string, string>();
	for (const [name, node] of Object.entries(tree)) {
		const path = `${prefix}${name}`;
		if ('directory' in node) for (const [p, text] of treeFiles((node as DirectoryNode).directory, `${path}/`)) out.set(p, text);
		else {
			const { contents } = (node as FileNode).file;
			out.set(path, typeof contents === 'string' ? contents : new TextDecoder().decode(contents));
		}
	}
	return out;
}

/** The file the editor opens first: the plugin's four commands. */
export const FIRST_EDITED = `${SOURCE_DIR}/plugin.ts`;

/** The files the editor offers: the plugin's sources, then the configuration and the tests. */
export function editableFiles(tree: FileSystemTree): string[] {
	const paths = [...treeFiles(tree).keys()];
	const sources = paths.filter((p) => p.startsWith(`${SOURCE_DIR}/`)).sort();
	return [...sources, ...paths.filter((p) => p === 'conf.json' || p.startsWith('test/')).sort()];
}

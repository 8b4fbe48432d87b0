import { load as loadYaml } from 'js-yaml';
import { checksSchema, hostsOf, patternsOf, type CheckSpec } from './checks.ts';
import { splitCommands } from './commands.ts';
import { RunbookError } from './errors.ts';
import { contentHash } from './hash.ts';
import { parseMeta } from './meta.ts';
import type { Chapter, ShellBlock } from './types.ts';

/** What the parser needs to know about a lab: its host names, in order. */
export interface LabHosts {
	hosts: readonly string[];
}

/** Options for {@link parseChapter}. */
export interface ParseOptions {
	/** Path shown in errors, e.g. content/chapters/05-veth-pairs.mdx. */
	file: string;
	/** Resolves the frontmatter's `lab` to its host names; throws or returns undefined if unknown. */
	lab: (name: string) => LabHosts | undefined;
}

interface Fence {
	lang: string;
	meta: string;
	line: number;
	code: string;
}

/** Snapshot key of a block: the host and the commands, nothing else. */
export function blockKey(host: string, commands: readonly string[]): string {
	return contentHash(JSON.stringify([host, ...commands]));
}

/** Chapter id from its file path: `content/chapters/05-veth-pairs.mdx` → `05-veth-pairs`. */
export function chapterId(file: string): string {
	return file.replace(/^.*\//, '').replace(/\.mdx?$/, '');
}

function readFrontmatter(source: string, file: string): { data: Record<string, unknown>; bodyLine: number } {
	const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(source);
	if (!m) throw new RunbookError(file, 1, 'no frontmatter', 'start the chapter with --- title, description, lab --- ');
	let data: unknown;
	try {
		data = loadYaml(m[1] ?? '');
	} catch (e) {
		throw new RunbookError(file, 1, `frontmatter is not valid YAML: ${(e as Error).message}`, 'fix the YAML between the --- lines');
	}
	if (!data || typeof data !== 'object') throw new RunbookError(file, 1, 'frontmatter is empty', 'add title, description and lab');
	return { data: data as Record<string, unknown>, bodyLine: m[0].split('\n').length };
}

/** Finds fenced code blocks (``` or ~~~, any indentation, longer fences nest shorter ones). */
function findFences(source: string, file: string): Fence[] {
	const lines = source.split('\n');
	const fences: Fence[] = [];
	for (let i = 0; i < lines.length; i++) {
		const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i] ?? '');
		if (!open) continue;
		const [, indent = '', marker = '', lang = '', meta = ''] = open;
		const close = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
		const body: string[] = [];
		let j = i + 1;
		for (; j < lines.length; j++) {
			if (close.test(lines[j] ?? '')) break;
			const l = lines[j] ?? '';
			body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
		}
		if (j >= lines.length)
			throw new RunbookError(file, i + 1, `code fence ${marker} is never closed`, `close it with ${marker} on a line of its own`);
		fences.push({ lang, meta: meta.trim(), line: i + 1, code: body.join('\n') });
		i = j;
	}
	return fences;
}

/** The frontmatter's progress checks, validated: every host in the lab, every pattern compiles. */
function readChecks(raw: unknown, file: string, labName: string, lab: LabHosts): CheckSpec[] {
	if (raw === undefined) return [];
	const parsed = checksSchema.safeParse(raw);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `checks.${i.path.join('.')}: ${i.message}`).join('; ');
		throw new RunbookError(file, 1, `the frontmatter's checks are not valid: ${problems}`, 'see "Progress checks" in docs/writing-chapters.md');
	}
	for (const check of parsed.data) {
		for (const host of hostsOf(check.when))
			if (!lab.hosts.includes(host))
				throw new RunbookError(file, 1, `check "${check.id}" looks at unknown host "${host}" of lab "${labName}"`, `hosts of this lab: ${lab.hosts.join(', ')}`);
		for (const pattern of patternsOf(check.when)) {
			try {
				new RegExp(pattern);
			} catch (e) {
				throw new RunbookError(file, 1, `check "${check.id}": ran: ${(e as Error).message}`, "write ran: as a JavaScript regular expression in single quotes ('^ip link$')");
			}
		}
	}
	return parsed.data;
}

/**
 * Parses a chapter's MDX source into its shell blocks and their commands.
 * Throws {@link RunbookError} naming file and line for anything a reader could not run.
 */
export function parseChapter(source: string, options: ParseOptions): Chapter {
	const { file } = options;
	source = source.replace(/\r\n/g, '\n');
	const { data } = readFrontmatter(source, file);
	const need = (key: string): string => {
		const v = data[key];
		if (typeof v !== 'string' || v.trim() === '')
			throw new RunbookError(file, 1, `frontmatter has no "${key}"`, `add ${key}: … to the frontmatter`);
		return v;
	};
	const title = need('title');
	const description = need('description');
	const labName = need('lab');
	const lab = options.lab(labName);
	if (!lab) throw new RunbookError(file, 1, `unknown lab "${labName}"`, `use the name of a file in examples/labs/ (without .json)`);
	const checks = readChecks(data['checks'], file, labName, lab);
	const sidebar = data['sidebar'] as { order?: unknown } | undefined;
	const order = typeof sidebar?.order === 'number' ? sidebar.order : undefined;

	const blocks: ShellBlock[] = [];
	for (const fence of findFences(source, file)) {
		if (fence.lang !== 'sh') continue;
		const meta = parseMeta(fence.meta);
		if (!meta.ok) throw new RunbookError(file, fence.line, meta.error, 'attributes are host=NAME, fails, norun="why", diagram, title="…"');
		const attributes = meta.attributes;
		const host = attributes.host ?? lab.hosts[0] ?? '';
		if (!lab.hosts.includes(host))
			throw new RunbookError(file, fence.line, `unknown host "${host}" in lab "${labName}"`, `hosts of this lab: ${lab.hosts.join(', ')}`);
		const split = splitCommands(fence.code, fence.line + 1);
		if (!split.ok) throw new RunbookError(file, split.line, split.error, 'finish the command or remove the trailing backslash');
		if (split.commands.length === 0)
			throw new RunbookError(file, fence.line, 'the sh block has no command', 'use a text fence for output or prose');
		if (attributes.fails && attributes.norun !== undefined)
			throw new RunbookError(file, fence.line, 'a block cannot be both fails and norun', 'keep one of them');
		blocks.push({
			index: blocks.length,
			line: fence.line,
			host,
			attributes,
			code: fence.code,
			commands: split.commands,
			key: blockKey(host, split.commands.map((c) => c.text)),
			runnable: attributes.norun === undefined,
		});
	}
	return { id: chapterId(file), file, title, description, lab: labName, ...(order === undefined ? {} : { order }), checks, blocks };
}

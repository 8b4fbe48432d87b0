import { bookProgram, downloadUrl } from '../book/book-programs.ts';
import { packageOf } from '../book/packages.ts';
import { oneLine } from './commands.ts';
import { FunctionScope, functionDefinition, type FunctionDefinition } from './functions.ts';
import { programsOf } from './programs.ts';
import { cleanupBlocks } from './cleanup.ts';
import { chapterEffects, sysctlOnly } from './effects.ts';
import { GUARD_HELPERS, guardDriver } from './guard-bash.ts';
import { cleanupLines, dispatchLines, mainLines } from './script-runner.ts';
import { guardHeader, surveyFunction, sweepFunction } from './guard.ts';
import type { Chapter, ShellBlock } from './types.ts';

/**
 * One downloadable bash script per chapter: every command in the book's order, one step per
 * `sh` block, each step naming the lab machine it runs on; a header saying what the script does
 * and changes; a check for root, Linux and the tools it calls; a survey of each machine before
 * anything changes (./guard.ts: it refuses with one line when something it would create or remove
 * by name is already there, and saves the settings it will change); the chapter's cleanup at the
 * end, also run when a step fails or the reader presses Ctrl-C, then the saved settings put back.
 *
 * Running it (see the header of any generated script):
 * - one-machine labs: `sudo bash NN-slug.sh`;
 * - several machines: `sudo bash NN-slug.sh --host alice` on each; a copy runs its machine's steps
 *   and waits (Enter) while another machine runs its step;
 * - automation (the verify engine): `NETBOOK_ENTER='prefix'` runs every step as
 *   `prefix HOST bash -c '<step>'`, e.g. a command that enters that host's namespaces; and
 *   `NETBOOK_STRICT=1` makes a `fails` step that succeeds an error.
 */

/** What the script generator needs besides the parsed chapter. */
export interface ScriptOptions {
	/** The lab's hosts in order, and its one-line description. */
	lab: { name: string; description: string; hosts: readonly string[] };
	/** Public address of the chapter page, for the header. */
	url?: string;
	/** Book title, for the header. */
	book?: string;
	/** Badge text of the recording, e.g. "verified on Linux 6.18 · iproute2 6.1 · x86_64 · 2026-11-26". */
	verified?: string;
}

/** A tool a script calls, and how to get it on Debian or Raspberry Pi OS. */
export interface Tool {
	/** Command name (`ip`) or absolute path (`/usr/lib/cni/bridge`). */
	name: string;
	/** Debian package that provides it, when known. */
	package?: string;
	/** For the book's own programs (src/lib/book/book-programs.ts): where the site serves it. */
	download?: string;
}

/**
 * The tools a chapter script checks for before it runs: every program the chapter's runnable
 * blocks call, in first-use order, with its Debian package; programs that every Debian system has
 * (coreutils, util-linux…) are left out. A program of the book's own comes with its download and
 * is followed by the program its `#!` line runs, which no command names.
 */
export function chapterTools(chapter: Chapter): Tool[] {
	const names = new Set<string>();
	const add = (name: string): void => {
		names.add(name);
		const own = bookProgram(name);
		if (own) names.add(own.interpreter);
	};
	for (const block of chapter.blocks) if (block.runnable) for (const c of block.commands) programsOf(c.text).forEach(add);
	const own = new Set(chapterFunctions(chapter).map((f) => f.name));
	return [...names]
		.filter((name) => !packageOf(name)?.essential && !own.has(name))
		.map((name) => {
			const book = bookProgram(name);
			if (book) return { name, download: downloadUrl(book) };
			const pkg = packageOf(name)?.package;
			return pkg ? { name, package: pkg } : { name };
		});
}

/** The shell functions a chapter defines (`mkpod() { …; }`), first definition of each name. */
export function chapterFunctions(chapter: Chapter): FunctionDefinition[] {
	const found = new Map<string, FunctionDefinition>();
	for (const block of chapter.blocks) {
		if (!block.runnable) continue;
		for (const c of block.commands) {
			const def = functionDefinition(c.text);
			if (def && !found.has(def.name)) found.set(def.name, def);
		}
	}
	return [...found.values()];
}

/** A one-line summary of what a command changes, or undefined for one that only looks. */
export function changeOf(command: string): string | undefined {
	const line = oneLine(command).trim();
	let m: RegExpExecArray | null;
	let ns = '';
	let rest = line;
	if ((m = /^ip netns exec (\S+) (.*)$/.exec(rest))) [ns, rest] = [m[1]!, m[2]!];
	if ((m = /^ip (?:-\S+ )*-n (\S+) (.*)$/.exec(rest))) [ns, rest] = [m[1]!, `ip ${m[2]!}`];
	const inNs = ns ? ` in namespace ${ns}` : '';
	rest = rest.replace(/^ip (?:-\S+ )+/, 'ip ');
	if ((m = /^ip netns add (\S+)/.exec(rest))) return `adds network namespace ${m[1]}`;
	if ((m = /^ip netns del(?:ete)? (\S+)/.exec(rest))) return `deletes network namespace ${m[1]}`;
	if ((m = /^ip link add (?:name )?(\S+).*?\btype (\S+)(?:.*\bpeer (?:name )?(\S+))?/.exec(rest)))
		return `adds ${m[2]} link ${m[1]}${m[3] ? ` (peer ${m[3]})` : ''}${inNs}`;
	if ((m = /^ip link del(?:ete)? (?:dev )?(\S+)/.exec(rest))) return `deletes link ${m[1]}${inNs}`;
	if ((m = /^ip link set (?:dev )?(\S+) (.*)$/.exec(rest))) return `sets link ${m[1]} ${m[2]}${inNs}`;
	if ((m = /^ip addr(?:ess)? (add|del|flush) (.*)$/.exec(rest))) return `${m[1] === 'add' ? 'adds' : m[1] === 'del' ? 'removes' : 'flushes'} address ${m[2]}${inNs}`;
	if ((m = /^ip route (add|del|replace|flush) (.*)$/.exec(rest))) return `${m[1] === 'add' ? 'adds' : m[1] === 'del' ? 'removes' : m[1] === 'replace' ? 'replaces' : 'flushes'} route ${m[2]}${inNs}`;
	if ((m = /^ip neigh (add|del|flush|replace) (.*)$/.exec(rest))) return `${m[1]}es neighbour entries: ${m[2]}${inNs}`.replace('addes', 'adds').replace('deles', 'deletes').replace('replacees', 'replaces');
	if ((m = /^bridge (fdb|vlan) (add|del) (.*)$/.exec(rest))) return `bridge ${m[1]} ${m[2]} ${m[3]}${inNs}`;
	if ((m = /^sysctl (?:-\S+ )*(\S+=\S+)/.exec(rest))) return `sets sysctl ${m[1]}${inNs}`;
	if ((m = /^iptables (.*-[AIDNXFPR] .*)$/.exec(rest))) return `iptables ${m[1]}${inNs}`;
	// a redirection writes the machine's file, whatever namespace the command runs in (but /proc/sys/net is per namespace)
	if ((m = />\s*(\/(?:proc|sys|etc|run|var|tmp)\/\S+)/.exec(rest))) return `writes ${m[1]}${m[1]!.startsWith('/proc/sys/') ? inNs : ''}`;
	if ((m = /^mkdir (?:-\S+ )*(\S+)/.exec(rest))) return `creates directory ${m[1]}`;
	if ((m = /^hostname (\S+)$/.exec(rest))) return `sets the hostname to ${m[1]}${inNs}`;
	if (/\bCNI_COMMAND=ADD\b/.test(line)) return 'calls a CNI plugin (ADD)';
	if (/\bCNI_COMMAND=DEL\b/.test(line)) return 'calls a CNI plugin (DEL)';
	if (/&\s*(?:echo \$! > \S+)?$/.test(line)) return `starts a background process: ${line.replace(/\s*>\/dev\/null.*$/, '')}`;
	return undefined;
}


const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const comment = (text: string) => text.split('\n').map((l) => (l ? `# ${l}` : '#')).join('\n');

/** Wraps plain prose into comment lines of at most `width` characters. */
function wrap(text: string, width = 94): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && line.length + word.length + 1 > width) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return lines;
}

/** A step's title: the block's caption, or its first command. */
function titleOf(block: ShellBlock): string {
	const first = oneLine(block.commands[0]?.text ?? '');
	return block.attributes.title ?? (first.length > 60 ? `${first.slice(0, 57)}…` : first);
}

/**
 * The body of a step function: commands as written; a `fails` block checks its last command fails.
 * In the cleanup, a command that only sets sysctls puts back the values the script found instead
 * (the book sets the lab's value, which need not be the reader's).
 */
function stepBody(block: ShellBlock, isCleanup: boolean): string[] {
	const out: string[] = [];
	block.commands.forEach((c, i) => {
		const text = c.text.split('\n');
		const keys = isCleanup ? sysctlOnly(c.text) : undefined;
		if (keys) {
			out.push(`\t# The book: ${oneLine(c.text)}. The script puts back the value${keys.length > 1 ? 's' : ''} it found instead.`);
			out.push(...keys.map((k) => `\tsysctl_as_found ${k}`));
		} else if (block.attributes.fails && i === block.commands.length - 1) {
			out.push('\t# The book shows this command failing; the script checks that it still does.');
			out.push('\tif', ...text.map((l, j) => (j === 0 ? `\t\t${l}` : l)), `\tthen unexpected_success ${block.index + 1}; fi`);
		} else out.push(...text.map((l, j) => (j === 0 ? `\t${l}` : l)));
	});
	return out;
}

/** What the parts of a chapter script are built from. */
interface ScriptPlan {
	chapter: Chapter;
	options: ScriptOptions;
	runnable: ShellBlock[];
	/** Indexes of the cleanup blocks. */
	cleanup: Set<number>;
	/** The lab hosts the chapter's blocks run on, in lab order. */
	hosts: string[];
	multi: boolean;
	tools: Tool[];
	/** One line per change the chapter makes (cleanup aside), with its host on several machines. */
	changes: string[];
	file: string;
	effects: ReturnType<typeof chapterEffects>;
}

function planOf(chapter: Chapter, options: ScriptOptions): ScriptPlan {
	const { lab } = options;
	const runnable = chapter.blocks.filter((b) => b.runnable);
	const cleanup = new Set(cleanupBlocks(chapter).map((b) => b.index));
	const hosts = lab.hosts.filter((h) => chapter.blocks.some((b) => b.host === h));
	const multi = hosts.length > 1;
	// A call of the chapter's own function changes what its body changes (./functions.ts).
	const scopes = new Map(hosts.map((h) => [h, new FunctionScope()]));
	const summaries = (b: ShellBlock) =>
		b.commands.flatMap((c) => (scopes.get(b.host)?.read(c.text) ?? [c.text]).flatMap((line) => line.split(/;\s+/)).map((line) => changeOf(line)));
	const changes = [
		...new Set(
			runnable
				.filter((b) => !cleanup.has(b.index))
				.flatMap((b) => summaries(b).filter(Boolean).map((c) => (multi ? `${b.host}: ${c}` : c!))),
		),
	];
	const effects = chapterEffects(chapter).filter((e) => hosts.includes(e.host));
	return { chapter, options, runnable, cleanup, hosts, multi, tools: chapterTools(chapter), changes, file: `${chapter.id}.sh`, effects };
}

/** The header comment: what the script does and changes, how to run it, what it needs. */
function headerLines(plan: ScriptPlan): string[] {
	const { chapter, options, runnable, cleanup, hosts, multi, tools, changes, file, effects } = plan;
	const { lab } = options;
	return [
		'#!/usr/bin/env bash',
		`# ${options.book ?? 'Networking from First Principles'}, chapter ${chapter.id}: ${chapter.title}`,
		...(options.url ? [`# ${options.url}`] : []),
		'#',
		...wrap(chapter.description).map((l) => `# ${l}`),
		'#',
		`# What it does: runs the chapter's ${runnable.reduce((n, b) => n + b.commands.length, 0)} commands in the book's order, as ${runnable.length} steps${
			multi ? ` on ${hosts.length} machines (${hosts.join(', ')})` : ` on one machine (${hosts[0] ?? lab.hosts[0]})`
		},`,
		`# then the chapter's cleanup${cleanup.size ? '' : ' (this chapter has none)'}. If a step fails, or you press Ctrl-C, the cleanup runs anyway.`,
		'#',
		'# What it changes while it runs (the cleanup at the end undoes it):',
		...(changes.length ? changes.map((c) => `#   - ${c}`) : ['#   - nothing: every command only looks']),
		'#',
		...guardHeader(effects, multi),
		'#',
		`# Lab "${lab.name}": ${lab.description}`,
		...(multi
			? [
					'#',
					'# This lab has several machines, and each step runs on one of them. Run the script on every',
					`# machine, naming it:  sudo bash ${file} --host ${hosts[0]}`,
					'# Each copy runs its own machine\'s steps and, when the next step belongs to another machine,',
					'# waits until you press Enter (run that step there first). `--list` shows the steps.',
				]
			: ['#', `# Run it as root on a Linux machine:  sudo bash ${file}`]),
		'#',
		'# Needs: root, Linux, and ' + (tools.length ? tools.map((t) => t.name).join(', ') : 'nothing else') + '.',
		...(options.verified ? [`# The book's outputs were ${options.verified}.`] : []),
		'# For automation: NETBOOK_ENTER=\'cmd\' runs each step as `cmd HOST bash -c STEP`; NETBOOK_STRICT=1',
		'# makes a command the book shows failing an error if it succeeds.',
		`# Generated from ${chapter.file}; do not edit by hand.`,
		'',
	];
}

/** Settings, the helpers every step uses, and the preflight (Linux, root, the tools). */
function preludeLines(plan: ScriptPlan): string[] {
	const { options, hosts, multi, tools, file } = plan;
	const { lab } = options;
	return [
		'set -e',
		'',
		`HOSTS=(${lab.hosts.join(' ')})`,
		`THIS_HOST=${multi ? "''" : quote(hosts[0] ?? lab.hosts[0] ?? '')}`,
		`TOOLS=(${tools.filter((t) => !t.download).map((t) => quote(t.name)).join(' ')})`,
		`PACKAGES=(${[...new Set(tools.map((t) => t.package).filter(Boolean))].map((p) => quote(p!)).join(' ')})`,
		'',
		'say() { printf \'\\n\\033[1m%s\\033[0m\\n\' "$*" >&2; }',
		`die() { printf '%s: %s\\n' ${quote(file)} "$*" >&2; exit 2; }`,
		'unexpected_success() {',
		'\t{ set +x; } 2>/dev/null',
		'\techo "netbook: step $1: the book shows the last command failing, but here it succeeded" >&2',
		'\t[[ -z ${NETBOOK_STRICT:-} ]] || exit 1',
		'\tset -x',
		'}',
		'',
		...functionLines(plan),
		'preflight() {',
		'\t[[ $(uname -s) == Linux ]] || die "this script needs Linux (found $(uname -s))"',
		`\t(( EUID == 0 )) || die "run it as root: sudo bash $0${multi ? ' --host NAME' : ''}"`,
		'\tlocal missing=() tool',
		'\tfor tool in "${TOOLS[@]}"; do',
		'\t\tif [[ $tool == /* ]]; then [[ -x $tool ]] || missing+=("$tool"); else command -v "$tool" >/dev/null || missing+=("$tool"); fi',
		'\tdone',
		'\t(( ${#missing[@]} == 0 )) || die "missing: ${missing[*]} (on Debian or Raspberry Pi OS: apt install ${PACKAGES[*]})"',
		// The book's own programs come from its site, not from a package.
		...tools.flatMap((t) =>
			t.download
				? [`\t[[ -x ${quote(t.name)} ]] || die ${quote(`missing: ${t.name}, ${bookProgram(t.name)?.what ?? 'a program of the book'} (download ${t.download} to that path and make it executable: chmod 755 ${t.name})`)}`]
				: [],
		),
		'}',
		'',
	];
}

/**
 * The chapter's own shell functions, defined once here as well as in their steps: a step run
 * through NETBOOK_ENTER is a fresh bash on its machine, which gets them with `declare -f`.
 */
function functionLines(plan: ScriptPlan): string[] {
	const own = chapterFunctions(plan.chapter);
	if (own.length === 0) return [];
	return [
		"# The chapter's own shell functions (a step defines each too, as the book shows it).",
		`NB_FUNCS=(${own.map((f) => f.name).join(' ')})`,
		...own.flatMap((f) => f.text.split('\n')),
		'',
	];
}

/** One function per block (norun blocks as comments), the calls of the steps, the listing. */
function stepParts(plan: ScriptPlan): { steps: string[]; calls: string[]; listing: string[]; cleanupCalls: string[] } {
	const { chapter, cleanup } = plan;
	const steps: string[] = [];
	const calls: string[] = [];
	const listing: string[] = [];
	for (const block of chapter.blocks) {
		const n = block.index + 1;
		const title = titleOf(block);
		const where = `step ${n}, on ${block.host}: ${title} (${chapter.file}:${block.line})`;
		if (!block.runnable) {
			steps.push(`# ${'─'.repeat(4)} ${where}`, `# Not run by this script (${block.attributes.norun}). The book's commands, for reference:`);
			steps.push(...block.commands.map((c) => comment(`  ${c.text}`)), '');
			continue;
		}
		steps.push(`# ${'─'.repeat(4)} ${where}${cleanup.has(block.index) ? ' [cleanup]' : ''}`, `step_${n}() {`, '\tnb_trace', ...stepBody(block, cleanup.has(block.index)), '}', '');
		if (!cleanup.has(block.index)) calls.push(`\tstep ${n} ${block.host} ${quote(title)}`);
		listing.push(`\techo ${quote(`${String(n).padStart(2)}  ${block.host.padEnd(8)} ${title}${cleanup.has(block.index) ? ' [cleanup]' : ''}`)}`);
	}
	const cleanupCalls = [...cleanup].map((i) => {
		const b = chapter.blocks[i]!;
		return `\tstep ${i + 1} ${b.host} ${quote(titleOf(b))}`;
	});
	return { steps, calls, listing, cleanupCalls };
}

/** The survey before the first step and the settings put back after (./guard.ts). */
function guardLines(plan: ScriptPlan): string[] {
	const surveys = plan.effects.flatMap((e) => [...surveyFunction(e), '', ...sweepFunction(e), '']);
	return [
		'# ──── Keeping the machine as it was: the survey before the first step, the settings put back after',
		...GUARD_HELPERS,
		'',
		'# What each machine must not have yet, and the settings to save (derived from the chapter\'s commands).',
		...surveys,
		...guardDriver(plan.multi),
	];
}

/** Generates the chapter's bash script (see the module comment for how it runs). */
export function chapterScript(chapter: Chapter, options: ScriptOptions): string {
	const plan = planOf(chapter, options);
	const { steps, calls, listing, cleanupCalls } = stepParts(plan);
	return [
		...headerLines(plan),
		...preludeLines(plan),
		...guardLines(plan),
		...steps,
		...dispatchLines(),
		...cleanupLines(listing, cleanupCalls),
		...mainLines(plan.hosts, calls),
	].join('\n');
}

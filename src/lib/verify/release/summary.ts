/**
 * The release pull request's body: per snapshot set, per chapter, which blocks changed, with
 * verify's readable diffs (judge.ts, snapshot/diff.ts), in Markdown, cut to fit GitHub's limit.
 */
import { oneLine } from '../../runbook/commands.ts';
import type { Recorded } from '../../snapshot/schema.ts';
import type { Problem } from '../judge.ts';
import type { BlockChange } from './changes.ts';
import type { ChapterReport, SetReport } from './gather.ts';

/** GitHub refuses a pull request body longer than this many characters. */
export const PR_BODY_LIMIT = 65_536;

/** Options of {@link releaseSummary}. */
export interface SummaryOptions {
	/** Longest summary in characters (default: GitHub's limit less room for what a tool adds). */
	limit?: number;
	/** Diff lines shown per problem before the rest is elided. */
	diffLines?: number;
	/** Blocks shown per chapter before the rest are only counted. */
	blocksPerChapter?: number;
}

/** A Markdown code span or fence that no run of backticks inside `text` can close. */
function fence(text: string, min: number): string {
	const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
	return '`'.repeat(Math.max(min, longest + 1));
}

/** `text` as inline code. */
function code(text: string): string {
	const f = fence(text, 1);
	const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
	return `${f}${pad}${text}${pad}${f}`;
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Where a snapshot was recorded, in one line (the date left out: it is not the machine). */
export function recordedOn(r: Recorded): string {
	return `${r.os}, Linux ${r.kernel} ${r.arch}, iproute2 ${r.iproute2}, iptables ${r.iptables}`;
}

/** The distinct machines a set's chapters were recorded on, in one line. */
function machinesOf(chapters: readonly ChapterReport[], pick: (c: ChapterReport) => Recorded | undefined): string {
	return [...new Set(chapters.flatMap((c) => (pick(c) ? [recordedOn(pick(c) as Recorded)] : [])))].join('; ');
}

/** Longest diff line shown; `ip -j` entries of a state are one line each, a few hundred characters. */
const MAX_LINE = 500;

/**
 * A problem's diff as a ```diff block: judge.ts indents it for a terminal; here it is flush, so
 * GitHub colours `-` and `+` lines. Long diffs keep their first `maxLines` lines, long lines their
 * first {@link MAX_LINE} characters.
 */
function diffBlock(p: Problem, maxLines: number): string {
	const lines = (p.diff ?? '')
		.split('\n')
		.map((l) => l.replace(/^ {4}/, ''))
		.map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)} … (${l.length - MAX_LINE} more characters)` : l));
	const shown = lines.length > maxLines ? [...lines.slice(0, maxLines), `  … ${lines.length - maxLines} more lines`] : lines;
	const body = shown.join('\n');
	const f = fence(body, 3);
	return `${f}diff\n${body}\n${f}`;
}

/** One changed block: where it is, what is wrong, the diffs. `againstLocal`: compared with `local`, not with before. */
function blockSection(file: string, b: BlockChange, maxLines: number, againstLocal: boolean): string {
	const where = `${code(`${file}:${b.line}`)} [${b.host}]`;
	const commands = b.commands.map((c) => code(oneLine(c))).join(', ');
	if (b.status === 'new') return `- ${where}: ${againstLocal ? 'a block that `local` does not have' : 'a new block'}: ${commands}`;
	if (b.status === 'removed')
		return `- ${where} (${againstLocal ? "as `local` has it): a block that only `local` has" : 'as recorded before): a block no longer in the chapter'}: ${commands}`;
	const parts = b.problems.map((p) => {
		const head = `${p.cmd !== undefined ? `${code(`$ ${oneLine(p.cmd)}`)} (line ${p.line}): ` : ''}${p.message}`;
		return p.diff ? `  ${head}\n\n${indent(diffBlock(p, maxLines), '  ')}` : `  ${head}`;
	});
	return [`- ${where}`, ...parts].join('\n\n');
}

function indent(text: string, by: string): string {
	return text
		.split('\n')
		.map((l) => (l ? by + l : l))
		.join('\n');
}

/** A chapter's section: heading, then its changed blocks (at most `blocksPerChapter`). */
function chapterSection(set: SetReport, c: ChapterReport, o: Required<SummaryOptions>): string {
	const file = `content/chapters/${c.chapter}.mdx`;
	const against = c.comparedWith === 'local' ? ` from \`local\` (the first recording of ${code(set.set)})` : '';
	const head = `#### ${c.chapter}: ${c.changes.length} of ${c.blocks} blocks differ${against}`;
	const shown = c.changes.slice(0, o.blocksPerChapter).map((b) => blockSection(file, b, o.diffLines, c.comparedWith === 'local'));
	const more = c.changes.length - shown.length;
	return [head, ...shown, ...(more > 0 ? [`- … and ${more} more blocks: see the pull request's files`] : [])].join('\n\n');
}

/** The overview table: one row per set. */
function overview(sets: readonly SetReport[]): string {
	const rows = sets.map((s) => {
		const differ = s.chapters.filter((c) => c.changes.length > 0);
		const blocks = differ.reduce((n, c) => n + c.changes.length, 0);
		const first = s.chapters.filter((c) => c.comparedWith !== 'before').length;
		const commands = s.chapters.reduce((n, c) => n + c.commands, 0);
		return `| ${code(s.set)} | ${cell(machinesOf(s.chapters, (c) => c.recorded))} | ${s.chapters.length} (${commands} commands) | ${first} | ${differ.length} | ${blocks} |`;
	});
	return [
		'| set | recorded on | chapters | first recordings | chapters that differ | blocks that differ |',
		'|---|---|---:|---:|---:|---:|',
		...rows,
	].join('\n');
}

/** A set's heading and the lines that are always shown: where it lives, on what, what is unchanged. */
function setHead(s: SetReport): string {
	const was = machinesOf(s.chapters, (c) => c.recordedBefore);
	const now = machinesOf(s.chapters, (c) => c.recorded);
	const same = s.chapters.filter((c) => c.changes.length === 0 && c.comparedWith !== 'none');
	const none = s.chapters.filter((c) => c.comparedWith === 'none');
	return [
		`### ${code(s.set)}: ${code(`${s.dir}/`)}`,
		`Recorded on ${now}${was && was !== now ? ` (before: ${was})` : ''}.`,
		...(same.length > 0 ? [`No difference: ${same.map((c) => c.chapter).join(', ')}.`] : []),
		...(none.length > 0 ? [`Nothing to compare with (no recording before, none in \`local\`): ${none.map((c) => c.chapter).join(', ')}.`] : []),
	].join('\n\n');
}

/**
 * The summary of a gather as Markdown, never longer than `limit`: the title, a table per set and
 * each set's heading always; then each chapter that differs, with its blocks and diffs (each diff
 * cut at `diffLines`, each chapter at `blocksPerChapter` blocks), as long as they fit; the
 * chapters left out are named at the end, and the pull request's files hold everything.
 */
export function releaseSummary(sets: readonly SetReport[], options: SummaryOptions = {}): string {
	const o: Required<SummaryOptions> = { limit: PR_BODY_LIMIT - 1536, diffLines: 40, blocksPerChapter: 12, ...options };
	const intro = [
		'## Release outputs: what the kernel prints on each target',
		'Every chapter was re-run with `npm run verify -- --update` on each target and gathered by `npm run release:outputs -- gather` ' +
			'(docs/targets.md, "Release workflow"). Outputs are compared as `verify --check` compares them: normalised, so MACs, times and ' +
			'ephemeral ports are no difference. `-` is the recording before (or `local`, on a set\'s first recording), `+` this release.',
		overview(sets),
	].join('\n\n');
	type Part = { text: string; chapter?: string };
	const parts: Part[] = [{ text: intro }];
	for (const s of sets) {
		parts.push({ text: setHead(s) });
		for (const c of s.chapters) if (c.changes.length > 0) parts.push({ text: chapterSection(s, c, o), chapter: `${s.set}/${c.chapter}` });
	}
	// Headings always; chapters in order while they fit, keeping room for the note that names the rest.
	const fixed = parts.filter((p) => !p.chapter).reduce((n, p) => n + p.text.length + 2, 0);
	const reserve = Math.min(4000, 200 + parts.reduce((n, p) => n + (p.chapter ? p.chapter.length + 4 : 0), 0));
	let used = fixed;
	const left: string[] = [];
	const kept = parts.filter((p) => {
		if (!p.chapter) return true;
		const fits = used + p.text.length + 2 + reserve <= o.limit;
		if (fits) used += p.text.length + 2;
		else left.push(p.chapter);
		return fits;
	});
	const named = left.slice(0, 60);
	const note =
		left.length > 0
			? `**Left out to fit a pull request body** (GitHub allows ${PR_BODY_LIMIT} characters): the diffs of ${named.map(code).join(', ')}` +
				`${left.length > named.length ? ` and ${left.length - named.length} more` : ''}. The pull request's files hold every change.`
			: '';
	const text = [...kept.map((p) => p.text), ...(note ? [note] : [])].join('\n\n') + '\n';
	// Only a book far larger than this one could overflow with headings alone: cut, and say so.
	return text.length <= o.limit ? text : `${text.slice(0, o.limit - 80)}\n\n… (cut at ${o.limit} characters)\n`;
}

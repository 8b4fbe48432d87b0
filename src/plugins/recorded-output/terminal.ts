import { h } from '@astrojs/starlight/expressive-code/hast';
import type { Element, ElementContent } from '@astrojs/starlight/expressive-code/hast';
import type { Step } from '../../lib/snapshot/schema.ts';

/** What a line of a sh block is, following the runbook's rules (src/lib/runbook/commands.ts). */
export type LineRole =
	| { kind: 'start'; command: number }
	| { kind: 'continuation'; command: number }
	| { kind: 'comment' }
	| { kind: 'blank' };

/** Classifies each code line: a command's first line, a continuation, a comment or a blank. */
export function classifyLines(lines: readonly string[]): LineRole[] {
	let command = -1;
	let continuing = false;
	return lines.map((raw) => {
		const text = raw.trimEnd();
		if (!continuing && (text.trim() === '' || text.trimStart().startsWith('#')))
			return { kind: text.trim() === '' ? 'blank' : 'comment' };
		const role: LineRole = continuing ? { kind: 'continuation', command } : { kind: 'start', command: ++command };
		continuing = /(^|[^\\])(\\\\)*\\$/.test(text);
		return role;
	});
}

/** The root prompt shown before a command: `root@alice:~# `. */
export function prompt(host: string): string {
	return `root@${host}:~# `;
}

/**
 * Left out of the search index (Pagefind): prompts, recorded outputs and badges repeat on every
 * page, so indexing them would rank chapters by how much a kernel printed, not by what they teach.
 */
const unindexed = { dataPagefindIgnore: '' };

/** Prompt element for a command's first line (`root@alice:~# `) or a continuation line (`> `). */
export function promptElement(host: string, continuation: boolean): Element {
	return continuation
		? h('span', { className: ['nb-ps2'], ...unindexed }, '> ')
		: h('span', { className: ['nb-prompt'], ...unindexed }, [
				h('span', { className: ['nb-user'] }, `root@${host}`),
				h('span', { className: ['nb-path'] }, ':~'),
				'# ',
			]);
}

/** Options for {@link outputElement}. */
export interface OutputOptions {
	/** Above this many lines, the output is collapsed behind an expander. */
	collapseAbove: number;
	/** Lines left visible above the expander. */
	visibleLines: number;
	/** The block is `fails` and this is its last command: show its exit as an expected error. */
	expectedError: boolean;
	/** The block is `predict`: the output starts folded, so the reader predicts it first. */
	folded?: boolean;
}

type Line = { stream: 'stdout' | 'stderr'; text: string };

function linesOf(text: string, stream: Line['stream']): Line[] {
	if (text === '') return [];
	return text.replace(/\n$/, '').split('\n').map((t) => ({ stream, text: t }));
}

/** Consecutive lines of one stream become one span: `<span class="nb-stderr">…</span>`. */
function spans(lines: Line[]): ElementContent[] {
	const out: ElementContent[] = [];
	let i = 0;
	while (i < lines.length) {
		const stream = lines[i]!.stream;
		let j = i;
		while (j < lines.length && lines[j]!.stream === stream) j++;
		const text = lines.slice(i, j).map((l) => l.text).join('\n') + (j < lines.length ? '\n' : '');
		out.push(h('span', { className: [`nb-${stream}`] }, text));
		i = j;
	}
	return out;
}

/**
 * The recorded output of one command, shown under it: stdout, then stderr in its own style
 * (the snapshot keeps the streams apart, so their interleaving is not known). Long outputs
 * show their first lines and put the rest behind a native `<details>` expander. A non-zero exit
 * gets a tag; for the last command of a `fails` block the tag says the error is expected.
 * Returns undefined for a command that printed nothing and exited 0.
 */
export function outputElement(step: Step, options: OutputOptions): Element | undefined {
	const lines = [...linesOf(step.stdout, 'stdout'), ...linesOf(step.stderr, 'stderr')];
	const children: ElementContent[] = [];
	if (lines.length > options.collapseAbove) {
		const hidden = lines.length - options.visibleLines;
		children.push(
			...spans(lines.slice(0, options.visibleLines)),
			h('details', { className: ['nb-more'] }, [
				h('summary', {}, `${hidden} more lines`),
				...spans(lines.slice(options.visibleLines)),
			]),
		);
	} else children.push(...spans(lines));
	if (step.exit !== 0 || options.expectedError) {
		const label = options.expectedError ? `expected error · exit ${step.exit}` : `exit ${step.exit}`;
		children.push(h('span', { className: ['nb-exit', ...(options.expectedError ? ['nb-expected'] : [])] }, label));
	}
	if (children.length === 0) return undefined;
	const shown = options.folded ? [h('details', { className: ['nb-reveal'] }, [h('summary', {}, 'Predict it, then show what the kernel printed'), ...children])] : children;
	return h('div', { className: ['nb-out', ...(options.expectedError ? ['nb-fails'] : [])], dataNbOutput: '', ...unindexed }, shown);
}

/** The badge under a block: verified (with details in its tooltip), not verified, or not yet. */
export function badgeElement(kind: 'verified' | 'norun' | 'unverified', text: string, details?: string): Element {
	const icon = kind === 'verified' ? '✓' : kind === 'norun' ? '–' : '!';
	return h('div', { className: ['nb-badge', `nb-${kind}`], ...unindexed, ...(details ? { title: details } : {}) }, [
		h('span', { className: ['nb-badge-icon'], ariaHidden: 'true' }, icon),
		h('span', { className: ['nb-badge-text'] }, text),
	]);
}

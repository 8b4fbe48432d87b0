import { AttachedPluginData, type ExpressiveCodeBlock, type ExpressiveCodePlugin } from '@astrojs/starlight/expressive-code';
import { h, select, type Element, type ElementContent } from '@astrojs/starlight/expressive-code/hast';
import { loadLab } from '../../lib/book/labs.ts';
import { ROOT } from '../../lib/book/paths.ts';
import { checkSteps, missingSnapshotError, resolveBlock, type ResolvedBlock } from './book.ts';
import { isChapterFile } from '../../lib/book/paths.ts';
import { DIAGRAM_SCROLL_JS, diagramHtml, type TopologyRenderer } from './diagram.ts';
import { PRIMARY_TARGET, targetLabel } from '../../lib/book/targets.ts';
import { matchedTargets, targetsText, verifiedOnDetails, verifiedOnText } from '../../lib/snapshot/badge.ts';
import type { Step } from '../../lib/snapshot/schema.ts';
import { alternativesElement, TARGET_SWITCH_JS, type Alternative } from './alternatives.ts';
import { recordedOutputStyles } from './styles.ts';
import { withSudo } from './sudo.ts';
import { badgeElement, classifyLines, outputElement, promptElement } from './terminal.ts';

/** Options of {@link pluginRecordedOutput}. */
export interface RecordedOutputOptions {
	/**
	 * Render runnable blocks that have no recording with a "not yet verified" badge instead of
	 * failing the build. For local drafting only; defaults to NETBOOK_ALLOW_UNVERIFIED=1.
	 */
	allowUnverified?: boolean;
	/** Outputs longer than this many lines are collapsed (default 24). */
	collapseAbove?: number;
	/** Lines left visible above a collapsed output's expander (default 12). */
	visibleLines?: number;
	/** Draws recorded state (tests pass a fake); default: src/lib/topology's layout. */
	renderTopology?: TopologyRenderer;
	/**
	 * The target whose outputs the page shows; default PRIMARY_TARGET from src/lib/book/targets.ts,
	 * the one place the site sets it (tests pass another).
	 */
	primary?: string;
}

const blockData = new AttachedPluginData<{ resolved?: ResolvedBlock }>(() => ({}));

/** The chapter block behind an Expressive Code block, if it is a chapter's sh block. */
function resolvedOf(codeBlock: ExpressiveCodeBlock): ResolvedBlock | undefined {
	return blockData.getOrCreateFor(codeBlock).resolved;
}

/** How long outputs collapse. */
interface Collapse {
	collapseAbove: number;
	visibleLines: number;
}

/** The prompt before each command and the output `steps` recorded under it, line by line. */
function interleaveOutputs(codeBlock: ExpressiveCodeBlock, code: Element, block: ResolvedBlock['block'], steps: readonly Step[] | undefined, collapse: Collapse): void {
	const lines = code.children.filter((c): c is Element => c.type === 'element');
	const roles = classifyLines(codeBlock.getLines().map((l) => l.text));
	const children: ElementContent[] = [];
	lines.forEach((line, i) => {
		const role = roles[i];
		const inner = select('.code', line) ?? line;
		if (role?.kind === 'start' || role?.kind === 'continuation')
			inner.children.unshift(promptElement(block.host, role.kind === 'continuation'));
		if (role?.kind === 'comment') (line.properties.className as string[]).push('nb-comment');
		children.push(line);
		const next = roles[i + 1];
		if (role?.kind !== 'start' && role?.kind !== 'continuation') return;
		const step = next?.kind === 'continuation' ? undefined : steps?.[role.command];
		if (step) {
			const out = outputElement(step, {
				...collapse,
				expectedError: block.attributes.fails && role.command === block.commands.length - 1,
				folded: block.attributes.predict === true,
			});
			if (out) children.push(out);
		}
	});
	code.children = children;
}

/** The badge under the terminal (returned), the copy button's commands, and the figure's data attributes. */
function labelFigure(figure: Element, pre: Element, resolved: ResolvedBlock): Element {
	const { block, recorded, snapshot } = resolved;
	const matched = snapshot ? matchedTargets(resolved.primary, snapshot.recorded, resolved.others) : [];
	const badge = !block.runnable
		? badgeElement('norun', `not verified: ${block.attributes.norun}`)
		: recorded && snapshot
			? badgeElement('verified', verifiedOnText(matched), verifiedOnDetails(matched))
			: badgeElement('unverified', 'not yet verified: no recorded output (drafting build)');
	figure.children.splice(figure.children.indexOf(pre) + 1, 0, badge);

	const button = select('.copy button', figure);
	if (button) {
		const commands = block.commands.map((c) => c.text);
		const encode = (list: string[]) => list.join('\n').replace(/\n/g, '\u007f');
		button.properties['dataCode'] = encode(commands);
		button.properties['dataCodeRoot'] = encode(commands);
		button.properties['dataCodeSudo'] = encode(commands.map(withSudo));
		button.properties['title'] = 'Copy the commands';
	}
	(figure.properties.className as string[]).push('nb-terminal', block.runnable ? 'nb-runnable' : 'nb-norun');
	figure.properties['dataNbHost'] = block.host;
	figure.properties['dataNbLine'] = String(block.line);
	figure.properties['dataNbKey'] = block.key;
	return badge;
}

/** Turns a rendered chapter `sh` block into a terminal with the kernel's recorded output. */
function decorateBlock(codeBlock: ExpressiveCodeBlock, figure: Element, collapse: Collapse): void {
	const resolved = resolvedOf(codeBlock);
	if (!resolved) return;
	const { block } = resolved;
	const pre = select('pre', figure);
	const code = select('pre > code', figure);
	if (!pre || !code) return;
	// Expressive Code turns a scrolling <pre> into a region; give each its own name.
	const name = `Terminal ${block.index + 1} on ${block.host}${block.attributes.title ? `: ${block.attributes.title}` : ''}`;
	pre.properties['ariaLabel'] = name;
	// Other targets' terminals are copies of the block's taken before any output goes in.
	const pristine = resolved.others.some((o) => o.differing.length > 0) ? structuredClone(pre) : undefined;
	interleaveOutputs(codeBlock, code, block, resolved.recorded?.steps, collapse);
	const badge = labelFigure(figure, pre, resolved);
	if (pristine) figure.children.splice(figure.children.indexOf(badge) + 1, 0, alternativesOf(codeBlock, pristine, name, resolved, collapse));
}

/**
 * The note under the badge for the targets that printed something different, with each one's
 * terminal: a copy of the block's `pristine` pre (named `name`) with that target's outputs.
 */
function alternativesOf(codeBlock: ExpressiveCodeBlock, pristine: Element, name: string, resolved: ResolvedBlock, collapse: Collapse): Element {
	const differing = resolved.others.filter((o) => o.differing.length > 0);
	const alternatives = differing.map((other): Alternative => {
		const copy = structuredClone(pristine);
		const label = targetLabel(other.target);
		copy.properties['ariaLabel'] = `${name} (output on ${label})`;
		const copyCode = select('code', copy);
		if (copyCode) interleaveOutputs(codeBlock, copyCode, resolved.block, other.block.steps, collapse);
		return { label, pre: copy };
	});
	const who = targetsText(differing.map((o) => ({ label: targetLabel(o.target), recorded: o.recorded })));
	return alternativesElement(targetLabel(resolved.primary), who, alternatives);
}

/** The diagrams drawn from the recorded state of a group's `diagram` blocks, as raw HTML. */
async function diagramsOf(groupContents: readonly { codeBlock: ExpressiveCodeBlock }[], options: RecordedOutputOptions, allowUnverified: boolean): Promise<ElementContent[]> {
	const extra: ElementContent[] = [];
	for (const { codeBlock } of groupContents) {
		const resolved = resolvedOf(codeBlock);
		const state = resolved?.recorded?.state;
		if (!resolved?.block.attributes.diagram) continue;
		if (!state) {
			if (resolved.recorded && !allowUnverified)
				throw new Error(
					`${resolved.chapter.file}:${resolved.block.line}: the diagram block on host "${resolved.block.host}" has no recorded state\n  hint: run npm run verify -- --update to capture it`,
				);
			continue;
		}
		const title = resolved.block.attributes.title ?? `after the commands above (on ${resolved.block.host})`;
		const html = await diagramHtml(state, {
			id: `nb-${resolved.chapter.id}-${resolved.block.index + 1}`,
			lab: loadLab(resolved.chapter.lab, ROOT),
			title: `The lab ${resolved.block.attributes.title ? `after “${title}”` : title}`,
			caption: `The lab as the kernel recorded it ${resolved.block.attributes.title ? `after “${title}”` : title}.`,
			...(options.renderTopology ? { render: options.renderTopology } : {}),
			where: `${resolved.chapter.file}:${resolved.block.line}`,
		});
		extra.push({ type: 'raw', value: html } as unknown as ElementContent);
	}
	return extra;
}

/**
 * Expressive Code plugin that turns every `sh` block of a chapter into a terminal with the
 * kernel's recorded output (the primary target's snapshot, src/lib/book/targets.ts): a root prompt
 * naming the host before each command, stdout and stderr under it, long outputs collapsed, a badge
 * naming the targets that printed the same (normalised), a note with a switch to each other
 * target's output where one printed something different, a copy button that copies only the
 * commands (and their `sudo` variant for the page's toggle), and the topology diagram under
 * `diagram` blocks.
 *
 * Throws, failing the build, for a runnable block without a recording: the error names the
 * chapter file, line and host, with a hint to run `npm run verify -- --update`.
 */
export function pluginRecordedOutput(options: RecordedOutputOptions = {}): ExpressiveCodePlugin {
	const allowUnverified = options.allowUnverified ?? process.env['NETBOOK_ALLOW_UNVERIFIED'] === '1';
	const primary = options.primary ?? PRIMARY_TARGET;
	const collapse: Collapse = { collapseAbove: options.collapseAbove ?? 24, visibleLines: options.visibleLines ?? 12 };

	return {
		name: 'RecordedOutput',
		baseStyles: recordedOutputStyles,
		jsModules: [DIAGRAM_SCROLL_JS, TARGET_SWITCH_JS],
		hooks: {
			preprocessMetadata: ({ codeBlock }) => {
				const file = codeBlock.parentDocument?.sourceFilePath;
				if (codeBlock.language !== 'sh' || !isChapterFile(file)) return;
				const resolved = resolveBlock(file, codeBlock.code, codeBlock.meta, primary);
				if (resolved.block.runnable && !resolved.recorded && !allowUnverified) throw missingSnapshotError(resolved);
				if (resolved.recorded) checkSteps({ ...resolved, recorded: resolved.recorded });
				blockData.setFor(codeBlock, { resolved });
				codeBlock.props.frame = 'terminal';
				codeBlock.props.title ??= resolved.block.host;
			},
			postprocessRenderedBlock: ({ codeBlock, renderData }) => decorateBlock(codeBlock, renderData.blockAst, collapse),
			postprocessRenderedBlockGroup: async ({ renderedGroupContents, renderData }) => {
				const extra = await diagramsOf(renderedGroupContents, options, allowUnverified);
				if (extra.length) renderData.groupAst = h('div', { className: ['nb-with-diagram'] }, [renderData.groupAst, ...extra]);
			},
		},
	};
}

import type { Chapter, ShellBlock } from './types.ts';

const CLEANUP_TITLE = /clean[\s-]?up|tear[\s-]?down/i;

/**
 * The chapter's cleanup: its trailing run of runnable blocks titled "Clean up" (or "Tear down"),
 * one per host where needed. The chapter script runs them at the end and on error; the engines
 * capture the lab's state just before them, as the state the chapter built.
 */
export function cleanupBlocks(chapter: Chapter): ShellBlock[] {
	const blocks = chapter.blocks.filter((b) => b.runnable);
	let first = blocks.length;
	while (first > 0 && CLEANUP_TITLE.test(blocks[first - 1]!.attributes.title ?? '')) first--;
	return blocks.slice(first);
}

/**
 * The last runnable block before the cleanup: after it, the lab is as the chapter built it.
 * Undefined when the chapter has no runnable block outside its cleanup.
 */
export function builtStateBlock(chapter: Chapter): ShellBlock | undefined {
	const cleanup = new Set(cleanupBlocks(chapter).map((b) => b.index));
	return chapter.blocks.filter((b) => b.runnable && !cleanup.has(b.index)).at(-1);
}

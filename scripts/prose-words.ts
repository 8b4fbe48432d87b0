/**
 * Counts a chapter's prose words and house tics: code blocks, frontmatter, imports and tables
 * left out. Usage: `npx tsx scripts/prose-words.ts content/chapters/11-*.mdx …`
 */
import { readFileSync } from 'node:fs';

/** The prose of an .mdx chapter: no frontmatter, fenced blocks, import lines or table rows. */
export function prose(mdx: string): string {
	let fence = false;
	return mdx
		.replace(/^---\n[\s\S]*?\n---\n/, '')
		.split('\n')
		.filter((l) => {
			if (/^\s*(```|~~~)/.test(l)) return !(fence = !fence) && false;
			return !fence && !/^\s*(import |\||:::)/.test(l);
		})
		.join('\n');
}

const TICS: [string, RegExp][] = [
	['What to notice', /what to notice/gi],
	['"is the whole"', /\bis the whole\b/gi],
	['"exactly"', /\bexactly\b/gi],
];

for (const file of process.argv.slice(2)) {
	const text = prose(readFileSync(file, 'utf8'));
	const words = text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
	const tics = TICS.map(([name, re]) => `${name} ${(text.match(re) ?? []).length}`).join(', ');
	console.log(`${file}: ${words} words; ${tics}`);
}

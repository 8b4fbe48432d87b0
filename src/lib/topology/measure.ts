/**
 * Text widths without a DOM, so the same numbers come out at build time and in the page.
 * Technical labels use a monospace stack (every glyph 0.6 em wide in DejaVu Sans Mono, Menlo,
 * Consolas and SF Mono); titles use the sans stack, estimated per character class and rounded up.
 */

/** Font sizes and line heights (px) of the diagram's text styles. */
export const TEXT = {
	name: { size: 12, line: 15 },
	addr: { size: 11, line: 13 },
	note: { size: 10, line: 13 },
	title: { size: 13, line: 16 },
} as const;

/** Width of a monospace string at a font size. */
export const monoWidth = (text: string, size: number): number => Math.ceil(text.length * size * 0.6);

/** Estimated width of a sans-serif string (bold when asked), generous rather than tight. */
export function sansWidth(text: string, size: number, bold = false): number {
	let em = 0;
	for (const ch of text) {
		if ('iljI.,:;|!\'’ '.includes(ch)) em += 0.3;
		else if ('frt()[]-'.includes(ch)) em += 0.38;
		else if ('mwMW@'.includes(ch)) em += 0.9;
		else if (ch >= 'A' && ch <= 'Z') em += 0.7;
		else if (ch >= '0' && ch <= '9') em += 0.58;
		else em += 0.58;
	}
	return Math.ceil(em * size * (bold ? 1.08 : 1));
}

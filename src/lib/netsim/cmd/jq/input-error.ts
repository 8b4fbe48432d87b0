/** How jq words a JSON syntax error in its input, for input files and `--slurpfile` alike. */
import { lineCol, type JsonSyntaxError } from '../json.ts';

/** jq's message for invalid JSON input (jv_parse's wording is close enough for the common cases). */
export function inputError(e: JsonSyntaxError, text: string): string {
	if (e.kind === 'eof' || e.offset >= text.length) {
		const { line, col } = lineCol(text, text.length);
		return `Unfinished JSON term at EOF at line ${line}, column ${col}`;
	}
	// jq notices a bad literal at the delimiter after it, and reports the position past that.
	let i = e.offset;
	while (i < text.length && /[A-Za-z0-9.+-]/.test(text[i] as string)) i++;
	const { line, col } = lineCol(text, Math.min(i + 1, text.length));
	return `Invalid ${'tfn'.includes(text[e.offset] ?? '') ? 'literal' : 'numeric literal'} at line ${line}, column ${col}`;
}

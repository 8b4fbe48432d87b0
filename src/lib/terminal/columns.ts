/**
 * Words laid out in columns that fit a terminal's width, the way bash lists completions
 * (readline's `rl_display_match_list`): every column as wide as the longest word plus two
 * spaces, as many columns as fit, filled down first, then across.
 */

/**
 * The rows of `words` in columns for a terminal `width` characters wide. A word longer than the
 * width gets a row of its own (the terminal wraps it, as bash's would); no row has trailing blanks.
 */
export function columns(words: readonly string[], width: number): string[] {
	if (words.length === 0) return [];
	const cell = Math.max(...words.map((w) => w.length)) + 2;
	let across = Math.floor(width / cell);
	// readline leaves the last column free when the cells fill the line exactly (autowrap).
	if (across > 1 && across * cell === width) across--;
	across = Math.max(1, across);
	const down = Math.ceil(words.length / across);
	const rows: string[] = [];
	for (let r = 0; r < down; r++) {
		const cells: string[] = [];
		for (let c = 0; c < across && r + c * down < words.length; c++) cells.push(words[r + c * down]!);
		rows.push(cells.map((w, i) => (i < cells.length - 1 ? w.padEnd(cell) : w)).join(''));
	}
	return rows;
}

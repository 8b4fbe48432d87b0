/** One line of a diff: kept (' '), only in the old text ('-'), only in the new text ('+'). */
export interface DiffLine {
	op: ' ' | '-' | '+';
	text: string;
}

/** Line-by-line difference of two texts (longest common subsequence). */
export function diffLines(before: string, after: string): DiffLine[] {
	const a = before.split('\n');
	const b = after.split('\n');
	// Trim the common head and tail so the table stays small.
	let head = 0;
	while (head < a.length && head < b.length && a[head] === b[head]) head++;
	let tail = 0;
	while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
	const x = a.slice(head, a.length - tail);
	const y = b.slice(head, b.length - tail);
	const middle: DiffLine[] = [];
	if (x.length * y.length > 4_000_000) {
		for (const t of x) middle.push({ op: '-', text: t });
		for (const t of y) middle.push({ op: '+', text: t });
	} else {
		const w = y.length + 1;
		const lcs = new Uint32Array((x.length + 1) * w);
		for (let i = x.length - 1; i >= 0; i--)
			for (let j = y.length - 1; j >= 0; j--)
				lcs[i * w + j] = x[i] === y[j] ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
		let i = 0;
		let j = 0;
		while (i < x.length || j < y.length) {
			if (i < x.length && j < y.length && x[i] === y[j]) {
				middle.push({ op: ' ', text: x[i] ?? '' });
				i++;
				j++;
			} else if (j < y.length && (i >= x.length || (lcs[i * w + j + 1] ?? 0) >= (lcs[(i + 1) * w + j] ?? 0))) {
				middle.push({ op: '+', text: y[j] ?? '' });
				j++;
			} else {
				middle.push({ op: '-', text: x[i] ?? '' });
				i++;
			}
		}
	}
	return [
		...a.slice(0, head).map((text): DiffLine => ({ op: ' ', text })),
		...middle,
		...a.slice(a.length - tail).map((text): DiffLine => ({ op: ' ', text })),
	];
}

/** Makes trailing whitespace and a missing final newline visible: `·` per trailing space, `→` per tab. */
function visible(text: string): string {
	return text.replace(/[ \t]+$/, (ws) => ws.replace(/ /g, '·').replace(/\t/g, '→'));
}

/**
 * A readable diff: changed lines with `context` lines around them, `-` for the snapshot and `+`
 * for this run, trailing whitespace shown as `·`. Returns '' when the texts are equal.
 */
export function formatDiff(before: string, after: string, context = 3, indent = '    '): string {
	if (before === after) return '';
	const lines = diffLines(before, after);
	const show = lines.map(() => false);
	lines.forEach((l, i) => {
		if (l.op === ' ') return;
		for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) show[k] = true;
	});
	const out: string[] = [];
	let skipped = false;
	lines.forEach((l, i) => {
		if (!show[i]) {
			if (!skipped) out.push(`${indent}  …`);
			skipped = true;
			return;
		}
		skipped = false;
		out.push(`${indent}${l.op} ${visible(l.text)}`);
	});
	if (before.endsWith('\n') !== after.endsWith('\n'))
		out.push(`${indent}  (the final newline differs: snapshot ${before.endsWith('\n') ? 'has' : 'has none'}, run ${after.endsWith('\n') ? 'has' : 'has none'})`);
	return out.join('\n');
}

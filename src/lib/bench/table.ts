/** Renders rows as an aligned plain-text table (first row is the header). */
export function formatTable(rows: readonly (readonly (string | number)[])[]): string {
	const cells = rows.map((r) => r.map(String));
	const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
	return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Bytes as KB with one decimal (1 KB = 1000 bytes, as size budgets are stated). */
export function kb(bytes: number): string {
	return (bytes / 1000).toFixed(1);
}

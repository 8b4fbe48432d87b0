/** A problem in a chapter's source, pinned to a file and line, with a hint on what to do. */
export class RunbookError extends Error {
	constructor(
		readonly file: string,
		readonly line: number,
		readonly problem: string,
		readonly hint: string,
	) {
		super(`${file}:${line}: ${problem}\n  hint: ${hint}`);
		this.name = 'RunbookError';
	}
}

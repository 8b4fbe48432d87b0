/** The transcript format shared by the CLI and the comparison fixtures: one command per line. */

/** A line to run: host and command. */
export interface TranscriptLine {
	host: string;
	cmd: string;
}

/**
 * Parses transcript text: `@NAME cmd` runs on host NAME, other lines on `defaultHost`;
 * blank lines and lines starting with `#` are skipped.
 */
export function parseTranscript(text: string, defaultHost: string): TranscriptLine[] {
	const out: TranscriptLine[] = [];
	for (const raw of text.split('\n')) {
		const line = raw.replace(/\r$/, '');
		if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
		const m = /^@(\S+)\s+(.*)$/.exec(line);
		if (m) out.push({ host: m[1] as string, cmd: m[2] as string });
		else out.push({ host: defaultHost, cmd: line });
	}
	return out;
}

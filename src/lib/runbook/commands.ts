import type { Command } from './types.ts';

/** Result of splitting a block: its commands, or the line of an unterminated continuation. */
export type SplitResult = { ok: true; commands: Command[] } | { ok: false; line: number; error: string };

/**
 * Splits a shell block's code into commands: one per line, a trailing `\` continues onto the
 * next line, blank lines and lines starting with `#` are not commands.
 * @param firstLine 1-based chapter line of the block's first code line.
 */
export function splitCommands(code: string, firstLine: number): SplitResult {
	const lines = code.split('\n');
	const commands: Command[] = [];
	let pending: { parts: string[]; line: number } | undefined;
	lines.forEach((raw, i) => {
		const line = firstLine + i;
		const trimmed = raw.trimEnd();
		if (!pending && (trimmed.trim() === '' || trimmed.trimStart().startsWith('#'))) return;
		const continues = /(^|[^\\])(\\\\)*\\$/.test(trimmed);
		if (!pending) pending = { parts: [], line };
		pending.parts.push(trimmed);
		if (!continues) {
			commands.push({ text: pending.parts.join('\n'), line: pending.line });
			pending = undefined;
		}
	});
	if (pending)
		return {
			ok: false,
			line: pending.line,
			error: 'the command ends with "\\" but the block ends before its continuation',
		};
	return { ok: true, commands };
}

/** A command as one line, continuations folded: `ip link add a \` + `type veth` → `ip link add a type veth`. */
export function oneLine(command: string): string {
	return command.replace(/\s*\\\n\s*/g, ' ');
}

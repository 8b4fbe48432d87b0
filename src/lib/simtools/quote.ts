/**
 * Turning an argv back into a command line. A program that runs `execFile('ip', argv)` hands
 * each argument over as it is; the simulator takes command lines (`lab.exec(host, line)`) and
 * splits them as a shell does. Every argument that is not plainly one word is single-quoted, so
 * the simulator's shell splits the line back into exactly the argv it came from: no expansion
 * (`$`, `~`, globs), no operators (`;`, `|`, `&`, redirections), no comments, no reserved words.
 */

/** Words a shell reads as themselves, unquoted (and never as an assignment or a reserved word). */
const PLAIN = /^[A-Za-z0-9_@%+:,./-]+$/;

/** One argument as a shell word that means exactly it: `a b` → `'a b'`, `it's` → `'it'\''s'`. */
export function shellQuote(arg: string): string {
	if (PLAIN.test(arg)) return arg;
	return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one command line whose words are exactly its elements. */
export function commandLine(argv: readonly string[]): string {
	return argv.map(shellQuote).join(' ');
}

// The terminal runs every command as root, so `sudo` in front of one only needs taking off.

/** sudo's options that take a value (`-u root`). */
const SUDO_VALUE = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-R', '-t', '-T', '-U']);

/**
 * A `sudo …` line as root would run it: its options dropped, the command that is left, and
 * whether it asks for a shell (`sudo -i`, `sudo -s`, `sudo su`, `sudo bash`).
 */
export function unsudo(line: string): { line: string; shell: boolean } {
	// Words with where they start, so that the command keeps its own spacing and quotes.
	const words = [...line.matchAll(/\S+/g)].slice(1);
	let shell = false;
	let i = 0;
	for (; i < words.length && words[i]![0].startsWith('-'); i++) {
		const w = words[i]![0];
		if (w === '--') {
			i++;
			break;
		}
		if (SUDO_VALUE.has(w)) i++;
		else if (/^-[A-Za-z]*[is][A-Za-z]*$/.test(w)) shell = true;
	}
	const rest = words.slice(i).map((m) => m[0]);
	const asksShell = rest.length > 0 && /^(su|bash|sh)$/.test(rest[0]!) && rest.slice(1).every((w) => ['-', '-l', '-i', 'root'].includes(w));
	if ((shell && rest.length === 0) || asksShell) return { line: '', shell: true };
	return { line: i < words.length ? line.slice(words[i]!.index) : '', shell: false };
}

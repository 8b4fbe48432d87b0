/**
 * What the sudo toggle copies: each command made to run as root by a reader who is not root.
 *
 * - A simple command gets `sudo ` in front: `ip link` → `sudo ip link`.
 * - A command whose shell syntax would escape sudo (a pipe, a redirection, `&&`, `;`, `&`,
 *   `$(…)` or a leading `VAR=value`), or a compound command (`for`, `while`, `until`, `if`,
 *   `case`, `{ …; }`, `( … )`), runs whole in a root shell: `echo 1 > /proc/…` →
 *   `sudo sh -c 'echo 1 > /proc/…'`, where a plain `sudo echo 1 > /proc/…` would fail, and
 *   `for c in A B; do iptables -F $c; done` → `sudo sh -c 'for c in A B; do iptables -F $c; done'`.
 * - Shell builtins that change the reader's own shell (`cd`, `export`, a bare `X=1`…) stay as
 *   they are: sudo cannot run them. A command substitution in an assignment runs as root:
 *   `PID=$(cat /run/x.pid)` → `PID=$(sudo cat /run/x.pid)`.
 */
export function withSudo(command: string): string {
	const lead = /^\s*/.exec(command)![0];
	const body = command.slice(lead.length);
	if (body === '' || body.startsWith('sudo ')) return command;
	const first = /^[^\s;|&<>()]+|^[({]/.exec(body)?.[0] ?? '';
	if (isAssignmentOnly(body)) return `${lead}${sudoSubstitutions(body)}`;
	if (OWN_SHELL.has(first)) return command;
	if (COMPOUND.has(first) || needsShell(body) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(body)) return `${lead}sudo sh -c ${shellQuote(body)}`;
	return `${lead}sudo ${body}`;
}

/** Builtins that act on the reader's own shell: left untouched. */
const OWN_SHELL = new Set([
	'cd', 'export', 'unset', 'set', 'source', '.', 'alias', 'exit', 'wait', 'read', 'trap', 'ulimit',
	'umask', 'function', 'declare', 'local', 'eval',
]);

/** Keywords that start a compound command: the whole command runs in a root shell. */
const COMPOUND = new Set(['if', 'for', 'while', 'until', 'case', 'select', '{', '(', '!', 'time']);

/** `X=$(cmd)` → `X=$(sudo cmd)`: each command substitution of an assignment runs as root. */
function sudoSubstitutions(body: string): string {
	let out = '';
	let quote: string | undefined;
	for (let i = 0; i < body.length; i++) {
		const c = body[i]!;
		if (quote !== "'" && c === '$' && body[i + 1] === '(' && body[i + 2] !== '(') {
			let depth = 1;
			let j = i + 2;
			let q: string | undefined;
			for (; j < body.length && depth > 0; j++) {
				const d = body[j]!;
				if (q) {
					if (d === q) q = undefined;
				} else if (d === "'" || d === '"') q = d;
				else if (d === '(') depth++;
				else if (d === ')') depth--;
			}
			out += `$(${withSudo(body.slice(i + 2, j - 1))})`;
			i = j - 1;
			continue;
		}
		if (quote) {
			if (c === quote) quote = undefined;
		} else if (c === "'" || c === '"') quote = c;
		out += c;
	}
	return out;
}

/** `PID=$(pidof x)`: only assignments, no command. */
function isAssignmentOnly(body: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_]*=/.test(body) && words(body).every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
}

/** True when the command has shell syntax outside quotes that a `sudo` prefix would not cover. */
function needsShell(command: string): boolean {
	let quote: '"' | "'" | undefined;
	for (let i = 0; i < command.length; i++) {
		const c = command[i]!;
		if (quote === "'") {
			if (c === "'") quote = undefined;
			continue;
		}
		if (c === '\\') {
			i++;
			continue;
		}
		if (quote === '"') {
			if (c === '"') quote = undefined;
			else if (c === '`' || (c === '$' && command[i + 1] === '(')) return true;
			continue;
		}
		if (c === '"' || c === "'") quote = c;
		else if ('|&;<>`'.includes(c) || (c === '$' && command[i + 1] === '(')) return true;
	}
	return false;
}

/** Splits on whitespace outside quotes and `$(…)` (enough to spot assignments). */
function words(command: string): string[] {
	const out: string[] = [];
	let word = '';
	let quote: string | undefined;
	let depth = 0;
	for (let i = 0; i < command.length; i++) {
		const c = command[i]!;
		if (quote) {
			if (c === quote) quote = undefined;
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '$' && command[i + 1] === '(') {
			depth++;
			word += c + command[++i];
			continue;
		} else if (c === ')' && depth > 0) depth--;
		else if (/\s/.test(c) && depth === 0) {
			if (word) out.push(word);
			word = '';
			continue;
		}
		word += c;
	}
	if (word) out.push(word);
	return out;
}

/** Quotes a string for a POSIX shell: `it's` → `'it'\''s'`. */
export function shellQuote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

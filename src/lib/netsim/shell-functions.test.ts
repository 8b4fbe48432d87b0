import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

/** Runs lines one after another on one host, as a chapter's commands are run; returns the last result. */
const session = (...lines: string[]) => {
	const lab = createLab(MACHINE);
	let r = { stdout: '', stderr: '', exit: 0 };
	for (const line of lines) r = lab.exec('pi', line);
	return `${r.stdout}|${r.stderr}|${r.exit}`;
};

// Expected values are what bash 5.2 prints for the same lines under `bash -c` (checked by hand).
describe('shell functions', () => {
	it.each([
		['f() { echo "[$1] [$2] $#"; }; f a "b c"', '[a] [b c] 2\n'],
		['f() { for x in "$@"; do echo "<$x>"; done; }; f 1 "2 3" 4', '<1>\n<2 3>\n<4>\n'],
		['f() { echo $@; }; f a   b', 'a b\n'],
		['f() { shift; echo "$1 $#"; }; f a b c', 'b 2\n'],
		['f() { shift 2; echo "$*"; }; f a b c d', 'c d\n'],
		['f() { echo "$1"; }; f; echo "[$1] $#"', '\n[] 0\n'],
		['f() { false; }; f || echo failed', 'failed\n'],
		['f() { g x; }; g() { echo "g got $1"; }; f', 'g got x\n'],
		['f() { echo in; } > /tmp/out; f; cat /tmp/out', 'in\n'],
		['{ echo a; echo b; } | wc -l', '2\n'],
	])('%s', (line, stdout) => {
		expect(session(line)).toBe(`${stdout}||0`);
	});

	it('keeps a definition between lines, and its body spans continued lines', () => {
		const def = 'mk() { \\\n  echo "made $1"; \\\n  echo "at $2"; \\\n}';
		expect(session(def, 'mk pod1 10.0.0.2/24')).toBe('made pod1\nat 10.0.0.2/24\n||0');
	});

	it('restores the caller’s parameters after a nested call', () => {
		expect(session('inner() { echo "inner $1"; }; outer() { inner "$2"; echo "outer $1"; }; outer a b')).toBe('inner b\nouter a\n||0');
	});

	it('stops a function that calls itself, as bash with FUNCNEST=100 does', () => {
		const lab = createLab(MACHINE);
		const r = lab.exec('pi', 'f() { f; }; f; echo after');
		expect(r.stdout).toBe('');
		expect(r.stderr).toBe('bash: line 1: f: maximum function nesting level exceeded (100)\n');
		expect(lab.exec('pi', 'g() { while true; do g; done; }; g; echo done').stdout).toBe('');
		expect(lab.exec('pi', 'echo next line').stdout).toBe('next line\n');
	});

	it('shift past the end fails without a word, as bash does', () => {
		expect(session('f() { shift 3; echo $?; }; f a')).toBe('1\n||0');
	});

	it.each([
		['f() { echo a; ', 'syntax error: unexpected end of file'],
		['}', "syntax error near unexpected token `}'"],
		['f() echo a', "syntax error near unexpected token `echo'"],
	])('rejects %s like bash', (line, message) => {
		const r = createLab(MACHINE).exec('pi', line);
		expect(r.stderr).toContain(message);
		expect(r.exit).toBe(2);
	});
});

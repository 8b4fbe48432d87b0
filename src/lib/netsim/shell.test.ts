import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

const run = (line: string, interactive: boolean) => {
	const r = createLab(MACHINE, { interactive }).exec('pi', line);
	return `${r.stdout}|${r.stderr}|${r.exit}`;
};

// What bash 5.2 prints, interactively (`bash -i`, the in-page terminal) and under `bash -c` (the
// book's recordings, and tests/fixtures/netsim/shell.json): run on this machine to compare.
describe('the shell’s own errors', () => {
	it.each([
		['foo bar', 'bash: foo: command not found\n', 'bash: line 1: foo: command not found\n', 127],
		['/usr/sbin/nosuch', 'bash: /usr/sbin/nosuch: No such file or directory\n', 'bash: line 1: /usr/sbin/nosuch: No such file or directory\n', 127],
		['kill 99999', 'bash: kill: (99999) - No such process\n', 'bash: line 1: kill: (99999) - No such process\n', 1],
		['kill abc', 'bash: kill: abc: arguments must be process or job IDs\n', 'bash: line 1: kill: abc: arguments must be process or job IDs\n', 1],
		['echo > /nonexist/x', 'bash: /nonexist/x: No such file or directory\n', 'bash: line 1: /nonexist/x: No such file or directory\n', 1],
		['cat < /nonexist', 'bash: /nonexist: No such file or directory\n', 'bash: line 1: /nonexist: No such file or directory\n', 1],
		['echo a ;; b', "bash: syntax error near unexpected token `;;'\n", "bash: -c: line 1: syntax error near unexpected token `;;'\nbash: -c: line 1: `echo a ;; b'\n", 2],
		['echo )', "bash: syntax error near unexpected token `)'\n", "bash: -c: line 1: syntax error near unexpected token `)'\nbash: -c: line 1: `echo )'\n", 2],
	])('%s', (line, interactive, script, exit) => {
		expect(run(line, true)).toBe(`|${interactive}|${exit}`);
		expect(run(line, false)).toBe(`|${script}|${exit}`);
	});
});

// A file's content is never mistaken for an error name (bash 5.2 and coreutils print it as is).
describe('files holding what looks like an error name', () => {
	it.each([
		['printf EEXIST > /tmp/x; cat /tmp/x', 'EEXIST'],
		['printf ENOENT > /tmp/x; cat < /tmp/x', 'ENOENT'],
		['echo EISDIR > /tmp/x; grep E /tmp/x', 'EISDIR\n'],
	])('%s', (line, stdout) => {
		expect(run(line, false)).toBe(`${stdout}||0`);
	});
});

// `exec`'s stdin is the line's standard input, as `bash -c LINE < FILE` has it: the first command
// of a pipeline reads it, a redirection replaces it, and the next line starts with none again.
describe('a line’s standard input', () => {
	it('reaches the first command of the line and no later line', () => {
		const lab = createLab(MACHINE);
		expect(lab.exec('pi', 'cat', { stdin: 'a\nb\n' })).toEqual({ stdout: 'a\nb\n', stderr: '', exit: 0 });
		expect(lab.exec('pi', 'sort | head -n 1', { stdin: 'b\na\n' })).toEqual({ stdout: 'a\n', stderr: '', exit: 0 });
		expect(lab.exec('pi', 'echo x > /tmp/f; cat < /tmp/f', { stdin: 'ignored\n' })).toEqual({ stdout: 'x\n', stderr: '', exit: 0 });
		expect(lab.exec('pi', 'cat')).toEqual({ stdout: '', stderr: '', exit: 0 });
	});
});

import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLab } from '../netsim/index.ts';
import { commandLine, shellQuote } from './quote.ts';

const LAB = { name: 'machine', description: 'one host', hosts: [{ name: 'pi', interfaces: [], routes: [], sysctls: {} }], switches: [] };

/** Arguments that mean something to a shell when unquoted. */
const TRICKY = ['a b', "it's", '', '$HOME', '${X}', '*', '?', '[a]', '~', '#x', 'a\nb', '\\', '"', "'", 'if', 'x=1', '%s', '-n', '\t', '{a,b}', '!', ';', '&&', '|', '>f', '<f', '`ls`', '$(id)', '(', 'é ü', '日本'];

/** An argv: any text but NUL (execve cannot pass it). */
const argvArb = fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom(...TRICKY)), { minLength: 1, maxLength: 6 }).map((a) => a.map((s) => s.replaceAll('\u0000', '')));

/** The line each argument in brackets, as printf prints it: what a shell that split the line exactly gives back. */
const bracketed = (argv: readonly string[]): string => argv.map((a) => `[${a}]\n`).join('');

describe('an argv as a command line', () => {
	it('quotes only what is not a plain word', () => {
		expect(commandLine(['ip', '-br', 'link', 'show', 'dev', 'eth0'])).toBe('ip -br link show dev eth0');
		expect(commandLine(['ip', 'addr', 'add', '10.0.0.1/24', 'dev', 'v@1'])).toBe('ip addr add 10.0.0.1/24 dev v@1');
		expect(shellQuote("it's")).toBe(`'it'\\''s'`);
		expect(shellQuote('')).toBe(`''`);
		expect(shellQuote('x=1')).toBe(`'x=1'`);
		expect(shellQuote('~')).toBe(`'~'`);
	});

	it("splits back into the very same argv in the simulator's shell (fast-check, 300 argvs)", () => {
		const lab = createLab(LAB);
		fc.assert(
			fc.property(argvArb, (argv) => {
				const r = lab.exec('pi', `printf '[%s]\\n' ${commandLine(argv)}`);
				expect(r).toEqual({ stdout: bracketed(argv), stderr: '', exit: 0 });
			}),
			{ numRuns: 300, seed: 17 },
		);
	});

	it('splits back into the very same argv in bash, the shell the quoting follows', () => {
		const argvs = [TRICKY, ...fc.sample(argvArb, { numRuns: 40, seed: 17 })];
		for (const argv of argvs) {
			const r = spawnSync('bash', ['-c', `printf '[%s]\\n' ${commandLine(argv)}`], { encoding: 'utf8' });
			expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: bracketed(argv), status: 0 });
		}
	});
});

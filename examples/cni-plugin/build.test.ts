// The two ways the plugin runs: its TypeScript sources straight under a Node.js that strips types
// (22.18 and later; the project's own is 24), and the one-file bundle under the Node.js that
// Debian ships (the labs' and a Pi's). Both must answer alike; only calls that end before any
// network command run here (tests/cni-plugin/kernel.test.ts runs the rest on the kernel).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../../src/lib/setup/preflight.ts';
import { buildPlugin, bundlePlugin, PLUGIN_ENTRY } from './build.ts';

const dir = mkdtempSync(join(tmpdir(), 'cni-plugin-build-'));
const bundle = join(dir, 'tsbridge');
/** Debian's Node.js (package nodejs), as the labs run it. */
const systemNode = findProgram('node');
let bytes = 0;

beforeAll(async () => {
	bytes = await buildPlugin(bundle);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one plugin call with `command` (node and its arguments), CNI_* variables and standard input. */
function call(command: string[], env: Record<string, string>, stdin: string) {
	const [program, ...args] = command as [string, ...string[]];
	const r = spawnSync(program, args, { input: stdin, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
	return { stdout: r.stdout, stderr: r.stderr, exit: r.status };
}

const conf = JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'tsbridge', ipam: { type: 'host-local', subnet: '10.22.0.0/16' } });
const ADD = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'pod1', CNI_NETNS: '/run/netns/pod1', CNI_IFNAME: 'eth0' };
/** Calls, and the error code each must give (0: success). */
const CASES: [string, Record<string, string>, string, number][] = [
	['VERSION', { CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.0.0"}', 0],
	['no CNI_COMMAND', {}, conf, 4],
	['ADD without CNI_NETNS', { ...ADD, CNI_NETNS: '' }, conf, 4],
	['ADD with a broken configuration', ADD, '{"cniVersion":', 6],
	['ADD of another spec version', ADD, conf.replace('1.0.0', '0.3.1'), 1],
	['CHECK without prevResult', { ...ADD, CNI_COMMAND: 'CHECK' }, conf, 7],
];

describe('the bundle', () => {
	it('is one executable file of plain JavaScript for Node 18 and later', () => {
		const text = readFileSync(bundle, 'utf8');
		expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
		expect(text).not.toMatch(/^\s*(import|export) /m);
		expect(bytes).toBe(Buffer.byteLength(text));
		expect(bytes).toBeLessThan(40_000);
	});

	it('runs on Debian\'s Node.js', () => {
		expect(systemNode, 'Debian\'s nodejs package (npm test installs it)').toBeDefined();
		const major = Number(/^v(\d+)/.exec(spawnSync(systemNode!, ['--version'], { encoding: 'utf8' }).stdout)?.[1]);
		expect(major).toBeGreaterThanOrEqual(18);
	});

	it.each(CASES)('answers %s as the TypeScript sources do', (_, env, stdin, code) => {
		const fromBundle = call([systemNode!, bundle], env, stdin);
		const fromSources = call([process.execPath, PLUGIN_ENTRY], env, stdin);
		expect(fromSources.stderr).toBe('');
		expect(fromBundle).toEqual(fromSources);
		expect(fromBundle.exit).toBe(code === 0 ? 0 : 1);
		if (code !== 0) expect((JSON.parse(fromBundle.stdout) as { code: number }).code).toBe(code);
	});

	it('runs by its own name, as a runtime starts it', () => {
		expect(call([bundle], { CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.0.0"}')).toEqual({ stdout: '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}\n', stderr: '', exit: 0 });
	});

	it('is the same text whether written to a file or kept in memory (what the labs and the site get)', async () => {
		expect(await bundlePlugin()).toBe(readFileSync(bundle, 'utf8'));
	});
});

describe('the sources', () => {
	// Everything but the executable's own two files runs in a page too, against the simulator
	// (src/lib/simprograms): it reaches the machine only through the System it is handed.
	it('import Node\'s modules only in main.ts and node-system.ts', () => {
		const src = join(import.meta.dirname, 'src');
		const offenders = readdirSync(src)
			.filter((f) => f.endsWith('.ts') && !f.includes('.test') && !['main.ts', 'node-system.ts'].includes(f))
			.filter((f) => /from '(node:|[a-z])/.test(readFileSync(join(src, f), 'utf8')));
		expect(offenders).toEqual([]);
		expect(readdirSync(src).filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(8);
	});
});

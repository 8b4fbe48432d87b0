import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../src/lib/book/paths.ts';
import { chapterSource, fixtureBook } from '../src/lib/engines/local/safety-helpers.ts';

const ok = chapterSource('two-hosts', [{ commands: ['true'] }]);
const root = fixtureBook({
	'01-attr': chapterSource('two-hosts', [{ meta: 'colour=red', commands: ['true'] }]),
	'02-host': chapterSource('two-hosts', [{ meta: 'host=carol', commands: ['true'] }]),
	'03-cont': chapterSource('two-hosts', [{ commands: ['ip link add a \\'] }]),
	'04-norun': chapterSource('two-hosts', [{ meta: 'norun=""', commands: ['docker ps'] }]),
	'05-ok': ok,
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function verify(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/verify.ts'), '--root', root, ...args], { cwd: ROOT, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verify on bad input', () => {
	it.each([
		['01', /^verify: content\/chapters\/01-attr\.mdx:9: unknown attribute "colour"\n  hint: [^\n]+\n$/],
		['02', /^verify: content\/chapters\/02-host\.mdx:9: unknown host "carol" in lab "two-hosts"\n  hint: hosts of this lab: alice, bob\n$/],
		['03', /^verify: content\/chapters\/03-cont\.mdx:10: the command ends with "\\" but the block ends before its continuation\n  hint: [^\n]+\n$/],
		['04', /^verify: content\/chapters\/04-norun\.mdx:9: attribute "norun" needs a value[^\n]*\n  hint: [^\n]+\n$/],
		['99', /^verify: no chapter matches "99" \(chapters: 01-attr, 02-host, 03-cont, 04-norun, 05-ok\)\n$/],
	])('chapter %s: one clear error naming file and line, exit 2', (chapter, message) => {
		const { code, stdout, stderr } = verify('--chapter', chapter);
		expect(stdout).toBe('');
		expect(stderr).toMatch(message);
		expect(code).toBe(2);
	});

	it('refuses bad options and recording snapshots from the simulator', () => {
		expect(verify('--nope').code).toBe(2);
		expect(verify('--update', '--engine', 'sim').stderr).toBe('verify: snapshots are recorded from the real kernel only: drop --engine sim\n');
		expect(verify('--engine', 'qemu').stderr).toBe('verify: unknown engine "qemu" (kernel or sim)\n');
	});

	it('knows its targets, and says in one line when a target has no snapshots to check against yet', () => {
		expect(verify('--target', 'vm:riscv64')).toEqual({ code: 2, stdout: '', stderr: 'verify: unknown target "vm:riscv64" (local, vm:arm64, vm:x86_64, v86 or ssh://[user@]host[:port])\n' });
		expect(verify('--target', 'ssh://pi@rasp berry')).toEqual({
			code: 2,
			stdout: '',
			stderr: 'verify: --target ssh://pi@rasp berry: write an SSH target as ssh://[user@]host[:port], e.g. ssh://pi@raspberrypi.local\n',
		});
		expect(verify('--target', 'vm:arm64', '--engine', 'sim').stderr).toBe('verify: --target chooses where the real kernel runs: drop --engine sim\n');
		expect(verify('--update', '--against', 'local').stderr).toBe('verify: --against compares with other snapshots: use it with --check\n');
		expect(verify('--check', '--target', 'vm:arm64', '--chapter', '05')).toEqual({
			code: 2,
			stdout: '',
			stderr:
				'verify: no snapshots of target vm:arm64 yet (content/snapshots/vm-arm64/ does not exist): record them with ' +
				"--update --target vm:arm64, or compare this run with local's with --against local\n",
		});
	});

	it('records a run apart only under a set name that belongs to no target', () => {
		const line = (...args: string[]): string => verify('--chapter', '05', ...args).stderr;
		expect(line('--check', '--save-as', 'native-arm64')).toBe(
			'verify: --save-as names the snapshot set that --update writes; to compare a run with a set, use --against native-arm64\n',
		);
		expect(line('--update', '--save-as', 'Native/ARM')).toBe(
			'verify: --save-as needs a folder name of lowercase letters, digits, ".", "_" or "-" (such as native-arm64), not "Native/ARM"\n',
		);
		expect(line('--update', '--save-as', 'local')).toBe("verify: --save-as local is target local's own set: drop --save-as\n");
		expect(line('--update', '--target', 'vm:x86_64', '--save-as', 'vm-arm64')).toBe(
			'verify: --save-as vm-arm64 is the snapshot set of target vm:arm64 (content/snapshots/vm-arm64/): choose another name (such as native-arm64)\n',
		);
		expect(line('--check', '--against', 'native-arm64')).toBe(
			'verify: no snapshot set native-arm64 (content/snapshots/native-arm64/ does not exist): record one with ' +
				"--update --save-as native-arm64, or compare with a target's snapshots (--against local)\n",
		);
	});
});

describe('verify --update --save-as (as root: runs a one-command chapter in the sandbox)', () => {
	it("writes the run into the named set, leaves the book's own set alone, and --against checks with it", () => {
		const own = join(root, 'content/snapshots/05-ok.json');
		const set = join(root, 'content/snapshots/native-arm64/05-ok.json');
		const recorded = verify('--update', '--chapter', '05', '--save-as', 'native-arm64', '--no-scripts');
		expect(recorded.stderr).toBe('');
		expect(recorded.code).toBe(0);
		expect([existsSync(set), existsSync(own)]).toEqual([true, false]);
		const checked = verify('--check', '--chapter', '05', '--against', 'native-arm64', '--no-scripts');
		expect(checked.stdout).toMatch(/verify: 1 chapter, 1 command, 0 mismatches/);
		expect(checked.code).toBe(0);
	});
});

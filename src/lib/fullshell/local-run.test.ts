// The very tree "Open in a full shell" mounts, written to a folder and driven as the WebContainer's
// shell is: the setup line the page types, then `npm test` and each line the reader is offered, in
// bash, with the environment shellEnv() gives jsh, the system's Node.js (Debian's 20, as close
// as this machine has to a WebContainer's) and the project's npm. What differs from a
// WebContainer: bash for jsh, a real file system, and the `#!` files made executable (a tree has
// no file modes).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from '../../../examples/cni-plugin/build.ts';
import { ROOT } from '../book/paths.ts';
import { ADD_LINE, DEL_LINE, SETUP_LINE, shellEnv, TRY_LINES } from './commands.ts';
import { collectShellFiles } from './sources.ts';
import { shellTree, treeFiles } from './tree.ts';

/** The system's programs: `node` is Debian's (package nodejs), not the project's Node 24. */
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';
const scratch = mkdtempSync(join(tmpdir(), 'full-shell-run-'));
const dir = join(scratch, 'tsbridge');
/** `npm` here is the npm that runs the project (wherever it is installed), run by the system's node. */
const npmDir = join(scratch, 'npm-bin');
const env = { HOME: join(scratch, 'home'), LANG: 'C.UTF-8', ...shellEnv(dir, `${npmDir}:${SYSTEM_PATH}`) };

/** The project's npm: the one running this test, else the first on PATH (its CLI script, followed through links). */
function projectNpm(): string {
	const cli = process.env['npm_execpath'];
	if (cli && /npm-cli\.js$/.test(cli)) return cli;
	for (const d of (process.env['PATH'] ?? '').split(':')) if (d && existsSync(join(d, 'npm'))) return realpathSync(join(d, 'npm'));
	throw new Error('no npm on PATH: the test runs the folder\'s npm test with the npm that runs the project');
}

/** One line in bash in the folder, as the reader would type it into the shell. */
function typed(line: string, input?: string) {
	const r = spawnSync('bash', ['-c', line], { cwd: dir, env, encoding: 'utf8', input, timeout: 120_000 });
	return { stdout: r.stdout, stderr: r.stderr, exit: r.status };
}

/** How many of the plugin's sources the build turns into JavaScript. */
let sources = 0;

beforeAll(async () => {
	const tree = treeFiles(shellTree(await collectShellFiles(ROOT)));
	sources = [...tree.keys()].filter((p) => p.startsWith('src/')).length;
	for (const [path, text] of tree) {
		const file = join(dir, path);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, text);
		if (text.startsWith('#!')) chmodSync(file, 0o755);
	}
	mkdirSync(env.HOME);
	mkdirSync(npmDir);
	symlinkSync(projectNpm(), join(npmDir, 'npm'));
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the full shell\'s folder under Node, line by line', () => {
	it('runs on the system\'s Node.js, not the project\'s', () => {
		const major = Number(/^v(\d+)\./.exec(typed('node --version').stdout)?.[1]);
		expect(major).toBeGreaterThanOrEqual(18);
		expect(major).toBeLessThan(24);
	});

	it('the setup line builds the plugin and starts the lab', () => {
		const r = typed(SETUP_LINE);
		expect(r.stderr).toBe('');
		expect(r.exit).toBe(0);
		expect(r.stdout.startsWith(`build: ${sources} files from src/ into build/; run the plugin with node plugin.js\nnetsim-lab: lab machine (hosts: pi), imitating vm:arm64: `)).toBe(true);
		expect(existsSync(join(dir, 'plugin.js'))).toBe(true);
		expect(existsSync(env.NETSIM_STATE)).toBe(true);
	});

	it('npm test passes all seven tests, in a lab of its own', () => {
		expect(TRY_LINES[0]).toBe('npm test');
		const r = typed('npm test');
		expect(r.exit, r.stdout + r.stderr).toBe(0);
		expect(r.stdout).toMatch(/^(# |ℹ )pass 7$/m);
		expect(r.stdout).toMatch(/^(# |ℹ )fail 0$/m);
		// The reader's lab is as the setup left it.
		expect(typed('ip netns list')).toEqual({ stdout: '', stderr: '', exit: 0 });
	});

	it('the lines the reader is offered plug pod1 in, reach the internet, and unplug it', () => {
		const [, netns, add, addr, ping, del] = TRY_LINES;
		expect([add, del]).toEqual([ADD_LINE, DEL_LINE]);
		expect(typed(netns!)).toEqual({ stdout: '', stderr: '', exit: 0 });
		const added = typed(add!);
		expect(added.exit, added.stdout + added.stderr).toBe(0);
		const result = JSON.parse(added.stdout) as { ips: unknown[]; interfaces: { name: string }[] };
		expect(result.ips).toEqual([{ interface: 2, address: '10.22.0.2/16', gateway: '10.22.0.1' }]);
		expect(readFileSync(join(dir, 'networks/podnet/10.22.0.2'), 'utf8')).toBe('pod1\r\neth0');
		expect(typed(addr!).stdout).toMatch(/^\s+inet 10\.22\.0\.2\/16 brd 10\.22\.255\.255 scope global eth0$/m);
		expect(typed(ping!).stdout).toMatch(/^1 packets transmitted, 1 received, 0% packet loss/m);
		expect(typed(del!)).toEqual({ stdout: '', stderr: '', exit: 0 });
		expect(existsSync(join(dir, 'networks/podnet/10.22.0.2'))).toBe(false);
		expect(typed('ip -n pod1 -br link').stdout).toMatch(/^lo\s+DOWN/);
		expect(typed('ip -n pod1 -br link').stdout).not.toMatch(/eth0/);
	});

	it('a change to the source reaches npm test (it rebuilds), and a broken one keeps the last good build', () => {
		const file = join(dir, 'src/plugin.ts');
		const original = readFileSync(file, 'utf8');
		expect(original).toContain('`veth${');
		writeFileSync(file, original.replace('`veth${', '`tsb${'));
		const changed = typed('npm test');
		expect(changed.exit).not.toBe(0);
		expect(changed.stdout).toMatch(/^(not ok \d+ - |✖ )ADD plugs pod1 into the bridge and reports what it built/m);
		expect(changed.stdout).toMatch(/^(# |ℹ )fail [1-9]/m);

		writeFileSync(file, `${original}\nconst broken: = 1;\n`);
		const build = typed('npm run -s build');
		expect(build.exit).toBe(1);
		expect(build.stderr).toMatch(/^build: src\/plugin\.ts: .*\(\d+:\d+\)\nbuild: 1 of \d+ files failed; plugin.js still runs the last good build\n$/);
		expect(build.stderr).toContain(`build: 1 of ${sources} files failed`);
		const version = typed('CNI_COMMAND=VERSION node plugin.js', '{"cniVersion":"1.0.0"}');
		expect(version).toEqual({ stdout: '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}\n', stderr: '', exit: 0 });

		writeFileSync(file, original);
		expect(typed('npm test').exit).toBe(0);
	}, 120_000);
});

describe('the plugin as the folder builds it (sucrase, file by file) and as the labs get it (esbuild, one file)', () => {
	const bundle = join(scratch, 'tsbridge-bundle');
	beforeAll(async () => void (await buildPlugin(bundle)));

	const conf = readFileSync(join(ROOT, 'examples/full-shell/conf.json'), 'utf8');
	const pod = 'CNI_CONTAINERID=pod1 CNI_NETNS=/run/netns/pod1 CNI_IFNAME=eth0';
	it.each([
		['VERSION', 'CNI_COMMAND=VERSION', '{"cniVersion":"1.0.0"}'],
		['no CNI_COMMAND', '', conf],
		['ADD without CNI_NETNS', `CNI_COMMAND=ADD ${pod} CNI_NETNS=`, conf],
		['ADD with a broken configuration', `CNI_COMMAND=ADD ${pod}`, '{"cniVersion":'],
		['ADD of another spec version', `CNI_COMMAND=ADD ${pod}`, conf.replace('"1.0.0"', '"0.3.1"')],
		['CHECK without prevResult', `CNI_COMMAND=CHECK ${pod}`, conf],
		['an unsupported field', `CNI_COMMAND=ADD ${pod}`, conf.replace('"isGateway"', '"mtu": 1400, "isGateway"')],
	])('answers %s alike', (_, vars, stdin) => {
		const built = typed(`env ${vars} node plugin.js`, stdin);
		expect(built.stdout).not.toBe('');
		expect(built).toEqual(typed(`env ${vars} node ${bundle}`, stdin));
	});
});

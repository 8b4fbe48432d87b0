/**
 * An sshd on 127.0.0.1 with keys made for the run, so this machine can be an SSH target: the SSH
 * engine's tests and the benchmark (`npm run bench -- --only targets`) run the book through it.
 * Debian's sshd is taken from its package without installing it (`apt-get download` +
 * `dpkg-deb -x` into node_modules/.netbook/openssh), so it never leaves an SSH server enabled on
 * the machine; it listens on 127.0.0.1 only, lets in only the key made for the run (root, no
 * password), runs in a private mount namespace whose own /run holds its privilege-separation
 * folder, and dies with the process that started it (`setpriv --pdeathsig KILL`). `stop()` ends
 * it by PID and removes its keys.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../book/paths.ts';
import { parseSshTarget, type SshTarget } from './target.ts';

const SSHD_HOME = join(ROOT, 'node_modules/.netbook/openssh');

/** Runs a program and returns its standard output; throws with what it said when it fails. */
function run(program: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
	const r = spawnSync(program, args, { encoding: 'utf8', ...options });
	if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
	return r.stdout;
}

/** Debian's sshd, unpacked once from its package (and the libraries it links that minbase lacks). */
function sshdBinary(): { sshd: string; env: NodeJS.ProcessEnv; helpers: { keyword: string; path: string }[] } {
	const root = join(SSHD_HOME, 'root');
	const sshd = join(root, 'usr/sbin/sshd');
	const libs = [join(root, 'lib/x86_64-linux-gnu'), join(root, 'usr/lib/x86_64-linux-gnu'), join(root, 'lib/aarch64-linux-gnu'), join(root, 'usr/lib/aarch64-linux-gnu')];
	const env = { ...process.env, LD_LIBRARY_PATH: libs.join(':') };
	if (!existsSync(sshd)) {
		const debs = join(SSHD_HOME, 'debs');
		mkdirSync(debs, { recursive: true });
		// Libraries it links that a minimal Debian lacks: libwrap0 (Debian 12 and 13), libwtmpdb0 (13).
		const libraries = ['libwrap0', 'libwtmpdb0'].filter((pkg) => spawnSync('apt-cache', ['show', pkg], { stdio: 'ignore' }).status === 0);
		run('apt-get', ['download', 'openssh-server', ...libraries], { cwd: debs });
		for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) run('dpkg-deb', ['-x', join(debs, deb), root]);
	}
	const helpers = sshdHelpers(root);
	const binaries = [sshd, ...helpers.map((helper) => helper.path)];
	const missing = binaries.flatMap((binary) => run('ldd', [binary], { env }).split('\n').filter((l) => l.includes('not found')));
	if (missing.length) throw new Error(`the unpacked sshd lacks libraries: ${missing.join('; ')}`);
	return { sshd, env, helpers };
}

/**
 * OpenSSH 9.8 split sshd: it execs `sshd-session` (and, from 10.0, `sshd-auth`) by the absolute path
 * it was built with, `/usr/lib/openssh/…`, which an unpacked package does not have. Debian 13's
 * sshd takes both paths from its config; Debian 12's (9.2) has neither binary and would refuse the
 * keywords, so they are named only when the package holds them.
 */
function sshdHelpers(root: string): { keyword: string; path: string }[] {
	const helpers = [
		{ keyword: 'SshdSessionPath', path: join(root, 'usr/lib/openssh/sshd-session') },
		{ keyword: 'SshdAuthPath', path: join(root, 'usr/lib/openssh/sshd-auth') },
	];
	return helpers.filter((helper) => existsSync(helper.path));
}

/** A TCP port nothing listens on now. */
async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** A running loopback sshd: the target and the `ssh -F` config that reach it as root, and how to stop it. */
export interface LoopbackSshd {
	port: number;
	/** `ssh://root@127.0.0.1:PORT`. */
	target: SshTarget;
	/** An ssh_config file: the generated key, its own known_hosts, no agent, no password. */
	config: string;
	/** `['-F', config]`: the SSH engine's `sshOptions`. */
	sshOptions: string[];
	stop(): Promise<void>;
}

/** Starts sshd on 127.0.0.1 for root, with a host key and a user key made for this run. */
export async function startLoopbackSshd(): Promise<LoopbackSshd> {
	const { sshd, env, helpers } = sshdBinary();
	const dir = mkdtempSync(join(tmpdir(), 'netbook-sshd-'));
	const port = await freePort();
	run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
	run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
	writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
	writeFileSync(
		join(dir, 'sshd_config'),
		[
			`Port ${port}`,
			'ListenAddress 127.0.0.1',
			`HostKey ${join(dir, 'host_key')}`,
			`PidFile ${join(dir, 'sshd.pid')}`,
			`AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
			'PermitRootLogin prohibit-password',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'UsePAM no',
			'StrictModes no',
			'PrintMotd no',
			...helpers.map((helper) => `${helper.keyword} ${helper.path}`),
			'',
		].join('\n'),
	);
	writeFileSync(
		join(dir, 'ssh_config'),
		[
			'Host *',
			`  IdentityFile ${join(dir, 'user_key')}`,
			'  IdentitiesOnly yes',
			'  IdentityAgent none',
			`  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
			'  StrictHostKeyChecking accept-new',
			'  LogLevel ERROR',
			'',
		].join('\n'),
	);
	// A private mount namespace gives it what installing the package would have added to the
	// machine: /run/sshd, and an `sshd` user for privilege separation (in its own copy of /etc/passwd).
	writeFileSync(join(dir, 'passwd'), `${readFileSync('/etc/passwd', 'utf8')}sshd:x:65534:65534:sshd privilege separation:/run/sshd:/usr/sbin/nologin\n`);
	const setup = 'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && mount --bind "$2" /etc/passwd && exec "$0" -D -e -f "$1"';
	// setpriv, unshare and sh each exec the next, so the PID is sshd's and it dies with its parent.
	const args = ['--pdeathsig', 'KILL', '--', 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', setup, sshd, join(dir, 'sshd_config'), join(dir, 'passwd')];
	const child: ChildProcess = spawn('setpriv', args, {
		env,
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let log = '';
	child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
	const stop = async (): Promise<void> => {
		if (child.exitCode === null && child.pid) {
			const closed = new Promise((resolve) => child.once('close', resolve));
			child.kill('SIGTERM');
			await closed;
		}
		rmSync(dir, { recursive: true, force: true });
	};
	// Ready when it answers: a login that runs `true`.
	for (let i = 0; i < 100; i++) {
		if (child.exitCode !== null) break;
		const r = spawnSync('ssh', ['-F', join(dir, 'ssh_config'), '-o', 'BatchMode=yes', '-p', String(port), 'root@127.0.0.1', 'true']);
		if (r.status === 0)
			return { port, target: parseSshTarget(`ssh://root@127.0.0.1:${port}`), config: join(dir, 'ssh_config'), sshOptions: ['-F', join(dir, 'ssh_config')], stop };
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await stop();
	throw new Error(`the loopback sshd did not start: ${log.trim()}`);
}

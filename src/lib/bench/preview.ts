import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** The astro CLI that `root` resolves (its own node_modules or a parent's). */
export function astroBin(root: string): string {
	return createRequire(join(root, 'package.json')).resolve('astro/package.json').replace(/package\.json$/, 'bin/astro.mjs');
}

/** A running `astro preview` of a built site. */
export interface Preview {
	url: string;
	stop(): Promise<void>;
}

/**
 * Starts `astro preview` for the site in `root` (already built into dist/) on a free port and
 * resolves once it answers. Stops only the process it started, by PID.
 */
export async function startPreview(root: string): Promise<Preview> {
	const port = await freePort();
	const child: ChildProcess = spawn(
		process.execPath,
		[astroBin(root), 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port)],
		{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let log = '';
	child.stdout?.on('data', (d) => (log += d));
	child.stderr?.on('data', (d) => (log += d));
	const url = `http://127.0.0.1:${port}/`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`astro preview exited (${child.exitCode}):\n${log}`);
		try {
			await fetch(url); // any HTTP answer, even a 404, means it is serving
			break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGTERM');
			throw new Error(`astro preview did not answer on ${url} within 30 s:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

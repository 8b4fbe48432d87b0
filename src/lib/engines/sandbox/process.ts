/**
 * A sandbox.sh run as a child process, whatever carries it (unshare here, ssh to a Pi, QEMU):
 * its stderr's "progress" lines become progress events, its exit code becomes the engine's
 * errors (3 refused, 4 the lab could not be built, anything else a failure naming the chapter),
 * and aborting kills the child by PID.
 */
import { spawn } from 'node:child_process';
import { EngineRefusedError, EngineRunError } from '../engine.ts';
import type { SandboxRunOptions } from './engine.ts';

/** The command that runs sandbox.sh, and what to say when its program is missing. */
export interface SandboxCommand {
	program: string;
	args: readonly string[];
	/** Fed to the child's standard input (e.g. the job as a tar for ssh). */
	stdin?: Buffer;
	/** The one line of an {@link EngineRefusedError} when `program` cannot be started. */
	missing: string;
}

/** Runs `command`, reporting progress; resolves with its standard output when sandbox.sh exited 0. */
export function runSandboxCommand(command: SandboxCommand, options: SandboxRunOptions): Promise<Buffer> {
	const { id, total } = options;
	return new Promise((resolvePromise, reject) => {
		if (options.signal?.aborted) return reject(new EngineRunError(id, 'aborted'));
		const child = spawn(command.program, command.args, { stdio: [command.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
		const out: Buffer[] = [];
		let done = 0;
		let diagnostics = '';
		let pending = '';
		const abort = (): void => {
			child.kill('SIGKILL');
		};
		options.signal?.addEventListener('abort', abort, { once: true });
		if (command.stdin) child.stdin?.end(command.stdin);
		child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr?.setEncoding('utf8');
		child.stderr?.on('data', (chunk: string) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			for (const line of lines) {
				if (/^progress \d+ \d+( \d+)?$/.test(line)) options.onProgress?.(++done, total);
				else diagnostics += `${line}\n`;
			}
		});
		child.on('error', (e: NodeJS.ErrnoException) => {
			options.signal?.removeEventListener('abort', abort);
			reject(e.code === 'ENOENT' ? new EngineRefusedError(command.missing) : new EngineRunError(id, `cannot start the sandbox: ${e.message}`));
		});
		child.on('close', (code, signal) => {
			options.signal?.removeEventListener('abort', abort);
			diagnostics += pending;
			const said = diagnostics.trim().split('\n').filter(Boolean);
			const first = (said.find((l) => l.startsWith('sandbox: ')) ?? said[0] ?? '').replace(/^sandbox: /, '');
			if (options.signal?.aborted) return reject(new EngineRunError(id, 'aborted'));
			if (code === 0) return resolvePromise(Buffer.concat(out));
			if (code === 3) return reject(new EngineRefusedError(first || 'the sandbox refused to run'));
			if (code === 4) return reject(new EngineRunError(id, `${first}\n  hint: check the lab "${options.lab}" in examples/labs/`));
			const tail = said.slice(-5).join('\n  ');
			reject(new EngineRunError(id, `the sandbox failed (${signal ?? `exit ${code}`})${tail ? `:\n  ${tail}` : ''}`));
		});
	});
}

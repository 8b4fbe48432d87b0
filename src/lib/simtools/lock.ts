/**
 * One writer at a time for a state file. Every tool invocation reads the journal, runs one
 * command and writes the journal back; two at once would each write back their own command and
 * lose the other's. So each holds a lock while it does: a directory beside the state file
 * (`STATE.lock`), because creating a directory is atomic everywhere Node runs (a WebContainer's
 * file system too) and fails for the second comer. The owner writes its PID into it, so a lock
 * left by a process that was killed is recognised and broken.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SimtoolsError } from './errors.ts';

/** How long to wait for another invocation before giving up. */
const WAIT_MS = 60_000;
/** A lock older than this is taken for abandoned even if its owner cannot be asked. */
const STALE_MS = 120_000;
/** A lock without an owner yet (its creator has not written it) is abandoned after this. */
const OWNERLESS_MS = 5_000;

/** What a lock directory says about its holder. */
interface Owner {
	pid: number;
	since: string;
}

/** Blocks this thread for `ms` (the tools are synchronous, one command each). */
function pause(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** False only when the process surely does not exist (ESRCH); a process we may not signal is alive. */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

function readOwner(lockDir: string): Owner | undefined {
	try {
		const owner = JSON.parse(readFileSync(`${lockDir}/owner`, 'utf8')) as Partial<Owner>;
		return typeof owner.pid === 'number' && typeof owner.since === 'string' ? { pid: owner.pid, since: owner.since } : undefined;
	} catch {
		return undefined;
	}
}

/** Which lock directory this is (a new one made after a break differs) and how old it is. */
interface Seen {
	identity: string;
	ms: number;
}

function look(lockDir: string): Seen | undefined {
	try {
		const st = statSync(lockDir);
		return { identity: `${st.ino}:${st.mtimeMs}`, ms: Date.now() - st.mtimeMs };
	} catch {
		return undefined;
	}
}

/** The lock as seen, when its holder is gone: its process has exited, it was never completed, or it is very old. */
function abandoned(lockDir: string): Seen | undefined {
	const seen = look(lockDir);
	if (!seen) return undefined;
	const owner = readOwner(lockDir);
	const gone = owner ? !alive(owner.pid) || seen.ms > STALE_MS : seen.ms > OWNERLESS_MS;
	return gone ? seen : undefined;
}

/**
 * Moves an abandoned lock aside and removes it. Two waiters may find the same abandoned lock; the
 * second to move it may move the first one's new lock instead, so what was moved is checked
 * against what was seen and put back when it is not the abandoned one.
 */
function breakLock(lockDir: string, seen: Seen): void {
	const aside = `${lockDir}.abandoned-${process.pid}-${Date.now()}`;
	try {
		renameSync(lockDir, aside);
	} catch {
		return; // someone else broke it first, or it was released
	}
	if (look(aside)?.identity !== seen.identity) {
		try {
			renameSync(aside, lockDir);
			return;
		} catch {
			// the lock was made again meanwhile: the moved one is lost to its holder either way
		}
	}
	rmSync(aside, { recursive: true, force: true });
}

/**
 * Runs `fn` holding the lock of `file`, waiting up to `waitMs` (a minute) for another holder.
 * Throws a SimtoolsError naming the holder when it never lets go.
 */
export function withLock<T>(file: string, fn: () => T, waitMs = WAIT_MS): T {
	const lockDir = `${file}.lock`;
	const deadline = Date.now() + waitMs;
	for (let attempt = 0; ; attempt++) {
		try {
			mkdirSync(lockDir);
			break;
		} catch (e) {
			const code = (e as NodeJS.ErrnoException).code;
			if (code !== 'EEXIST')
				throw new SimtoolsError(`cannot lock the state file ${file}: ${(e as Error).message}`, `check that ${lockDir.replace(/\/[^/]*$/, '') || '/'} exists and is writable`);
		}
		const gone = abandoned(lockDir);
		if (gone) {
			breakLock(lockDir, gone);
			continue;
		}
		if (Date.now() > deadline) {
			const owner = readOwner(lockDir);
			const who = owner ? `process ${owner.pid} since ${owner.since}` : 'another process';
			throw new SimtoolsError(`the state file ${file} is locked by ${who}`, `if no netsim tool is running, remove ${lockDir}`);
		}
		// Back off a little more each time, with jitter so that waiters do not move in step.
		pause(Math.min(50, 2 + attempt * 2) + Math.floor(Math.random() * 5));
	}
	try {
		writeFileSync(`${lockDir}/owner`, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
		return fn();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimtoolsError } from './errors.ts';
import { withLock } from './lock.ts';

const made: string[] = [];
const fresh = (): string => {
	const dir = mkdtempSync(join(tmpdir(), 'simtools-lock-'));
	made.push(dir);
	return join(dir, 'state.json');
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The PID of a process that has exited. */
function deadPid(): number {
	const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
	return Number(r.stdout);
}

describe('the state file’s lock', () => {
	it('is held while the work runs and gone after, even when the work throws', () => {
		const file = fresh();
		let owner = '';
		expect(withLock(file, () => ((owner = readFileSync(`${file}.lock/owner`, 'utf8')), 42))).toBe(42);
		expect(JSON.parse(owner)).toMatchObject({ pid: process.pid });
		expect(existsSync(`${file}.lock`)).toBe(false);
		expect(() => withLock(file, () => { throw new Error('boom'); })).toThrow('boom');
		expect(existsSync(`${file}.lock`)).toBe(false);
	});

	it('breaks a lock whose holder has exited', () => {
		const file = fresh();
		mkdirSync(`${file}.lock`);
		writeFileSync(`${file}.lock/owner`, JSON.stringify({ pid: deadPid(), since: new Date().toISOString() }));
		expect(withLock(file, () => 'ran', 2_000)).toBe('ran');
		expect(existsSync(`${file}.lock`)).toBe(false);
	});

	it('waits for a live holder, then names it and says what to do', () => {
		const file = fresh();
		mkdirSync(`${file}.lock`);
		writeFileSync(`${file}.lock/owner`, JSON.stringify({ pid: process.pid, since: '2026-12-04T10:00:00.000Z' }));
		const t0 = Date.now();
		let error: unknown;
		try {
			withLock(file, () => 'ran', 300);
		} catch (e) {
			error = e;
		}
		expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
		expect(error).toBeInstanceOf(SimtoolsError);
		expect((error as SimtoolsError).message).toBe(`the state file ${file} is locked by process ${process.pid} since 2026-12-04T10:00:00.000Z`);
		expect((error as SimtoolsError).hint).toBe(`if no netsim tool is running, remove ${file}.lock`);
		expect(existsSync(`${file}.lock/owner`)).toBe(true);
	});
});

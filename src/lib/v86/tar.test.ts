// The tar reader and writer against GNU tar, which writes the guest's results and reads its jobs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packTar, unpackTar } from './tar.ts';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = (): string => {
	const d = mkdtempSync(join(tmpdir(), 'netbook-tar-'));
	dirs.push(d);
	return d;
};
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('tar', () => {
	it('writes archives GNU tar extracts byte for byte (empty, one byte, block-sized, long names)', () => {
		const files = [
			{ name: 'job.json', data: new TextEncoder().encode('{"chapter":"04"}') },
			{ name: 'empty', data: new Uint8Array(0) },
			{ name: 'one', data: bytes(1, 7) },
			{ name: 'block', data: bytes(512, 3) },
			{ name: `${'d'.repeat(60)}/${'e'.repeat(60)}/sandbox.sh`, data: bytes(70_001, 9) },
		];
		const dir = scratch();
		writeFileSync(join(dir, 'a.tar'), packTar(files));
		mkdirSync(join(dir, 'x'));
		const r = spawnSync('tar', ['-xf', join(dir, 'a.tar'), '-C', join(dir, 'x')], { encoding: 'utf8' });
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		for (const f of files) expect(new Uint8Array(readFileSync(join(dir, 'x', f.name)))).toEqual(f.data);
	});

	it('reads what GNU tar writes, as the guest packs its results (out/ with files, exit, stderr)', () => {
		const dir = scratch();
		mkdirSync(join(dir, 'out'));
		writeFileSync(join(dir, 'out', '0.0.out'), 'lo UNKNOWN 127.0.0.1/8\n');
		writeFileSync(join(dir, 'out', 'steps.jsonl'), Buffer.from(bytes(3000, 1)));
		writeFileSync(join(dir, 'out', `${'n'.repeat(120)}.err`), '');
		writeFileSync(join(dir, 'exit'), '0\n');
		writeFileSync(join(dir, 'stderr'), '');
		const r = spawnSync('tar', ['-C', dir, '-cf', '-', 'out', 'exit', 'stderr']);
		expect(r.status).toBe(0);
		const files = unpackTar(new Uint8Array(r.stdout));
		expect([...files.keys()].sort()).toEqual(['exit', 'out/0.0.out', `out/${'n'.repeat(120)}.err`, 'out/steps.jsonl', 'stderr']);
		expect(new TextDecoder().decode(files.get('out/0.0.out'))).toBe('lo UNKNOWN 127.0.0.1/8\n');
		expect(files.get('out/steps.jsonl')).toEqual(bytes(3000, 1));
		expect(files.get(`out/${'n'.repeat(120)}.err`)).toEqual(new Uint8Array(0));
	});

	it('refuses a damaged header', () => {
		const tar = packTar([{ name: 'a', data: bytes(10, 1) }]);
		tar[0] = 0x42;
		expect(() => unpackTar(tar)).toThrow(/damaged header at byte 0/);
	});
});

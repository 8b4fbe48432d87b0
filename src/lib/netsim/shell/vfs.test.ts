import { describe, expect, it } from 'vitest';
import { World } from '../model/world.ts';
import { Vfs } from './vfs.ts';

describe('the file system', () => {
	const ns = new World(1).createNetns();

	it('gives content and errors as distinct values, whatever a file holds', () => {
		const vfs = new Vfs('pi');
		expect(vfs.write('/tmp/x', 'EEXIST', false, ns)).toEqual({ ok: true, value: undefined });
		expect(vfs.readFile('/tmp/x', ns)).toEqual({ ok: true, value: 'EEXIST' });
		expect(vfs.exists('/tmp/x', ns)).toBe(true);
		expect(vfs.readFile('/tmp/none', ns)).toEqual({ ok: false, error: 'ENOENT' });
		expect(vfs.readFile('/tmp', ns)).toEqual({ ok: false, error: 'EISDIR' });
	});

	it('answers every operation with a value or an error', () => {
		const vfs = new Vfs('pi');
		expect(vfs.mkdir('/tmp/d', false).ok).toBe(true);
		expect(vfs.mkdir('/tmp/d', false)).toEqual({ ok: false, error: 'EEXIST' });
		expect(vfs.write('/nonexist/x', '', false, ns)).toEqual({ ok: false, error: 'ENOENT' });
		expect(vfs.list('/tmp', ns)).toEqual({ ok: true, value: ['d'] });
		expect(vfs.rmdir('/tmp/none')).toEqual({ ok: false, error: 'ENOENT' });
		expect(vfs.remove('/tmp/d', false)).toEqual({ ok: false, error: 'EISDIR' });
		expect(vfs.remove('/tmp/d', true).ok).toBe(true);
	});
});

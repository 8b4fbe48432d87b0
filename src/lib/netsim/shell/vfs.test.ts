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

	it('shows a mount namespace the host tree through its bind mounts, as ip netns exec makes them', () => {
		const vfs = new Vfs('pi');
		vfs.mkdir('/etc/netns/alice', true);
		vfs.write('/etc/netns/alice/resolv.conf', 'nameserver 10.0.0.1\n', false, ns);
		const bound = vfs.bind('/etc/netns/alice/resolv.conf', '/etc/resolv.conf');
		if (!bound.ok) throw new Error(bound.error);
		const view = vfs.view(bound.value);
		expect(view.readFile('/etc/resolv.conf', ns)).toEqual({ ok: true, value: 'nameserver 10.0.0.1\n' });
		expect(vfs.readFile('/etc/resolv.conf', ns)).toEqual({ ok: true, value: '# lab sandbox: no DNS\n' });
		// The mount point is the source file: writing through it changes the file in /etc/netns.
		expect(view.write('/etc/resolv.conf', 'search lab\n', true, ns).ok).toBe(true);
		expect(vfs.readFile('/etc/netns/alice/resolv.conf', ns)).toEqual({ ok: true, value: 'nameserver 10.0.0.1\nsearch lab\n' });
		expect(view.remove('/etc/resolv.conf', false)).toEqual({ ok: false, error: 'EBUSY' });
		expect(vfs.remove('/etc/resolv.conf', false).ok).toBe(true);
		// mount(2)'s errors: a missing source or target, a directory on a file.
		expect(vfs.bind('/etc/netns/alice/none', '/etc/none')).toEqual({ ok: false, error: 'ENOENT' });
		expect(vfs.bind('/etc/netns/alice/resolv.conf', '/etc/none')).toEqual({ ok: false, error: 'ENOENT' });
		expect(vfs.bind('/etc/netns/alice', '/etc/hosts')).toEqual({ ok: false, error: 'ENOTDIR' });
	});

	it('lists a directory newest first for readdir, as tmpfs does, and sorted for ls', () => {
		const vfs = new Vfs('pi');
		vfs.mkdir('/tmp/d', false);
		for (const name of ['b', 'a', 'c']) vfs.write(`/tmp/d/${name}`, '', false, ns);
		vfs.mkdir('/tmp/d/e', false);
		expect(vfs.readdir('/tmp/d')).toEqual({ ok: true, value: ['e', 'c', 'a', 'b'] });
		expect(vfs.list('/tmp/d', ns)).toEqual({ ok: true, value: ['a', 'b', 'c', 'e'] });
		expect(vfs.readdir('/tmp/none')).toEqual({ ok: false, error: 'ENOENT' });
	});
});

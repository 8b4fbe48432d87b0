/**
 * A host's files: a plain in-memory tree for /etc, /tmp, /run, /var…, and live views of
 * /proc/sys (the sysctls of the current namespace) and /sys/class/net (its devices).
 */
import { formatMac } from '../addr/mac.ts';
import { sysctlWrite } from '../kernel/sysctl.ts';
import type { Netns } from '../model/netns.ts';

/** Errors as the C library names them. */
export type FsError = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES' | 'EINVAL' | 'ENOSPC' | 'ENOSIM';

/** The pretend disk is small: a file may not grow past this (and the page must not run out of memory). */
const MAX_FILE = 1 << 20;

/** The in-memory file tree of one host. */
export class Vfs {
	files = new Map<string, string>();
	/** When each file was last written, on the virtual clock (ms); files of a fresh host have 0. */
	mtimes = new Map<string, number>();
	dirs = new Set<string>(['/', '/etc', '/tmp', '/run', '/run/netns', '/var', '/var/lib', '/usr', '/usr/lib', '/usr/bin', '/usr/sbin', '/proc', '/sys', '/dev', '/root', '/home', '/bin', '/sbin']);

	constructor(hostname: string) {
		this.files.set('/etc/hostname', `${hostname}\n`);
		this.files.set('/etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
		this.files.set('/dev/null', '');
	}

	/** Reads a file; live files come from the namespace. */
	read(path: string, ns: Netns): string | FsError {
		const p = normalise(path);
		if (p === '/dev/null') return '';
		if (p.startsWith('/proc/sys/')) {
			const key = p.slice('/proc/sys/'.length).replaceAll('/', '.');
			const v = ns.get(key);
			if (v === undefined) return ns.sysctlDirs().has(key) ? 'EISDIR' : 'ENOENT';
			return `${v}\n`;
		}
		if (p.startsWith('/sys/class/net/')) return readSysNet(p.slice('/sys/class/net/'.length), ns);
		if (p.startsWith('/proc/')) return 'ENOENT';
		if (this.dirs.has(p)) return 'EISDIR';
		// A reader looking for the resolver learns that the lab has none (unless they wrote one).
		if (p === '/etc/resolv.conf' && !this.files.has(p)) return 'ENOSIM';
		return this.files.get(p) ?? 'ENOENT';
	}

	/** Writes (or appends to) a file. */
	write(path: string, data: string, append: boolean, ns: Netns): FsError | undefined {
		const p = normalise(path);
		if (p === '/dev/null') return undefined;
		if (p.startsWith('/proc/sys/')) {
			const key = p.slice('/proc/sys/'.length).replaceAll('/', '.');
			return sysctlWrite(ns, key, data.trim(), false).ok ? undefined : 'ENOENT';
		}
		if (p.startsWith('/sys/') || p.startsWith('/proc/')) return 'EACCES';
		if (this.dirs.has(p)) return 'EISDIR';
		if (!this.dirs.has(parent(p))) return 'ENOENT';
		const next = (append ? (this.files.get(p) ?? '') : '') + data;
		if (next.length > MAX_FILE) return 'ENOSPC';
		this.files.set(p, next);
		this.mtimes.set(p, ns.world.now);
		return undefined;
	}

	/** When a file was last written, on the virtual clock (ms). */
	mtime(path: string): number {
		return this.mtimes.get(normalise(path)) ?? 0;
	}

	/** Lists a directory's entries (names, sorted as ls does in the C locale). */
	list(path: string, ns: Netns): string[] | FsError {
		const p = normalise(path);
		if (p === '/sys/class/net') return ns.links.map((l) => l.name).sort();
		if (!this.dirs.has(p)) return this.files.has(p) ? [p.split('/').pop() as string] : 'ENOENT';
		const prefix = p === '/' ? '/' : `${p}/`;
		const names = new Set<string>();
		for (const k of [...this.files.keys(), ...this.dirs]) {
			if (k.startsWith(prefix) && k !== p) {
				const rest = k.slice(prefix.length);
				if (rest && !rest.includes('/')) names.add(rest);
			}
		}
		return [...names].sort();
	}

	/** True when the path is a directory. */
	isDir(path: string): boolean {
		return this.dirs.has(normalise(path));
	}

	/** mkdir; with `parents`, creates the chain and ignores existing ones. */
	mkdir(path: string, parents: boolean): FsError | undefined {
		const p = normalise(path);
		if (this.dirs.has(p)) return parents ? undefined : 'EEXIST';
		if (this.files.has(p)) return 'EEXIST';
		if (!this.dirs.has(parent(p))) {
			if (!parents) return 'ENOENT';
			const e = this.mkdir(parent(p), true);
			if (e) return e;
		}
		this.dirs.add(p);
		return undefined;
	}

	/** Removes a file, or a tree with `recursive`. */
	remove(path: string, recursive: boolean): FsError | undefined {
		const p = normalise(path);
		if (this.files.has(p)) {
			this.files.delete(p);
			return undefined;
		}
		if (!this.dirs.has(p)) return 'ENOENT';
		if (!recursive) return 'EISDIR';
		for (const k of [...this.files.keys()]) if (k.startsWith(`${p}/`)) this.files.delete(k);
		for (const k of [...this.dirs]) if (k === p || k.startsWith(`${p}/`)) this.dirs.delete(k);
		return undefined;
	}

	/** rmdir. */
	rmdir(path: string): FsError | undefined {
		const p = normalise(path);
		if (!this.dirs.has(p)) return this.files.has(p) ? 'ENOTDIR' : 'ENOENT';
		for (const k of [...this.files.keys(), ...this.dirs]) if (k.startsWith(`${p}/`)) return 'ENOTEMPTY';
		this.dirs.delete(p);
		return undefined;
	}

	/** True when something exists at the path. */
	exists(path: string, ns: Netns): boolean {
		const r = this.read(path, ns);
		return r !== 'ENOENT';
	}
}

/** Resolves `.`/`..` and duplicate slashes; relative paths are taken from /root. */
export function normalise(path: string): string {
	const abs = path.startsWith('/') ? path : `/root/${path}`;
	const out: string[] = [];
	for (const part of abs.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') out.pop();
		else out.push(part);
	}
	return `/${out.join('/')}`;
}

function parent(p: string): string {
	const i = p.lastIndexOf('/');
	return i <= 0 ? '/' : p.slice(0, i);
}

function readSysNet(rest: string, ns: Netns): string | FsError {
	const [dev, ...tail] = rest.split('/');
	const link = ns.links.find((l) => l.name === dev);
	if (!link) return 'ENOENT';
	const file = tail.join('/');
	if (file === '') return 'EISDIR';
	const values: Record<string, string> = {
		mtu: String(link.mtu),
		address: formatMac(link.mac),
		broadcast: link.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
		ifindex: String(link.ifindex),
		iflink: String(link.peer?.ifindex ?? link.lower?.ifindex ?? link.ifindex),
		operstate: link.operstate().toLowerCase(),
		tx_queue_len: String(link.txqlen),
		type: link.kind === 'loopback' ? '772' : '1',
		flags: `0x${(link.adminUp ? 0x1003 : 0x1002).toString(16)}`,
	};
	if (file === 'carrier') return link.adminUp ? `${link.carrier() ? 1 : 0}\n` : 'EINVAL';
	if (link.kind === 'bridge' && file.startsWith('bridge/')) {
		const b: Record<string, string> = { stp_state: link.stp ? '1' : '0', forward_delay: String(link.forwardDelay), hello_time: '200', max_age: '2000', ageing_time: '30000', priority: '32768', vlan_filtering: '0', multicast_snooping: '1' };
		const v = b[file.slice('bridge/'.length)];
		return v === undefined ? 'ENOENT' : `${v}\n`;
	}
	const v = values[file];
	return v === undefined ? 'ENOENT' : `${v}\n`;
}

/**
 * A host's files: a plain in-memory tree for /etc, /tmp, /run, /var…, and live views of
 * /proc/sys (the sysctls of the current namespace) and /sys/class/net (its devices).
 */
import { formatMac } from '../addr/mac.ts';
import { sysctlWrite } from '../kernel/sysctl.ts';
import type { Netns } from '../model/netns.ts';
import type { Context } from '../tool/types.ts';
import { PROC_NET_WHY, procNetFile } from './proc-net.ts';

/** Errors as the C library names them. */
type FsError = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES' | 'EINVAL' | 'ENOSPC' | 'ENOSIM';

/**
 * What a file operation gives: its value, or the error, never one string standing for both (a
 * file may well hold the text `EEXIST`).
 */
type FsResult<T = void> = { ok: true; value: T } | { ok: false; error: FsError };

/** The error texts (strerror), as the tools print them after the file's name. */
const FS_MSG: Record<FsError, string> = {
	ENOENT: 'No such file or directory',
	EISDIR: 'Is a directory',
	ENOTDIR: 'Not a directory',
	EEXIST: 'File exists',
	ENOTEMPTY: 'Directory not empty',
	EACCES: 'Permission denied',
	EINVAL: 'Invalid argument',
	ENOSPC: 'No space left on device',
	// Not an errno: a file the simulator knows it does not model (the counters and sockets of /proc/net).
	ENOSIM: `not available in this simulator (${PROC_NET_WHY})`,
};

/** The message of a file error. */
export function fsMessage(e: FsError): string {
	return FS_MSG[e];
}

/** A success. */
function done(): FsResult;
function done<T>(value: T): FsResult<T>;
function done<T>(value?: T): FsResult<T | undefined> {
	return { ok: true, value };
}

/** A failure. */
function failed(error: FsError): { ok: false; error: FsError } {
	return { ok: false, error };
}

/** The pretend disk is small: a file may not grow past this (and the page must not run out of memory). */
const MAX_FILE = 1 << 20;

/** How a tool reaches the files of the host it runs on. */
export type VfsOf = (ctx: Context) => Vfs;

/** The in-memory file tree of one host. */
export class Vfs {
	files = new Map<string, string>();
	/** When each file was last written, on the virtual clock (ms); files of a fresh host have 0. */
	mtimes = new Map<string, number>();
	dirs = new Set<string>(['/', '/etc', '/tmp', '/run', '/run/netns', '/var', '/var/lib', '/usr', '/usr/lib', '/usr/bin', '/usr/sbin', '/proc', '/sys', '/dev', '/root', '/home', '/bin', '/sbin']);

	constructor(hostname: string) {
		this.files.set('/etc/hostname', `${hostname}\n`);
		// As sandbox.sh writes a lab host's (its own name on 127.0.1.1, as Debian's installer does).
		this.files.set('/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
		this.files.set('/dev/null', '');
		// As sandbox.sh writes it on every target: the lab has no DNS.
		this.files.set('/etc/resolv.conf', '# lab sandbox: no DNS\n');
	}

	/** Reads a file; live files come from the namespace. */
	readFile(path: string, ns: Netns): FsResult<string> {
		const p = normalise(path);
		if (p === '/dev/null') return done('');
		if (p.startsWith('/proc/sys/')) {
			const key = p.slice('/proc/sys/'.length).replaceAll('/', '.');
			const v = ns.get(key);
			if (v === undefined) return failed(ns.sysctlDirs().has(key) ? 'EISDIR' : 'ENOENT');
			return done(`${v}\n`);
		}
		if (p.startsWith('/sys/class/net/')) return readSysNet(p.slice('/sys/class/net/'.length), ns);
		if (p === '/proc/net' || p === '/proc/self/net') return failed('EISDIR');
		if (p.startsWith('/proc/net/') || p.startsWith('/proc/self/net/')) {
			const text = procNetFile(p.slice(p.indexOf('/net/') + 5), ns);
			return text === undefined ? failed('ENOSIM') : done(text);
		}
		if (p.startsWith('/proc/')) return failed('ENOENT');
		if (this.dirs.has(p)) return failed('EISDIR');
		const data = this.files.get(p);
		return data === undefined ? failed('ENOENT') : done(data);
	}

	/** Puts a file in place as it comes with the system (no error, no time stamp): /usr/lib/cni's plugins. */
	install(path: string, data: string): void {
		this.files.set(normalise(path), data);
	}

	/** Writes (or appends to) a file. */
	write(path: string, data: string, append: boolean, ns: Netns): FsResult {
		const p = normalise(path);
		if (p === '/dev/null') return done();
		if (p.startsWith('/proc/sys/')) {
			const key = p.slice('/proc/sys/'.length).replaceAll('/', '.');
			return sysctlWrite(ns, key, data.trim(), false).ok ? done() : failed('ENOENT');
		}
		if (p.startsWith('/sys/') || p.startsWith('/proc/')) return failed('EACCES');
		if (this.dirs.has(p)) return failed('EISDIR');
		if (!this.dirs.has(parent(p))) return failed('ENOENT');
		const next = (append ? (this.files.get(p) ?? '') : '') + data;
		if (next.length > MAX_FILE) return failed('ENOSPC');
		this.files.set(p, next);
		this.mtimes.set(p, ns.world.now);
		return done();
	}

	/** When a file was last written, on the virtual clock (ms). */
	mtime(path: string): number {
		return this.mtimes.get(normalise(path)) ?? 0;
	}

	/** Lists a directory's entries (names, sorted as ls does in the C locale); a file lists itself. */
	list(path: string, ns: Netns): FsResult<string[]> {
		const p = normalise(path);
		if (p === '/sys/class/net') return done(ns.links.map((l) => l.name).sort());
		// /proc/net lists far more than the simulator prints; its two files list themselves.
		if (p === '/proc/net' || p === '/proc/self/net') return failed('ENOSIM');
		if (p.startsWith('/proc/net/') || p.startsWith('/proc/self/net/')) {
			return procNetFile(p.slice(p.indexOf('/net/') + 5), ns) === undefined ? failed('ENOSIM') : done([p.split('/').pop() as string]);
		}
		if (!this.dirs.has(p)) return this.files.has(p) ? done([p.split('/').pop() as string]) : failed('ENOENT');
		const prefix = p === '/' ? '/' : `${p}/`;
		const names = new Set<string>();
		for (const k of [...this.files.keys(), ...this.dirs]) {
			if (k.startsWith(prefix) && k !== p) {
				const rest = k.slice(prefix.length);
				if (rest && !rest.includes('/')) names.add(rest);
			}
		}
		return done([...names].sort());
	}

	/** True when the path is a directory. */
	isDir(path: string): boolean {
		return this.dirs.has(normalise(path));
	}

	/** mkdir; with `parents`, creates the chain and ignores existing ones. */
	mkdir(path: string, parents: boolean): FsResult {
		const p = normalise(path);
		if (this.dirs.has(p)) return parents ? done() : failed('EEXIST');
		if (this.files.has(p)) return failed('EEXIST');
		if (!this.dirs.has(parent(p))) {
			if (!parents) return failed('ENOENT');
			const made = this.mkdir(parent(p), true);
			if (!made.ok) return made;
		}
		this.dirs.add(p);
		return done();
	}

	/** Removes a file, or a tree with `recursive`. */
	remove(path: string, recursive: boolean): FsResult {
		const p = normalise(path);
		if (this.files.has(p)) {
			this.files.delete(p);
			return done();
		}
		if (!this.dirs.has(p)) return failed('ENOENT');
		if (!recursive) return failed('EISDIR');
		for (const k of [...this.files.keys()]) if (k.startsWith(`${p}/`)) this.files.delete(k);
		for (const k of [...this.dirs]) if (k === p || k.startsWith(`${p}/`)) this.dirs.delete(k);
		return done();
	}

	/** rmdir. */
	rmdir(path: string): FsResult {
		const p = normalise(path);
		if (!this.dirs.has(p)) return failed(this.files.has(p) ? 'ENOTDIR' : 'ENOENT');
		for (const k of [...this.files.keys(), ...this.dirs]) if (k.startsWith(`${p}/`)) return failed('ENOTEMPTY');
		this.dirs.delete(p);
		return done();
	}

	/** True when something exists at the path (a directory, a file, a live file that reads). */
	exists(path: string, ns: Netns): boolean {
		const r = this.readFile(path, ns);
		return r.ok || r.error !== 'ENOENT';
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

function readSysNet(rest: string, ns: Netns): FsResult<string> {
	const [dev, ...tail] = rest.split('/');
	const link = ns.links.find((l) => l.name === dev);
	if (!link) return failed('ENOENT');
	const file = tail.join('/');
	if (file === '') return failed('EISDIR');
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
	if (file === 'carrier') return link.adminUp ? done(`${link.carrier() ? 1 : 0}\n`) : failed('EINVAL');
	if (link.kind === 'bridge' && file.startsWith('bridge/')) {
		const b: Record<string, string> = { stp_state: link.stp ? '1' : '0', forward_delay: String(link.forwardDelay), hello_time: '200', max_age: '2000', ageing_time: '30000', priority: '32768', vlan_filtering: '0', multicast_snooping: '1' };
		const v = b[file.slice('bridge/'.length)];
		return v === undefined ? failed('ENOENT') : done(`${v}\n`);
	}
	const v = values[file];
	return v === undefined ? failed('ENOENT') : done(`${v}\n`);
}

/**
 * A host's files: a plain in-memory tree for /etc, /tmp, /run, /var…, and live views of
 * /proc/sys (the sysctls of the current namespace) and /sys/class/net (its devices). A process
 * in a mount namespace of its own (what `ip netns exec` runs) sees the same tree through its
 * bind mounts: `view`.
 */
import { formatMac } from '../addr/mac.ts';
import { sysctlWrite } from '../kernel/sysctl.ts';
import type { Netns } from '../model/netns.ts';
import type { Context } from '../tool/types.ts';
import { PROC_NET_WHY, procNetFile } from './proc-net.ts';
import { procPidFile, procPidLink, procPidList } from './proc-pid.ts';
import type { Host } from '../model/world.ts';

/** Errors as the C library names them. */
type FsError = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES' | 'EINVAL' | 'ENOSPC' | 'EBUSY' | 'ENOSIM';

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
	EBUSY: 'Device or resource busy',
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

/**
 * The bind mounts of a mount namespace, in the order they were made: each mount point (the
 * path as the namespace names it) → the file or directory of the host's tree mounted there.
 */
export type Binds = ReadonlyMap<string, string>;

/** True when `path` is `dir` or lies under it. */
function under(path: string, dir: string): boolean {
	return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** The in-memory file tree of one host. */
export class Vfs {
	files = new Map<string, string>();
	/** When each file was last written, on the virtual clock (ms); files of a fresh host have 0. */
	mtimes = new Map<string, number>();
	dirs = new Set<string>(['/', '/etc', '/tmp', '/run', '/run/netns', '/var', '/var/lib', '/usr', '/usr/lib', '/usr/bin', '/usr/sbin', '/proc', '/sys', '/dev', '/root', '/home', '/bin', '/sbin']);
	/** When each entry was created (a counter): a directory lists its newest entry first, as tmpfs does. */
	private born = new Map<string, number>();
	/** The counter behind `born`, an object so that every view of the tree counts on the same one. */
	private births = { n: 0 };
	/** The bind mounts this view of the tree goes through (none: the host's own mount namespace). */
	private binds: Binds = new Map();

	/** The lab host whose files these are (its processes are its /proc), when the tree has one. */
	readonly hostName: string;

	constructor(hostname: string, hostName = hostname) {
		this.hostName = hostName;
		this.files.set('/etc/hostname', `${hostname}\n`);
		// As sandbox.sh writes a lab host's (its own name on 127.0.1.1, as Debian's installer does).
		this.files.set('/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
		this.files.set('/dev/null', '');
		// As sandbox.sh writes them on every target: the lab has no DNS, names come from /etc/hosts.
		this.files.set('/etc/resolv.conf', '# lab sandbox: no DNS\n');
		this.files.set('/etc/nsswitch.conf', ['passwd', 'group', 'shadow', 'hosts', 'networks', 'protocols', 'services', 'ethers', 'rpc', 'netgroup'].map((db) => `${db}: files\n`).join(''));
	}

	/**
	 * The same tree as a process sees it whose mount namespace has these bind mounts (the host's
	 * own files, shared: a write through the view changes them).
	 */
	view(binds: Binds | undefined): Vfs {
		if (binds === undefined || binds.size === 0) return this;
		const v = Object.create(Vfs.prototype) as Vfs;
		Object.assign(v, this, { binds });
		return v;
	}

	/**
	 * `mount --bind SOURCE TARGET` in this view's mount namespace: the namespace's bind mounts
	 * after it, or mount(2)'s error (either missing: ENOENT; a directory on a file or a file on a
	 * directory: ENOTDIR). Only plain files and directories of the tree are mounted.
	 */
	bind(source: string, target: string): FsResult<Binds> {
		const from = this.resolve(source);
		const onto = this.resolve(target);
		const kind = (p: string): 'dir' | 'file' | undefined => (this.dirs.has(p) ? 'dir' : this.files.has(p) ? 'file' : undefined);
		const a = kind(from);
		const b = kind(onto);
		if (a === undefined || b === undefined) return failed('ENOENT');
		if (a !== b) return failed('ENOTDIR');
		return done(new Map([...this.binds].filter(([t]) => t !== normalise(target)).concat([[normalise(target), from]])));
	}

	/** A directory's entries in the order readdir gives them (newest first, as on tmpfs), or its error. */
	readdir(path: string): FsResult<string[]> {
		const p = this.resolve(path);
		if (!this.dirs.has(p)) return failed(this.files.has(p) ? 'ENOTDIR' : 'ENOENT');
		const names = this.children(p);
		const age = (name: string): number => this.born.get(`${p === '/' ? '' : p}/${name}`) ?? 0;
		return done([...names].sort((x, y) => age(y) - age(x)));
	}

	/** The path in the host's tree that `path` names in this view (through its bind mounts). */
	private resolve(path: string): string {
		const p = normalise(path);
		let best: string | undefined;
		for (const t of this.binds.keys()) if (under(p, t) && (best === undefined || t.length > best.length)) best = t;
		if (best === undefined) return p;
		const source = this.binds.get(best) as string;
		return p === best ? source : `${source}${p.slice(best.length)}`;
	}

	/** True when `path` (as this view names it) is a mount point, or, for a `tree`, holds one: it cannot be removed. */
	private busy(path: string, tree: boolean): boolean {
		for (const t of this.binds.keys()) if (t === path || (tree && under(t, path))) return true;
		return false;
	}

	/** Names directly under a directory of the tree. */
	private children(p: string): Set<string> {
		const prefix = p === '/' ? '/' : `${p}/`;
		const names = new Set<string>();
		for (const k of [...this.files.keys(), ...this.dirs]) {
			if (k.startsWith(prefix) && k !== p) {
				const rest = k.slice(prefix.length);
				if (rest && !rest.includes('/')) names.add(rest);
			}
		}
		return names;
	}

	/** Notes when an entry of the tree came to be. */
	private created(p: string): void {
		this.born.set(p, ++this.births.n);
	}

	/** Reads a file; live files come from the namespace. */
	readFile(path: string, ns: Netns): FsResult<string> {
		const p = this.resolve(path);
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
		const procHost = this.procHost(ns);
		const pid = procHost && procPidFile(procHost, ns, p);
		if (pid) return pid.ok ? done(pid.value) : failed(pid.error);
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
		const p = this.resolve(path);
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
		if (!this.files.has(p)) this.created(p);
		this.files.set(p, next);
		this.mtimes.set(p, ns.world.now);
		return done();
	}

	/** When a file was last written, on the virtual clock (ms). */
	mtime(path: string): number {
		return this.mtimes.get(this.resolve(path)) ?? 0;
	}

	/** Lists a directory's entries (names, sorted as ls does in the C locale); a file lists itself. */
	list(path: string, ns: Netns): FsResult<string[]> {
		const p = this.resolve(path);
		if (p === '/sys/class/net') return done(ns.links.map((l) => l.name).sort());
		// /proc/net lists far more than the simulator prints; its two files list themselves.
		if (p === '/proc/net' || p === '/proc/self/net') return failed('ENOSIM');
		if (p.startsWith('/proc/net/') || p.startsWith('/proc/self/net/')) {
			return procNetFile(p.slice(p.indexOf('/net/') + 5), ns) === undefined ? failed('ENOSIM') : done([p.split('/').pop() as string]);
		}
		const host = this.procHost(ns);
		const pidDir = host && procPidList(host, ns, p);
		if (pidDir) return done(pidDir);
		if (!this.dirs.has(p)) return this.files.has(p) ? done([normalise(path).split('/').pop() as string]) : failed('ENOENT');
		return done([...this.children(p)].sort());
	}

	/** readlink(2): a symbolic link's target; /proc/PID/ns's links name namespaces (`net:[N]`). */
	readlink(path: string, ns: Netns): FsResult<string> {
		const p = this.resolve(path);
		const host = this.procHost(ns);
		const link = host && procPidLink(host, ns, p);
		if (link) return done(link);
		return this.exists(p, ns) ? failed('EINVAL') : failed('ENOENT');
	}

	/** The host whose processes this tree's /proc shows (none for a tree of no host). */
	private procHost(ns: Netns): Host | undefined {
		return ns.world.hosts.get(this.hostName);
	}

	/** True when the path is a directory. */
	isDir(path: string): boolean {
		return this.dirs.has(this.resolve(path));
	}

	/** mkdir; with `parents`, creates the chain and ignores existing ones. */
	mkdir(path: string, parents: boolean): FsResult {
		const p = this.resolve(path);
		if (this.dirs.has(p)) return parents ? done() : failed('EEXIST');
		if (this.files.has(p)) return failed('EEXIST');
		if (!this.dirs.has(parent(p))) {
			if (!parents) return failed('ENOENT');
			const made = this.mkdir(parent(p), true);
			if (!made.ok) return made;
		}
		this.dirs.add(p);
		this.created(p);
		return done();
	}

	/** Removes a file, or a tree with `recursive`. */
	remove(path: string, recursive: boolean): FsResult {
		const p = this.resolve(path);
		if (this.files.has(p)) {
			if (this.busy(normalise(path), false)) return failed('EBUSY');
			this.files.delete(p);
			this.born.delete(p);
			return done();
		}
		if (!this.dirs.has(p)) return failed('ENOENT');
		if (!recursive) return failed('EISDIR');
		if (this.busy(normalise(path), true)) return failed('EBUSY');
		for (const k of [...this.files.keys()]) if (k.startsWith(`${p}/`)) this.files.delete(k);
		for (const k of [...this.dirs]) if (k === p || k.startsWith(`${p}/`)) this.dirs.delete(k);
		for (const k of [...this.born.keys()]) if (under(k, p)) this.born.delete(k);
		return done();
	}

	/** rmdir. */
	rmdir(path: string): FsResult {
		const p = this.resolve(path);
		if (!this.dirs.has(p)) return failed(this.files.has(p) ? 'ENOTDIR' : 'ENOENT');
		for (const k of [...this.files.keys(), ...this.dirs]) if (k.startsWith(`${p}/`)) return failed('ENOTEMPTY');
		if (this.busy(normalise(path), false)) return failed('EBUSY');
		this.dirs.delete(p);
		this.born.delete(p);
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

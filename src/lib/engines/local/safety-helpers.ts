// Helpers for the sandbox safety tests: what the real machine's network looks like, which
// processes descend from a process, fixture books in a temp dir. Linux only; test code only.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABS_DIR, ROOT } from '../../book/paths.ts';

function sh(cmd: string, args: string[]): string {
	const r = spawnSync(cmd, args, { encoding: 'utf8' });
	return `${r.stdout ?? ''}${r.stderr ?? ''}(exit ${r.status})`;
}

function readTree(dir: string, skip: RegExp): string[] {
	const out: string[] = [];
	let names: string[];
	try {
		names = readdirSync(dir).sort();
	} catch {
		return out;
	}
	for (const name of names) {
		const path = join(dir, name);
		if (skip.test(path)) continue;
		try {
			out.push(`${path}=${readFileSync(path, 'utf8').trim()}`);
		} catch {
			out.push(...readTree(path, skip));
		}
	}
	return out;
}

/**
 * The real machine's network as text, section by section: interfaces, addresses, routes and
 * rules, the netns list, sysctls under /proc/sys/net that a lesson could touch, the firewall
 * (iptables, ip6tables, nft) and the mount table. Lifetimes and timestamps are left out.
 */
export function machineNetwork(): Record<string, string> {
	return {
		links: sh('ip', ['-d', 'link', 'show']),
		addresses: sh('ip', ['addr', 'show']).replace(/^\s+valid_lft.*\n/gm, ''),
		routes: sh('ip', ['route', 'show', 'table', 'all']),
		routes6: sh('ip', ['-6', 'route', 'show', 'table', 'all']).replace(/ expires \d+sec/g, ''),
		rules: sh('ip', ['rule']) + sh('ip', ['-6', 'rule']),
		neighbourProxies: sh('ip', ['neigh', 'show', 'proxy']),
		netns: sh('ip', ['netns', 'list']),
		sysctls: [
			...readTree('/proc/sys/net/ipv4/conf', /\/(stable_secret)$/),
			...readTree('/proc/sys/net/ipv6/conf', /\/(stable_secret)$/),
			...readTree('/proc/sys/net/bridge', /^$/),
			...['ipv4/ip_forward', 'ipv4/ip_local_port_range', 'ipv4/ping_group_range', 'core/devconf_inherit_init_net'].map((f) => {
				try {
					return `/proc/sys/net/${f}=${readFileSync(`/proc/sys/net/${f}`, 'utf8').trim()}`;
				} catch {
					return `/proc/sys/net/${f} absent`;
				}
			}),
		].join('\n'),
		iptables: sh('iptables-save', []).replace(/^#.*\n/gm, ''),
		ip6tables: sh('ip6tables-save', []).replace(/^#.*\n/gm, ''),
		nft: sh('nft', ['list', 'ruleset']),
		mounts: readFileSync('/proc/self/mountinfo', 'utf8'),
	};
}

/** A process as /proc shows it. */
export interface Proc {
	pid: number;
	ppid: number;
	/** Start time in clock ticks since boot: with the pid, it names one process for good. */
	start: string;
	comm: string;
}

/** Every process now. */
export function processes(): Proc[] {
	const out: Proc[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const close = stat.lastIndexOf(')');
			const fields = stat.slice(close + 2).split(' ');
			out.push({ pid: Number(name), ppid: Number(fields[1]), start: fields[19] ?? '', comm: stat.slice(stat.indexOf('(') + 1, close) });
		} catch {
			// gone meanwhile
		}
	}
	return out;
}

/** Processes descending from `root` (not including it). */
export function descendants(root: number, all = processes()): Proc[] {
	const found: Proc[] = [];
	const parents = new Set([root]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const p of all)
			if (parents.has(p.ppid) && !parents.has(p.pid)) {
				parents.add(p.pid);
				found.push(p);
				grew = true;
			}
	}
	return found;
}

/** Namespace links (`net:[4026532…]`) of a process, or [] when it is gone. */
export function namespacesOf(pid: number): string[] {
	const out: string[] = [];
	for (const kind of ['net', 'mnt', 'pid', 'pid_for_children', 'uts', 'ipc'])
		try {
			out.push(readlinkSync(`/proc/${pid}/ns/${kind}`));
		} catch {
			// gone or no such kind
		}
	return out;
}

/** Namespaces referenced by any process now, with the processes holding them. */
export function namespacesInUse(): Map<string, Proc[]> {
	const map = new Map<string, Proc[]>();
	for (const p of processes()) for (const ns of namespacesOf(p.pid)) map.set(ns, [...(map.get(ns) ?? []), p]);
	return map;
}

/**
 * Writes a tiny book in a fresh temp dir: chapters (name → MDX), the repository's labs, an empty
 * snapshots folder. Readable by everyone (the not-root test runs as nobody).
 */
export function fixtureBook(chapters: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'netbook-fixture-'));
	chmodSync(root, 0o755);
	for (const dir of ['content/chapters', 'content/snapshots', LABS_DIR]) mkdirSync(join(root, dir), { recursive: true });
	for (const f of readdirSync(join(ROOT, LABS_DIR))) copyFileSync(join(ROOT, LABS_DIR, f), join(root, LABS_DIR, f));
	for (const [name, text] of Object.entries(chapters)) writeFileSync(join(root, 'content/chapters', `${name}.mdx`), text);
	return root;
}

/** A chapter source: frontmatter with the lab, then the given blocks as `sh` fences. */
export function chapterSource(lab: string, blocks: { meta?: string; commands: string[] }[]): string {
	const body = blocks.map((b) => `Some prose.\n\n\`\`\`sh${b.meta ? ` ${b.meta}` : ''}\n${b.commands.join('\n')}\n\`\`\`\n`).join('\n');
	return `---\ntitle: Fixture\ndescription: A test chapter.\nlab: ${lab}\n---\n\n${body}`;
}

/**
 * The network simulator: a model of the Linux network stack and its tools, driven by the same
 * lab definitions and command lines as the real-kernel engine. Browser-safe: no `node:` imports.
 */
import { bridge } from './cmd/bridge.ts';
import { conntrack } from './cmd/conntrack.ts';
import { coreutils } from './cmd/coreutils/index.ts';
import { ipTool } from './cmd/ip/index.ts';
import { withIpv6Scope } from './cmd/ip/ipv6-scope.ts';
import { netTools } from './cmd/net-tools/index.ts';
import { nstat } from './cmd/nstat.ts';
import { cniToolsLoading, installCniPlugins } from './cmd/cni/files.ts';
import type { SimProgram } from './cmd/program.ts';
import { iptables } from './cmd/iptables/index.ts';
import { pingTool } from './cmd/ping/index.ts';
import { withoutIpv6 } from './cmd/ping/ipv6.ts';
import { sessionTools } from './cmd/session.ts';
import { sysctl } from './cmd/sysctl.ts';
import type { Context, ExecResult, Tool } from './tool/types.ts';
import { Stack } from './engine/stack.ts';
import { buildLab, type LabDefinition } from './sandbox/build.ts';
import type { Host } from './model/world.ts';
import { World } from './model/world.ts';
import { Shell, type RunLine, type ShellState } from './shell/exec.ts';
import { Vfs, type VfsOf } from './shell/vfs.ts';
import type { LabState, NetnsState } from '../shared/lab-state.ts';
import type { SimProfile } from './profile/profile.ts';

export type { ExecResult } from './tool/types.ts';
export type { SimFiles, SimProcess, SimProgram } from './cmd/program.ts';
export type { LabDefinition } from './sandbox/build.ts';

export type { LabState, NetnsState } from '../shared/lab-state.ts';
export { DEFAULT_PROFILE, profileFor, type SimProfile } from './profile/profile.ts';

/** A running simulated lab. */
export interface SimLab {
	/**
	 * Runs one command line on a host. Never throws on user input. `options.stdin` is what the
	 * line reads on its standard input (default: nothing), as `bash -c LINE < FILE` would.
	 */
	exec(host: string, line: string, options?: ExecOptions): ExecResult;
	/** The `ip -j` state of every namespace, as the kernel engine captures it. */
	state(): LabState;
	/** Names of the lab's hosts, in definition order. */
	hosts(): string[];
	/** The virtual clock, in milliseconds. */
	now(): number;
}

/** Options of one `exec`. */
export interface ExecOptions {
	/** The line's standard input (default: empty, as from /dev/null). */
	stdin?: string | undefined;
}

/** Options for createLab. */
export interface LabOptions {
	/** Seed of the MAC generator (default: derived from the lab name). */
	seed?: number | undefined;
	/**
	 * Lines come from a reader at an interactive shell (the in-page terminal) rather than from
	 * `bash -c` as in the book's recordings (default): errors name no line (`bash: foo: command not
	 * found`), a shell or `ping` that would wait for input or Ctrl-C says what it did instead.
	 */
	interactive?: boolean | undefined;
	/**
	 * The machine to imitate (default: the book's own, Debian 12 in the sandbox): the tools print
	 * as its versions print, its lab uplinks are veths or NICs. See `profileFor`.
	 */
	profile?: SimProfile | undefined;
	/**
	 * Programs from outside the simulator that every host has as executable files, run by their
	 * path (the book's own CNI plugin, see src/lib/simprograms): their code, the lab's tools.
	 */
	programs?: readonly SimProgram[] | undefined;
}

/** jq's factory: its module (a third of the simulator's code) is loaded only when a line runs jq. */
let jqFactory: typeof import('./cmd/jq/index.ts').jq | undefined;
/** The CNI plugins' factory: loaded only when a line names CNI (chapters 9 and later). */
let cniFactory: typeof import('./cmd/cni/index.ts').cniTools | undefined;
/** tcpdump: loaded only when a line runs it. */
let tcpdumpTool: Tool | undefined;
/** util-linux's namespace tools (unshare, nsenter, setpriv, lsns): loaded only when a line runs one. */
let utilLinuxFactory: typeof import('./cmd/util-linux/index.ts').utilLinux | undefined;
/** net-tools' `arp`, `route` and `netstat`: loaded only when a line runs one. */
let legacyNetToolsFactory: typeof import('./cmd/net-tools/legacy.ts').legacyNetTools | undefined;

const loadJq = async (): Promise<void> => {
	jqFactory ??= (await import('./cmd/jq/index.ts')).jq;
};
const loadCni = async (): Promise<void> => {
	cniFactory ??= (await import('./cmd/cni/index.ts')).cniTools;
};
const loadTcpdump = async (): Promise<void> => {
	tcpdumpTool ??= (await import('./cmd/tcpdump/index.ts')).tcpdump();
};
const loadUtilLinux = async (): Promise<void> => {
	utilLinuxFactory ??= (await import('./cmd/util-linux/index.ts')).utilLinux;
};
/**
 * Running programs from outside the simulator (cmd/program.ts): loaded when a lab has some. A
 * page that creates a lab with programs calls it first (the terminal does, for chapter 15).
 */
let programSupport: typeof import('./cmd/program.ts') | undefined;
export async function loadProgramSupport(): Promise<void> {
	programSupport ??= await import('./cmd/program.ts');
}
const loadLegacyNetTools = async (): Promise<void> => {
	legacyNetToolsFactory ??= (await import('./cmd/net-tools/legacy.ts')).legacyNetTools;
};

/** The util-linux tools that load on demand. */
const UTIL_LINUX = ['unshare', 'nsenter', 'setpriv', 'lsns'] as const;
/** net-tools' listings that load on demand (the names `cmd/net-tools/legacy.ts` answers to). */
const LEGACY_NET_TOOLS = ['arp', 'route', 'netstat'] as const;

/**
 * Loads the modules of the tools `line` runs that load on demand (jq, tcpdump, and the CNI
 * plugins, which are run by their path under /usr/lib/cni with CNI_* variables). The page calls it before `exec`
 * (so opening the terminal on chapter 1 downloads neither); outside a page it has already
 * happened when this module loaded, so `exec` stays synchronous for the CLI, verify and tests.
 */
export async function prepare(line: string): Promise<void> {
	if (/(^|[^\w./-])jq\b/.test(line)) await loadJq();
	if (/cni/i.test(line)) await loadCni();
	if (/(^|[^\w./-])tcpdump\b/.test(line)) await loadTcpdump();
	if (/(^|[^\w./-])(unshare|nsenter|setpriv|lsns)\b/.test(line)) await loadUtilLinux();
	if (/(^|[^\w./-])(arp|route|netstat)\b/.test(line)) await loadLegacyNetTools();
}

// Outside a page nothing waits for a download: load the on-demand tools at once.
if (typeof document === 'undefined') await Promise.all([loadJq(), loadCni(), loadTcpdump(), loadUtilLinux(), loadLegacyNetTools(), loadProgramSupport()]);

/** Virtual time one command takes (the kernel engine measured ~10-15 ms). */
const COMMAND_MS = 10;

function hash(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
	return h;
}


/** Tools whose module loads on demand: each name answers once `tools()` has them (after `prepare`). */
function loadedOnDemand(names: readonly string[], tools: () => Record<string, Tool> | undefined): Record<string, Tool> {
	return Object.fromEntries(
		names.map((name): [string, Tool] => [name, (argv, ctx) => {
			const tool = tools()?.[name];
			return tool ? tool(argv, ctx) : { stdout: '', stderr: `netsim: ${name} is still loading; run the command again\n`, exit: 1 };
		}]),
	);
}

/** The tools of a lab, by the name (or path) a command line calls them with. */
function toolTable(vfsOf: VfsOf, runLine: RunLine, programs: readonly SimProgram[] = []): Record<string, Tool> {
	let jqTool: Tool | undefined;
	let utilLinuxTools: Record<string, Tool> | undefined;
	let legacyTools: Record<string, Tool> | undefined;
	return {
		...coreutils(vfsOf, runLine),
		...netTools(vfsOf),
		...cniToolsLoading(vfsOf, () => cniFactory),
		...sessionTools(vfsOf),
		jq: (argv, ctx) => {
			jqTool ??= jqFactory?.(vfsOf);
			return jqTool ? jqTool(argv, ctx) : { stdout: '', stderr: 'netsim: jq is still loading; run the command again\n', exit: 1 };
		},
		ip: withIpv6Scope(ipTool(vfsOf)),
		ping: withoutIpv6(pingTool(vfsOf)),
		bridge,
		iptables,
		'iptables-nft': iptables,
		sysctl,
		conntrack,
		nstat: nstat(vfsOf),
		tcpdump: (argv, ctx) => (tcpdumpTool ? tcpdumpTool(argv, ctx) : { stdout: '', stderr: 'netsim: tcpdump is still loading; run the command again\n', exit: 1 }),
		...loadedOnDemand(UTIL_LINUX, () => (utilLinuxTools ??= utilLinuxFactory?.(vfsOf))),
		...loadedOnDemand(LEGACY_NET_TOOLS, () => (legacyTools ??= legacyNetToolsFactory?.(vfsOf))),
		...Object.fromEntries(
			programs.map((p): [string, Tool] => [p.path, (argv, ctx) => (programSupport ? programSupport.programTool(p, vfsOf)(argv, ctx) : { stdout: '', stderr: `netsim: ${p.path} is still loading; run the command again\n`, exit: 1 })]),
		),
	};
}

/** Names (and, for the CNI plugins, paths) of the commands the simulator runs, sorted. */
export function toolNames(): string[] {
	const none = (): ExecResult => ({ stdout: '', stderr: '', exit: 0 });
	return Object.keys(toolTable(() => new Vfs(''), none)).sort();
}

/** Builds a lab and returns its handle. */
export function createLab(definition: LabDefinition, options: LabOptions = {}): SimLab {
	const world = new World(options.seed ?? hash(definition.name), options.profile);
	buildLab(world, definition);
	world.linkwatchSettle();
	const stack = new Stack(world);
	const shells = new Map<string, Shell>();

	const runLine = (ctx: Context, line: string, argv0: string): ExecResult => {
		const shell = shells.get(ctx.host.name) as Shell;
		const sub = new Shell(shell.state, registry, argv0);
		return sub.runLine(ctx, line);
	};
	const vfsOf = (ctx: Context): Vfs => (shells.get(ctx.host.name) as Shell).state.vfs.view(ctx.binds);
	const programs = options.programs ?? [];
	const tools = toolTable(vfsOf, runLine, programs);
	const ip = ipTool(vfsOf);
	const registry = (name: string): Tool | undefined => (Object.prototype.hasOwnProperty.call(tools, name) ? tools[name] : undefined);

	for (const host of world.hosts.values()) {
		const vfs = new Vfs(host.hostname, host.name);
		installCniPlugins(vfs);
		// A program's file, as a package would install it (its code runs through the tool table).
		for (const p of programs) {
			vfs.mkdir(p.path.slice(0, p.path.lastIndexOf('/')) || '/', true);
			vfs.install(p.path, p.text);
		}
		const state: ShellState = { vfs, vars: {}, lastStatus: 0, lastBgPid: 0, nextPid: 4000 };
		shells.set(host.name, new Shell(state, registry, 'bash', options.interactive ?? false));
	}

	const context = (host: Host): Context => ({
		world,
		stack,
		host,
		ns: host.root,
		stdin: '',
		env: {},
		run: (ctx, argv) => (shells.get(ctx.host.name) as Shell).dispatch(ctx, argv),
		interactive: options.interactive ?? false,
	});

	const exec = (hostName: string, line: string, options: ExecOptions = {}): ExecResult => {
		const host = world.hosts.get(hostName);
		if (!host) return { stdout: '', stderr: `netsim: no host "${hostName}" in this lab\n`, exit: 255 };
		world.advance(world.now + COMMAND_MS);
		try {
			return (shells.get(hostName) as Shell).runLine({ ...context(host), stdin: options.stdin ?? '' }, line);
		} catch (e) {
			// A bug in the simulator must not crash the page; report it like a crashed tool.
			const msg = e instanceof Error ? e.message : String(e);
			return { stdout: '', stderr: `netsim: internal error: ${msg}\n`, exit: 134 };
		}
	};

	const capture = (host: Host, nsName: string): NetnsState => {
		const prefix = nsName ? ['-n', nsName] : [];
		const get = (obj: string): unknown[] => {
			const r = ip(['-j', ...prefix, obj, 'show'], context(host));
			try {
				return JSON.parse(r.stdout || '[]') as unknown[];
			} catch {
				return [];
			}
		};
		return { link: get('link'), addr: get('addr'), route: get('route'), neigh: get('neigh') };
	};

	return {
		exec,
		state() {
			const out: LabState = {};
			for (const host of world.hosts.values()) {
				const per: Record<string, NetnsState> = { '': capture(host, '') };
				// The kernel engine lists a host's namespaces sorted by name.
				for (const name of [...host.named.keys()].sort()) per[name] = capture(host, name);
				out[host.name] = per;
			}
			return out;
		},
		hosts: () => [...world.hosts.keys()],
		now: () => world.now,
	};
}

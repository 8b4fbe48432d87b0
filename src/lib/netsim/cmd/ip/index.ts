/** The `ip` tool: global options, `-n NETNS`, and object dispatch with abbreviations (ip.c). */
import { prettyJson } from '../../print/printer.ts';
import { USAGE_IP } from '../usage.ts';
import { matches } from '../args.ts';
import { defineTool, ToolExit } from '../../tool/exit.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import { netAdmin } from '../../kernel/process.ts';
import type { Context, ExecResult, Tool } from '../../tool/types.ts';
import { ipAddr } from './addr.ts';
import { forVersion } from './errors.ts';
import type { IpCtx, IpOpts, IpOut } from './common.ts';
import { ipLink } from './link.ts';
import { ipNeigh } from './neigh.ts';
import { ipNetns, netnsSwitch } from './netns.ts';
import { ipRoute } from './route.ts';
import { ipRule } from './rule.ts';

type Handler = (ic: IpCtx, argv: string[]) => IpOut | ExecResult;

/** Objects in ip.c's table order: the first prefix match wins (`ip n` is neighbour). */
const OBJECTS: [string, Handler | undefined][] = [
	['address', ipAddr],
	['addrlabel', undefined],
	['maddress', undefined],
	['route', ipRoute],
	['rule', ipRule],
	['neighbor', ipNeigh],
	['neighbour', ipNeigh],
	['ntable', undefined],
	['ntbl', undefined],
	['link', ipLink],
	['l2tp', undefined],
	['fou', undefined],
	['ila', undefined],
	['macsec', undefined],
	['tunnel', undefined],
	['tuntap', undefined],
	['tap', undefined],
	['token', undefined],
	['tcpmetrics', undefined],
	['tcp_metrics', undefined],
	['monitor', undefined],
	['xfrm', undefined],
	['mroute', undefined],
	['mrule', undefined],
	['netns', ipNetns],
	['netconf', undefined],
	['vrf', undefined],
	['sr', undefined],
	['nexthop', undefined],
	['mptcp', undefined],
	['ioam', undefined],
	['stats', undefined],
	['help', undefined],
];

const USAGE = USAGE_IP;

/**
 * The `ip` tool, for a host file system accessor (`-n` and `netns exec` bind /etc/netns/NAME's
 * files over /etc). It runs `ip ARGS…` in a context, its errors worded as the iproute2 imitated
 * words them.
 */
export function ipTool(vfsOf: VfsOf): Tool {
	const runIp = defineTool((argv, ctx) => run(argv, ctx, vfsOf));
	return (argv, ctx) => {
		const r = runIp(argv, ctx);
		return r.exit === 0 ? r : { ...r, stderr: forVersion(r.stderr, ctx.world.profile.iproute2) };
	};
}

/** Runs `ip`: what `-n NAME` printed as it bound /etc/netns/NAME comes before anything else ip says. */
function run(argv: string[], ctx: Context, vfsOf: VfsOf): ExecResult {
	const said = { stderr: '' };
	try {
		const r = runArgs(argv, ctx, vfsOf, said);
		return said.stderr ? { ...r, stderr: said.stderr + r.stderr } : r;
	} catch (e) {
		if (e instanceof ToolExit && said.stderr) throw new ToolExit(e.exit, said.stderr + e.stderr, e.stdout);
		throw e;
	}
}

/** Verbs that send the kernel a request to change something (RTM_NEW*, RTM_DEL*). */
const CHANGES = ['add', 'delete', 'set', 'change', 'replace', 'flush', 'append', 'prepend', 'attach'];

/**
 * rtnetlink refuses every request but a dump without CAP_NET_ADMIN over the namespace (EPERM):
 * an unprivileged user's `ip link add`, or a user namespace's root in the host's namespace.
 * `ip netns` changes files in /run as well, which the simulator does not model for other users.
 */
function unprivileged(ctx: Context, object: string, verb: string | undefined): void {
	if (verb === undefined || !CHANGES.some((v) => matches(verb, v))) return;
	// /run/netns is root's: even the root of a user namespace of its own cannot write there.
	if (object === 'netns' && ctx.cred !== undefined && ctx.cred.uid === 0 && ctx.cred.userns === undefined) return;
	if (object !== 'netns' && netAdmin(ctx.cred, ctx.ns)) return;
	if (object === 'netns') throw new ToolExit(1, `ip netns ${verb}: as a user other than root, not available in this simulator (run it as root)\n`);
	throw new ToolExit(2, 'RTNETLINK answers: Operation not permitted\n');
}

function runArgs(argv: string[], given: Context, vfsOf: VfsOf, said: { stderr: string }): ExecResult {
	const opts: IpOpts = { json: false, pretty: false, brief: false, details: false, stats: 0, oneline: false };
	let ctx = given;
	let i = 0;
	for (; i < argv.length; i++) {
		let opt = argv[i] as string;
		if (!opt.startsWith('-')) break;
		if (opt.startsWith('--')) opt = opt.slice(1);
		const need = (): string => {
			const v = argv[++i];
			if (v === undefined) throw new ToolExit(255, USAGE);
			return v;
		};
		if (matches(opt, '-loops')) need();
		else if (matches(opt, '-family')) {
			const f = need();
			if (f === 'inet') opts.family = 4;
			else if (f === 'inet6') opts.family = 6;
			else if (f === 'link') opts.family = 'link';
			else if (f !== 'bridge' && f !== 'mpls' && f !== 'help') throw new ToolExit(255, `Error: argument "${f}" is wrong: invalid protocol family\n`);
		} else if (opt === '-4') opts.family = 4;
		else if (opt === '-6') opts.family = 6;
		else if (opt === '-0') opts.family = 'link';
		else if (opt === '-M' || opt === '-B') continue;
		else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++;
		else if (matches(opt, '-details')) opts.details = true;
		else if (matches(opt, '-resolve') || matches(opt, '-timestamp') || matches(opt, '-tshort') || matches(opt, '-force') || matches(opt, '-all') || matches(opt, '-iec') || matches(opt, '-human-readable') || matches(opt, '-human')) continue;
		else if (matches(opt, '-oneline')) opts.oneline = true;
		else if (matches(opt, '-Numeric')) opts.numeric = true;
		else if (matches(opt, '-batch') && argv[i + 1] === undefined) throw new ToolExit(255, USAGE);
		else if (matches(opt, '-batch')) throw new ToolExit(1, 'Cannot open file "-" for reading: Bad file descriptor\n');
		else if (matches(opt, '-rcvbuf')) need();
		else if (matches(opt.split('=')[0], '-color')) continue;
		else if (matches(opt, '-help')) throw new ToolExit(255, USAGE);
		else if (matches(opt, '-netns')) {
			if (argv[i + 1] === undefined) throw new ToolExit(255, 'Cannot open network namespace "(null)": No such file or directory\n');
			const switched = netnsSwitch(ctx, vfsOf(ctx), need());
			ctx = switched.ctx;
			said.stderr += switched.stderr;
		} else if (matches(opt, '-json')) opts.json = true;
		else if (matches(opt, '-pretty')) opts.pretty = true;
		else if (matches(opt, '-brief')) opts.brief = true;
		else if (matches(opt, '-Version')) return { stdout: 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n', stderr: '', exit: 0 };
		else throw new ToolExit(255, `Option "${argv[i]}" is unknown, try "ip -help".\n`);
	}
	const obj = argv[i];
	if (obj === undefined) throw new ToolExit(255, USAGE);
	const hit = OBJECTS.find(([name]) => matches(obj, name));
	if (!hit) throw new ToolExit(1, `Object "${obj}" is unknown, try "ip help".\n`);
	const [name, handler] = hit;
	if (name === 'help') throw new ToolExit(255, USAGE);
	if (!handler) throw new ToolExit(255, `ip ${name}: not available in this simulator\n`);
	if (ctx.cred !== undefined) unprivileged(ctx, name, argv[i + 1]);
	const out = handler({ ctx, ns: ctx.ns, opts, vfs: vfsOf(ctx) }, argv.slice(i + 1));
	let stdout = out.stdout;
	if (opts.json && opts.pretty && stdout.startsWith('[')) {
		try {
			stdout = prettyJson(JSON.parse(stdout) as never) + '\n';
		} catch {
			// leave as is
		}
	}
	const trace = 'trace' in out ? out.trace : undefined;
	return trace ? { stdout, stderr: out.stderr ?? '', exit: out.exit ?? 0, trace } : { stdout, stderr: out.stderr ?? '', exit: out.exit ?? 0 };
}

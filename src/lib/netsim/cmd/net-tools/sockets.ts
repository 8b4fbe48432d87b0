/** What the servers started with `&` look like from outside: `ss -ltn` lists them, `kill PID` stops them. */
import { formatIpv4 } from '../../addr/ipv4.ts';
import { serviceName } from '../../model/services.ts';
import { padEnd, padStart } from '../../print/printer.ts';
import type { Tool } from '../../tool/types.ts';
import { procExit } from '../../kernel/process.ts';
import { atLeast } from '../../profile/profile.ts';

const SS_DECLINE =
	"ss: only ss -ltn (listening TCP sockets) is available in this simulator (connections, UDP, processes and the kernel's own sockets need the real kernel: run the chapter's script on a real Linux machine)\n";

/** ss: -l lists the listening TCP sockets of the namespace (-n: ports as numbers). */
export const ss: Tool = (argv, ctx) => {
	const flags = argv.filter((a) => a.startsWith('-')).join('');
	// Listening TCP sockets are what the model has; connections (TIME-WAIT included), UDP and
	// kernel sockets (VXLAN's, netlink's: `ss -l` and `ss` list every family) it does not keep, so
	// any listing but TCP's says so.
	if (/[^-ltn4]/.test(flags) || !flags.includes('t') || argv.some((a) => !a.startsWith('-'))) return { stdout: '', stderr: SS_DECLINE, exit: 1 };
	const numeric = flags.includes('n');
	const rows = ctx.stack.listeners.filter((l) => l.ns === ctx.ns);
	if (!flags.includes('l')) rows.length = 0;
	const local = rows.map((l) => [l.addr ? formatIpv4(l.addr) : '0.0.0.0', numeric ? String(l.port) : serviceName('tcp', l.port) ?? String(l.port)] as const);
	const aw = Math.max(13, ...local.map((x) => x[0].length));
	const pw = Math.max(4, ...local.map((x) => x[1].length));
	const sw = rows.length ? 6 : 5;
	// The Process column (empty without -p) is left out unless asked for since iproute2 6.8.
	const proc = !atLeast(ctx.world.profile.iproute2, 6, 8);
	let out = `${padEnd('State', sw)} ${padEnd('Recv-Q', 6)} ${padEnd('Send-Q', 6)} ${padStart('Local Address', aw)}:${padEnd('Port', pw)} ${padStart('Peer Address', 12)}:${padEnd('Port', 4)}${proc ? 'Process' : ''}\n`;
	for (const [addr, port] of local) out += `${padEnd('LISTEN', 6)} ${padEnd('0', 6)} ${padEnd('5', 6)} ${padStart(addr, aw)}:${padEnd(port, pw)} ${padStart('0.0.0.0', 12)}:${padEnd('*', 4)}${proc ? padEnd('', 7) : ''}\n`;
	return { stdout: out, stderr: '', exit: 0 };
};

/** kill PID…: stops the servers and the other processes (unshare --net sleep 600 &) of those process ids (bash's builtin words its errors). */
export const kill: Tool = (argv, ctx) => {
	const pids = argv.filter((a) => !a.startsWith('-'));
	if (pids.length === 0) return { stdout: '', stderr: 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n', exit: 2 };
	let stderr = '';
	let exit = 0;
	for (const p of pids) {
		const n = Number(p);
		const hit = ctx.stack.listeners.filter((l) => l.pid === n && /^\d+$/.test(p));
		const proc = /^\d+$/.test(p) ? ctx.host.procs.get(n) : undefined;
		if (proc) {
			// Its namespace goes with it, unless a name (ip netns attach) or another process holds it.
			procExit(ctx.world, ctx.host, proc);
			continue;
		}
		if (hit.length === 0) {
			const where = ctx.where ?? 'bash: line 1: ';
			stderr += /^\d+$/.test(p) ? `${where}kill: (${p}) - No such process\n` : `${where}kill: ${p}: arguments must be process or job IDs\n`;
			exit = 1;
			continue;
		}
		ctx.stack.listeners = ctx.stack.listeners.filter((l) => !hit.includes(l));
	}
	return { stdout: '', stderr, exit };
};

/** Tools about running things: sleep, timeout, sh and bash, xargs, true, false and `:`. */
import type { RunLine } from '../../shell/exec.ts';
import type { Tool } from '../../tool/types.ts';
import { procStart } from '../../kernel/process.ts';

/**
 * sleep: advances the virtual clock; started in the background (`sleep 600 &`, `unshare --net
 * sleep 600 &`) it is a process that stays for that long, holding its namespace, while the
 * shell goes on.
 */
export const sleep: Tool = (argv, ctx) => {
	const s = argv[0] === 'infinity' ? Infinity : Number(argv[0]);
	if (ctx.pid !== undefined && ctx.background && !Number.isNaN(s)) {
		procStart(ctx.world, ctx.host, ctx.pid, ['sleep', ...argv], ctx.ns, ctx.cred, s);
		return { stdout: '', stderr: '', exit: 0 };
	}
	if (argv[0] === undefined || Number.isNaN(s) || s === Infinity) return { stdout: '', stderr: argv[0] === undefined ? "sleep: missing operand\nTry 'sleep --help' for more information.\n" : `sleep: invalid time interval '${argv[0]}'\nTry 'sleep --help' for more information.\n`, exit: 1 };
	ctx.world.advance(ctx.world.now + s * 1000);
	return { stdout: '', stderr: '', exit: 0 };
};

/** A duration as timeout reads it (`5`, `0.5`, `2m`): milliseconds, or undefined. */
function duration(text: string): number | undefined {
	const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
	if (!m) return undefined;
	const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
	return Number(m[1]) * unit * 1000;
}

/**
 * timeout DURATION CMD: runs the command with a deadline on the virtual clock (loops stop there,
 * curl gives up by then); a command still running at the deadline ends with timeout's 124.
 */
export const timeout: Tool = (argv, ctx) => {
	const rest = argv.filter((a, i) => !(a.startsWith('-') && i === 0));
	if (rest.length < 2) return { stdout: '', stderr: "timeout: missing operand\nTry 'timeout --help' for more information.\n", exit: 125 };
	const ms = duration(rest[0] as string);
	// 0 means no limit, as for timeout itself.
	if (ms === undefined || ms === 0) return ctx.run(ctx, rest.slice(1));
	const deadline = Math.min(ctx.deadline ?? Infinity, ctx.world.now + ms);
	const r = ctx.run({ ...ctx, deadline }, rest.slice(1));
	return ctx.world.now >= deadline ? { ...r, exit: 124 } : r;
};

/** sh and bash: `-c LINE` runs a line in a subshell; with nothing to run, a reader's shell says it cannot wait for input. */
export function shellTool(name: string, runLine: RunLine): Tool {
	return (argv, ctx) => {
		if (argv[0] === '-c' && argv[1] !== undefined) return runLine(ctx, argv[1], 'sh');
		// At a reader's prompt a shell with nothing to read would wait for them; it cannot here.
		if (ctx.interactive && ctx.stdin === '' && argv.every((a) => a.startsWith('-'))) {
			const ns = [...ctx.host.named].find(([, n]) => n === ctx.ns)?.[0];
			const instead = ns ? `run each command as ip netns exec ${ns} CMD` : 'type the commands at this prompt';
			return { stdout: '', stderr: `${name}: an interactive shell is not available in this simulator (${instead})\n`, exit: 1 };
		}
		return { stdout: '', stderr: '', exit: 0 };
	};
}

/** xargs: -r; runs the command once with the words of stdin (exit 123 when it fails, 127 when missing). */
export const xargs: Tool = (argv, ctx) => {
	let i = 0;
	let noEmpty = false;
	for (; i < argv.length && (argv[i] as string).startsWith('-'); i++) if (argv[i] === '-r' || argv[i] === '--no-run-if-empty') noEmpty = true;
	const words = ctx.stdin.split(/\s+/).filter(Boolean);
	if (words.length === 0 && noEmpty) return { stdout: '', stderr: '', exit: 0 };
	const cmd = argv.slice(i);
	if (cmd.length === 0) cmd.push('echo');
	const r = ctx.run({ ...ctx, stdin: '' }, [...cmd, ...words]);
	return { ...r, exit: r.exit === 0 ? 0 : r.exit === 127 ? 127 : 123 };
};

/** Runs parsed command lines: expansion, redirections, pipes, lists, background jobs. */
import { notModelled } from './not-modelled.ts';
import type { Context, ExecResult, Job, Tool } from '../tool/types.ts';
import { ParseError, type Compound, type ListItem, type SimpleCommand, type Word } from './ast.ts';
import { parse } from './parse.ts';
import { fsMessage, type Vfs } from './vfs.ts';

/** Per-host shell state kept between lines. */
export interface ShellState {
	vfs: Vfs;
	vars: Record<string, string>;
	lastStatus: number;
	lastBgPid: number;
	nextPid: number;
	/** Background jobs whose output is still to come (tcpdump &), with where it goes. */
	jobs?: RunningJob[] | undefined;
	/** Shell functions defined so far (`NAME() { …; }`), kept between lines like variables. */
	funcs?: Record<string, ListItem[]>;
	/** The positional parameters `$1`… of the function running now (none at the prompt). */
	args?: string[] | undefined;
}

/** An output redirection of a simple command (`> FILE`, `2>> FILE`; fd 1 for `&>` twice). */
interface Redirection {
	fd: number;
	path: string;
	append: boolean;
}

/** A background job and the redirections it was started with. */
interface RunningJob {
	pid: number;
	job: Job;
	/** Sends its output where the command's redirections said (files, /dev/null, the terminal). */
	route: (stdout: string, stderr: string) => { stdout: string; stderr: string };
}

/** Runs a command line in a subshell named `argv0` (for `sh -c`), sharing the host's shell state. */
export type RunLine = (ctx: Context, line: string, argv0: string) => ExecResult;

/** Looks up a tool by name. */
type Registry = (name: string) => Tool | undefined;

/** What drainJobs returns when no job runs (most of the time). */
const NO_JOB_OUTPUT = { stdout: '', stderr: '', note: '' } as const;

/** Output kept per command: beyond it the rest is cut (a terminal would scroll it away). */
const MAX_OUTPUT = 1 << 20;

/** Tools that run as another user than root: ip checks capabilities, the others need none. */
const AS_USER = new Set(['ip', 'whoami', 'unshare', 'lsns', 'sh', 'bash', 'echo', 'printf', 'cat', 'ls', 'readlink', 'true', 'false', ':', 'sleep', 'grep', 'head', 'tail', 'wc', 'sort', 'uniq', 'hostname', 'uname', 'pwd']);

/** Splits on blanks, as unquoted expansion results are split. */
function fields(text: string): string[] {
	return text.split(/[ \t\n]+/).filter((x) => x !== '');
}

/** The shell: one per host. */
export class Shell {
	readonly state: ShellState;
	private readonly registry: Registry;
	/** Name used in error messages: `bash: line 1: …`. */
	private readonly argv0: string;
	/**
	 * A reader's shell (the in-page terminal) rather than `bash -c` (the book's recordings):
	 * interactive bash names no line in its errors (`bash: foo: command not found`).
	 */
	private readonly interactive: boolean;
	/** How this shell's errors begin: `bash: line 1: ` under `bash -c`, `bash: ` interactively. */
	readonly where: string;
	/** Functions running now, and calls made since the line began: a bound on recursion. */
	private depth = 0;
	private calls = 0;
	/** Set when a call went too deep: the rest of the line is abandoned. */
	private aborted = false;

	constructor(state: ShellState, registry: Registry, argv0 = 'bash', interactive = false) {
		this.state = state;
		this.registry = registry;
		this.argv0 = argv0;
		this.interactive = interactive;
		this.where = interactive ? `${argv0}: ` : `${argv0}: line 1: `;
	}

	/** The host's files as the command in `ctx` sees them (through its mount namespace's bind mounts). */
	private files(ctx: Context): Vfs {
		return this.state.vfs.view(ctx.binds);
	}

	/** Runs a whole line (may contain several commands). */
	runLine(ctx: Context, line: string): ExecResult {
		if (this.depth === 0) {
			this.calls = 0;
			this.aborted = false;
		}
		const r = this.runLineUncapped(ctx, line);
		if (r.stdout.length > MAX_OUTPUT) r.stdout = r.stdout.slice(0, MAX_OUTPUT);
		if (r.stderr.length > MAX_OUTPUT) r.stderr = r.stderr.slice(0, MAX_OUTPUT);
		return r;
	}

	private runLineUncapped(ctx: Context, line: string): ExecResult {
		let items: ListItem[];
		try {
			items = parse(line);
		} catch (e) {
			if (!(e instanceof ParseError)) throw e;
			if (this.interactive) return { stdout: '', stderr: `${this.argv0}: ${e.message}\n`, exit: 2 };
			// bash -c quotes the line it could not parse after an unexpected token.
			const quote = e.message.startsWith('syntax error near') ? `${this.argv0}: -c: line 1: \`${line}'\n` : '';
			return { stdout: '', stderr: `${this.argv0}: -c: line 1: ${e.message}\n${quote}`, exit: 2 };
		}
		return this.runList(ctx, items);
	}

	/** Runs a parsed list. */
	runList(ctx: Context, items: ListItem[]): ExecResult {
		let stdout = '';
		let stderr = '';
		let status = 0;
		let trace: ExecResult['trace'];
		let note = '';
		let skip: '&&' | '||' | undefined;
		for (const item of items) {
			if (this.aborted) {
				status = 1;
				break;
			}
			const runIt = skip === undefined || (skip === '&&' && status === 0) || (skip === '||' && status !== 0);
			if (runIt) {
				if (item.op === '&') {
					// A background job: the simulated servers register and return at once.
					const pid = this.state.nextPid++;
					this.state.lastBgPid = pid;
					const r = this.runPipeline({ ...ctx, pid, background: () => undefined }, item.pipeline.commands, item.pipeline.negate);
					stdout += r.stdout;
					stderr += r.stderr;
					if (r.note) note += note ? `\n${r.note}` : r.note;
					status = 0;
				} else {
					const r = this.runPipeline(ctx, item.pipeline.commands, item.pipeline.negate);
					stdout += r.stdout;
					stderr += r.stderr;
					status = r.exit;
					if (r.trace) trace = r.trace;
					if (r.note) note += note ? `\n${r.note}` : r.note;
				}
				this.state.lastStatus = status;
				// What background jobs printed meanwhile (a capture's packets) follows the command.
				const bg = this.drainJobs();
				stdout += bg.stdout;
				stderr += bg.stderr;
				if (bg.note) note += note ? `\n${bg.note}` : bg.note;
			}
			skip = item.op === '&&' || item.op === '||' ? item.op : undefined;
		}
		const result: ExecResult = trace ? { stdout, stderr, exit: status, trace } : { stdout, stderr, exit: status };
		if (note) result.note = note;
		return result;
	}

	private runPipeline(ctx: Context, cmds: (SimpleCommand | Compound)[], negate: boolean): ExecResult {
		let input = ctx.stdin;
		let stderr = '';
		let last: ExecResult = { stdout: '', stderr: '', exit: 0 };
		let note = '';
		for (let i = 0; i < cmds.length; i++) {
			const c = cmds[i] as SimpleCommand | Compound;
			const r = 'kind' in c ? this.runCompound({ ...ctx, stdin: input }, c) : this.runSimple({ ...ctx, stdin: input }, c);
			stderr += r.stderr;
			input = r.stdout;
			if (r.note) note += note ? `\n${r.note}` : r.note;
			last = r;
		}
		const exit = negate ? (last.exit === 0 ? 1 : 0) : last.exit;
		const result: ExecResult = { stdout: last.stdout, stderr, exit, trace: last.trace };
		if (note) result.note = note;
		return result;
	}

	/** Runs a loop, a group or a definition; a loop at most 1000 rounds, so that nothing hangs. */
	private runCompound(ctx: Context, c: Compound): ExecResult {
		if (c.kind === 'function') {
			(this.state.funcs ??= {})[c.name] = c.body;
			return { stdout: '', stderr: '', exit: 0 };
		}
		let stdout = '';
		let stderr = '';
		let status = 0;
		const add = (r: ExecResult): void => {
			stdout += r.stdout;
			stderr += r.stderr;
		};
		if (c.kind === 'group') {
			const r = this.runList(ctx, c.body);
			add(r);
			status = r.exit;
		} else if (c.kind === 'for') {
			const words = c.words.flatMap((w) => this.expand(ctx, w));
			for (const w of words) {
				if (this.aborted) break;
				this.state.vars[c.name] = w;
				const r = this.runList(ctx, c.body);
				add(r);
				status = r.exit;
			}
		} else {
			// An enclosing timeout ends the loop at its deadline.
			for (let n = 0; n < 1000 && !this.aborted && !(ctx.deadline !== undefined && ctx.world.now >= ctx.deadline); n++) {
				const cond = this.runList(ctx, c.cond);
				add(cond);
				if ((cond.exit === 0) !== (c.kind === 'while')) break;
				const r = this.runList(ctx, c.body);
				add(r);
				status = r.exit;
			}
		}
		for (const r of c.redirs) {
			const target = this.expand(ctx, r.target).join(' ');
			if (r.op === '>' || r.op === '>>') {
				this.files(ctx).write(target, r.fd === 2 ? stderr : stdout, r.op === '>>', ctx.ns);
				if (r.fd === 2) stderr = '';
				else stdout = '';
			}
		}
		return { stdout, stderr, exit: status };
	}

	/** Expands one word into fields. */
	expand(ctx: Context, word: Word): string[] {
		const parts = word.filter((seg) => seg.kind !== 'text' || seg.text !== '');
		const only = parts.length === 1 ? parts[0] : undefined;
		// "$@" is one field per positional parameter, none when there are none.
		if (only?.kind === 'var' && only.name === '@' && only.quote === 'double') return [...(this.state.args ?? [])];
		const out: string[] = [];
		let cur = '';
		let has = false;
		for (const seg of word) {
			let value: string;
			if (seg.kind === 'text') {
				cur += seg.text;
				has = true;
				continue;
			}
			if (seg.kind === 'var') value = this.variable(ctx, seg.name);
			else value = this.runLine({ ...ctx, stdin: '' }, seg.source).stdout.replace(/\n+$/, '');
			if (seg.quote === 'double') {
				cur += value;
				has = true;
				continue;
			}
			const parts = fields(value);
			if (parts.length === 0) continue;
			if (/^[ \t\n]/.test(value) && has) {
				out.push(cur);
				cur = '';
				has = false;
			}
			parts.forEach((part, i) => {
				if (i > 0) {
					out.push(cur);
					cur = '';
				}
				cur += part;
				has = true;
			});
			if (/[ \t\n]$/.test(value)) {
				out.push(cur);
				cur = '';
				has = false;
			}
		}
		if (has) out.push(cur);
		return out;
	}

	private variable(ctx: Context, name: string): string {
		if (name === '?') return String(this.state.lastStatus);
		if (name === '!') return String(this.state.lastBgPid || '');
		if (name === '$') return '1';
		const args = this.state.args ?? [];
		if (name === '#') return String(args.length);
		if (name === '@' || name === '*') return args.join(' ');
		if (/^[1-9]$/.test(name)) return args[Number(name) - 1] ?? '';
		if (name === 'HOSTNAME') return ctx.host.hostname;
		return ctx.env[name] ?? this.state.vars[name] ?? '';
	}

	private runSimple(ctx: Context, cmd: SimpleCommand): ExecResult {
		const env = { ...ctx.env };
		for (const a of cmd.assigns) env[a.name] = this.expand(ctx, a.value).join(' ');
		let argv = cmd.words.flatMap((w) => this.expand({ ...ctx, env }, w));
		if (argv.length === 0) {
			for (const a of cmd.assigns) this.state.vars[a.name] = env[a.name] ?? '';
			return { stdout: '', stderr: '', exit: 0 };
		}
		let stdin = ctx.stdin;
		const outs: Redirection[] = [];
		let errToOut = false;
		let outToErr = false;
		for (const r of cmd.redirs) {
			const target = this.expand(ctx, r.target).join(' ');
			if (r.op === '<') {
				const data = this.files(ctx).readFile(target, ctx.ns);
				if (!data.ok) return { stdout: '', stderr: `${this.where}${target}: ${fsMessage(data.error)}\n`, exit: 1 };
				stdin = data.value;
			} else if (r.op === '<<<') stdin = `${target}\n`;
			else if (r.op === '>&') {
				if (r.fd === 2 && target === '1') errToOut = true;
				else if (r.fd === 1 && target === '2') outToErr = true;
			} else if (r.fd === -1) {
				outs.push({ fd: 1, path: target, append: false });
				outs.push({ fd: 2, path: target, append: false });
			} else outs.push({ fd: r.fd, path: target, append: r.op === '>>' });
		}
		if (argv[0] === 'wait') return this.wait(argv.slice(1));
		const fn = this.state.funcs?.[argv[0] as string];
		if (fn) return this.call(ctx, argv[0] as string, fn, argv.slice(1));
		if (argv[0] === 'shift') return this.shift(argv[1]);
		if (argv[0] === 'kill' && this.state.jobs?.length) {
			const killed = this.killJobs(argv.slice(1));
			if (killed) argv = killed;
		}
		const background = ctx.background ? this.jobStarter(ctx, outs, errToOut, outToErr) : undefined;
		// Builtins word their errors as this shell does (`where`).
		const res = this.dispatch({ ...ctx, env, stdin, where: this.where, background }, argv);
		const routed = outs.length > 0 || errToOut || outToErr ? this.redirect(ctx, res.stdout, res.stderr, outs, errToOut, outToErr) : res;
		if ('error' in routed && routed.error !== undefined) return { stdout: '', stderr: routed.error, exit: 1 };
		const { stdout, stderr } = routed;
		const result: ExecResult = { stdout, stderr, exit: res.exit, trace: res.trace };
		if (res.note) result.note = res.note;
		return result;
	}

	/** Runs a function's body with its own positional parameters, restoring the caller's after. */
	private call(ctx: Context, name: string, body: ListItem[], args: string[]): ExecResult {
		// A function that calls itself would never end: bash with FUNCNEST=100 abandons the line.
		if (this.depth >= 100 || ++this.calls > 10_000) {
			this.aborted = true;
			return { stdout: '', stderr: `${this.where}${name}: maximum function nesting level exceeded (100)\n`, exit: 1 };
		}
		const saved = this.state.args;
		this.state.args = args;
		this.depth++;
		try {
			return this.runList(ctx, body);
		} finally {
			this.depth--;
			this.state.args = saved;
		}
	}

	/** `shift [N]`: drops the first N positional parameters; more than there are is an error (status 1). */
	private shift(n = '1'): ExecResult {
		const args = this.state.args ?? [];
		const k = Number(n);
		if (!/^\d+$/.test(n)) return { stdout: '', stderr: `${this.where}shift: ${n}: numeric argument required\n`, exit: 1 };
		if (k > args.length) return { stdout: '', stderr: '', exit: 1 };
		this.state.args = args.slice(k);
		return { stdout: '', stderr: '', exit: 0 };
	}

	/**
	 * How a command started in the background hands the shell a job: its later output goes through
	 * the command's redirections too (files opened with > were truncated when it started, so its
	 * later writes append).
	 */
	private jobStarter(ctx: Context, outs: Redirection[], errToOut: boolean, outToErr: boolean): (job: Job) => void {
		const later = outs.map((o) => ({ ...o, append: true }));
		const route = (out: string, err: string): { stdout: string; stderr: string } => this.redirect(ctx, out, err, later, errToOut, outToErr);
		return (job) => void (this.state.jobs ??= []).push({ pid: ctx.pid ?? 0, job, route });
	}

	/**
	 * `kill` of background jobs (by PID or %N): each is stopped as the signal would stop it. Returns
	 * the command line left for the kill tool (other PIDs, such as servers'), or undefined when
	 * nothing was a job; `['kill']` alone when only jobs were named.
	 */
	private killJobs(args: string[]): string[] | undefined {
		const jobs = this.state.jobs ?? [];
		let signal = 'TERM';
		const rest: string[] = [];
		let hit = false;
		for (let i = 0; i < args.length; i++) {
			const a = args[i] as string;
			if (a === '-s' || a === '-n') {
				signal = args[++i] ?? signal;
				rest.push(a, signal);
				continue;
			}
			if (/^-/.test(a)) {
				signal = a.slice(1);
				rest.push(a);
				continue;
			}
			const n = a.startsWith('%') ? jobs[Number(a.slice(1)) - 1] : jobs.find((j) => String(j.pid) === a);
			if (n) {
				hit = true;
				n.job.stop(/^(9|KILL|SIGKILL)$/i.test(signal));
			} else rest.push(a);
		}
		if (!hit) return undefined;
		return rest.some((a) => !a.startsWith('-')) ? ['kill', ...rest] : ['true'];
	}

	/** Output of background jobs since the last look; jobs that ended are forgotten. */
	drainJobs(): { stdout: string; stderr: string; note: string } {
		if (!this.state.jobs?.length) return NO_JOB_OUTPUT;
		let stdout = '';
		let stderr = '';
		let note = '';
		const running: RunningJob[] = [];
		for (const j of this.state.jobs ?? []) {
			const t = j.job.take();
			const r = j.route(t.stdout, t.stderr);
			stdout += r.stdout;
			stderr += r.stderr;
			if (!t.done) running.push(j);
			else if (j.job.note) note += note ? `\n${j.job.note}` : j.job.note;
		}
		this.state.jobs = running;
		return { stdout, stderr, note };
	}

	/**
	 * `wait`: bash waits for every background job. A job that would wait for ever here (a capture
	 * short of its count: nothing else can run meanwhile) is ended, with a note at a reader's prompt.
	 */
	private wait(pids: string[]): ExecResult {
		const jobs = this.state.jobs ?? [];
		let stderr = '';
		let exit = 0;
		for (const p of pids) {
			// A PID that is no job of this shell (a server's is not a job here: it never ends).
			if (!/^\d+$/.test(p)) {
				stderr += `${this.where}wait: \`${p}': not a pid or valid job spec\n`;
				exit = 2;
			} else if (!jobs.some((j) => j.pid === Number(p)) && Number(p) !== this.state.lastBgPid) {
				stderr += `${this.where}wait: pid ${p} is not a child of this shell\n`;
				exit = 127;
			}
		}
		for (const j of jobs) if (pids.length === 0 || pids.includes(String(j.pid))) j.job.stop();
		const bg = this.drainJobs();
		const result: ExecResult = { stdout: bg.stdout, stderr: bg.stderr + stderr, exit };
		if (bg.note && this.interactive) result.note = bg.note;
		return result;
	}

	/**
	 * Applies a command's redirections to its output: files get theirs, and what is left goes to
	 * the terminal. Returns what is left, or an error when a file cannot be written.
	 */
	private redirect(ctx: Context, stdout: string, stderr: string, outs: Redirection[], errToOut: boolean, outToErr: boolean): { stdout: string; stderr: string; error?: string } {
		const raw = stderr;
		if (errToOut && !outs.some((o) => o.fd === 2)) {
			// 2>&1 after a stdout redirection sends stderr where stdout goes
			stdout += stderr;
			stderr = '';
		}
		if (outToErr) {
			stderr += stdout;
			stdout = '';
		}
		for (const o of outs) {
			const data = o.fd === 1 ? stdout : stderr;
			const written = this.files(ctx).write(o.path, data, o.append, ctx.ns);
			if (!written.ok) return { stdout: '', stderr: '', error: `${this.where}${o.path}: ${fsMessage(written.error)}\n` };
			if (o.fd === 1) {
				stdout = '';
				if (errToOut) stderr = '';
			} else stderr = '';
		}
		if (errToOut && outs.some((o) => o.fd === 1) && !outs.some((o) => o.fd === 2)) {
			const o = outs.find((x) => x.fd === 1);
			if (o) this.files(ctx).write(o.path, raw, true, ctx.ns);
		}
		return { stdout, stderr };
	}

	/** Finds and runs a tool; unknown names answer like bash, tools known not to be modelled say so. */
	dispatch(ctx: Context, argv: string[]): ExecResult {
		const raw = argv[0] as string;
		const name = raw.includes('/') ? raw.split('/').pop() ?? raw : raw;
		// A path names that program (/usr/lib/cni/bridge is not iproute2's bridge).
		const tool = raw.includes('/') ? this.registry(raw) ?? (/^\/(usr\/)?s?bin\//.test(raw) ? this.registry(name) : undefined) : this.registry(name);
		if (!tool) {
			if (raw.includes('/')) {
				const exists = this.files(ctx).exists(raw, ctx.ns);
				return { stdout: '', stderr: `${this.where}${raw}: ${exists ? 'Permission denied' : 'No such file or directory'}\n`, exit: exists ? 126 : 127 };
			}
			return notModelled(raw) ?? { stdout: '', stderr: `${this.where}${raw}: command not found\n`, exit: 127 };
		}
		// Other users than root: only what the simulator checks their rights for (ip's requests, the
		// namespace tools) and tools that need none.
		if (ctx.cred !== undefined && !AS_USER.has(name))
			return { stdout: '', stderr: `${name}: not available in this simulator as a user other than root (ip, whoami, unshare and the shell's tools are; run it as root)\n`, exit: 1 };
		try {
			return tool(argv.slice(1), ctx);
		} catch (e) {
			if (e instanceof RangeError) return { stdout: '', stderr: `${raw}: internal error\n`, exit: 1 };
			throw e;
		}
	}
}

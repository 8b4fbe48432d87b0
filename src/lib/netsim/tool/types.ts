/** What a tool is to the shell that runs it: argv and a context in, the shell's three results out. */
import type { Host, World } from '../model/world.ts';
import type { Netns } from '../model/netns.ts';
import type { Cred } from '../model/process.ts';
import type { Stack } from '../engine/stack.ts';
import type { PacketTrace } from '../engine/trace.ts';

/** What a command returns: the shell's three results. */
export interface ExecResult {
	stdout: string;
	stderr: string;
	exit: number;
	/** For ping: the walk of its first packet (engine/trace.ts, docs/terminal.md). */
	trace?: PacketTrace | undefined;
	/**
	 * The simulator's own words about the command, apart from its output: what it did that the
	 * real tool would not have (it stopped a ping that runs until Ctrl-C). The terminal shows it as
	 * a note; a transcript leaves it out.
	 */
	note?: string | undefined;
}

/** Where a command runs: a host, and the namespace it is in (`ip netns exec` changes it). */
export interface Context {
	world: World;
	stack: Stack;
	host: Host;
	ns: Netns;
	/** Standard input (from a pipe). */
	stdin: string;
	/** Environment (assignments before the command). */
	env: Record<string, string>;
	/** Process id of a background job being started (`cmd &`), for servers and `$!`. */
	pid?: number | undefined;
	/**
	 * For a background job being started: hands the shell a job whose output comes later (a
	 * capture's packets). The shell prints what it has after each command of a line and at `wait`.
	 */
	background?: ((job: Job) => void) | undefined;
	/**
	 * The bind mounts of the command's mount namespace, over the host's files (target → source):
	 * what `ip netns exec NAME` mounts from /etc/netns/NAME. Absent: the host's own namespace.
	 */
	binds?: ReadonlyMap<string, string> | undefined;
	/**
	 * Who the command runs as, when not root of the host (`setpriv --reuid`, `unshare --user`):
	 * the kernel operations check its capabilities (kernel/process.ts, netAdmin).
	 */
	cred?: Cred | undefined;
	/** Runs a nested command line in a context (for `ip netns exec`, `sh -c`). */
	run: (ctx: Context, argv: string[]) => ExecResult;
	/** How the shell that runs the command begins its errors (`bash: line 1: `), for builtins. */
	where?: string | undefined;
	/**
	 * Commands come from a reader at an interactive shell (the in-page terminal), not from
	 * `bash -c` as in the book's recordings: a shell started with no command, or a ping with no end,
	 * cannot just wait for input or Ctrl-C, so they say what they did instead.
	 */
	interactive?: boolean | undefined;
	/**
	 * The virtual time by which an enclosing `timeout` stops the command: loops end there and
	 * tools that wait (curl) give up by then.
	 */
	deadline?: number | undefined;
}

/** A background job whose output comes as things happen (tcpdump). */
export interface Job {
	/** Output since the last call, and whether the job has ended. */
	take(): { stdout: string; stderr: string; done: boolean };
	/**
	 * Ends the job now (`wait` cannot block in the simulator; `kill`), printing what it prints as it
	 * ends; `killed`: by SIGKILL, which leaves it no time to print anything.
	 */
	stop(killed?: boolean): void;
	/** Why the simulator stopped it, for a note at a reader's prompt (set by `stop`). */
	note?: string | undefined;
}

/** A tool: gets argv (without its own name at [0] removed) and the context. */
export type Tool = (argv: string[], ctx: Context) => ExecResult;

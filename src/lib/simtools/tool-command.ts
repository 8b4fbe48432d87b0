/**
 * One simulated tool as a program: `ip -br link` run by a shell or by `execFile('ip', ['-br',
 * 'link'])` answers from the simulated lab, with the simulator's stdout, stderr and exit status.
 */
import { failureText, SimtoolsError, TOOLS_FAILED } from './errors.ts';
import { statePath, type ToolsEnv } from './env.ts';
import { commandLine } from './quote.ts';
import { runOnLab } from './session.ts';

/**
 * The tools the build makes executables of: the simulator's network tools. Its shell's other
 * commands (cat, grep, curl…) are left to the real machine, where they are not the lab's; they
 * run in the lab through `netsim-lab exec`.
 */
export const TOOLS = ['ip', 'bridge', 'ping', 'iptables', 'sysctl', 'conntrack', 'tcpdump', 'nsenter', 'unshare', 'hostname', 'ss', 'nstat'] as const;

/** What a program prints and how it ends. */
export interface Outcome {
	stdout: string;
	stderr: string;
	exit: number;
	/** The simulator's words about what it did that the real tool would not (see ExecResult.note). */
	note?: string | undefined;
}

/** Runs tool `name` with `argv` (its arguments, as execve passes them) on the lab the environment names. */
export function runTool(name: string, argv: readonly string[], env: ToolsEnv, home: string): Outcome {
	try {
		const r = runOnLab({ path: statePath(env, home), host: env.NETSIM_HOST, line: commandLine([name, ...argv]) });
		return { stdout: r.stdout, stderr: r.stderr, exit: r.exit, note: r.note };
	} catch (e) {
		if (e instanceof SimtoolsError) return { stdout: '', stderr: failureText(e), exit: TOOLS_FAILED };
		throw e;
	}
}

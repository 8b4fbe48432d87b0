/**
 * Running the network tools. The plugin changes the network only through programs (`ip`,
 * `iptables`, `sysctl`), never through netlink itself, so the same code drives a real kernel or
 * the book's simulated one, whichever runs the programs it asks for.
 */
import { Code, CniError } from './spec.ts';
import type { System } from './system.ts';

/** Runs a program (no shell) and returns its standard output; a failure becomes a CniError. */
export function run(sys: System, program: string, args: string[]): string {
	const { status, stdout, stderr } = sys.run(program, args);
	if (status === 0) return stdout;
	const said = stderr.trim();
	const line = [program, ...args].join(' ');
	// iptables says so when another program holds its lock: a passing condition (spec code 11).
	if (/xtables lock/.test(said)) throw new CniError(Code.tryAgainLater, `${line}: another program holds the xtables lock`, said);
	throw new CniError(Code.commandFailed, `${line} failed${status ? ` (exit ${status})` : ''}`, said);
}

/**
 * `ip ARGS` in the host's network namespace, or in the container's when `netns` is a path to one.
 * `ip -n` takes only names under /run/netns; nsenter also enters /proc/PID/ns/net.
 */
export function ip(sys: System, args: string[], netns?: string): string {
	return netns === undefined ? run(sys, 'ip', args) : run(sys, 'nsenter', [`--net=${netns}`, 'ip', ...args]);
}

/** `ip -j ARGS`, parsed: the JSON the tool prints instead of text meant for people. */
export function ipJson<T>(sys: System, args: string[], netns?: string): T[] {
	return JSON.parse(ip(sys, ['-j', ...args], netns) || '[]') as T[];
}

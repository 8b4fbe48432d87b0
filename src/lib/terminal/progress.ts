/**
 * Progress checks: a few facts per chapter that the terminal evaluates after each command,
 * from the engine's state ("the bridge has two members") or from the commands that ran
 * ("Alice pinged Bob"). A check that passed once stays passed (chapters end by cleaning up),
 * and passes are kept in the browser's localStorage (./progress-store.ts).
 */
import type { CheckSpec, Condition } from '../runbook/checks.ts';
import type { LabState } from '../shared/lab-state.ts';
import type { CommandRecord } from './shell.ts';

/** What a check sees. */
export interface CheckContext {
	state: LabState;
	/** Commands run since the terminal opened, oldest first. */
	commands: readonly CommandRecord[];
}

/** One progress check. */
export interface Check {
	/** Stable id within the chapter (kept in localStorage). */
	id: string;
	/** What the reader achieves, e.g. "Alice can ping Bob". */
	label: string;
	passes(ctx: CheckContext): boolean;
}

interface IpLink {
	ifname?: string;
	master?: string;
	flags?: string[];
	operstate?: string;
}
interface IpAddr {
	ifname?: string;
	addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}
interface IpRoute {
	dst?: string;
	gateway?: string;
	dev?: string;
}
interface IpNeigh {
	dst?: string;
	dev?: string;
	lladdr?: string;
}

const ns = (ctx: CheckContext, host: string, netns = '') => ctx.state[host]?.[netns];

/** The interface exists in that namespace. */
export const hasLink = (host: string, netns: string, name: string) => (ctx: CheckContext): boolean =>
	((ns(ctx, host, netns)?.link ?? []) as IpLink[]).some((l) => l.ifname === name);

/** The interface exists and is administratively up. */
export const linkUp = (host: string, netns: string, name: string) => (ctx: CheckContext): boolean =>
	((ns(ctx, host, netns)?.link ?? []) as IpLink[]).some((l) => l.ifname === name && (l.flags ?? []).includes('UP'));

/** The named network namespace exists on the host. */
export const hasNetns = (host: string, netns: string) => (ctx: CheckContext): boolean => ctx.state[host]?.[netns] !== undefined;

/** An interface (any, or `dev`) carries the IPv4 address `cidr` (`192.168.1.1/24`). */
export const hasAddress = (host: string, netns: string, cidr: string, dev?: string) => (ctx: CheckContext): boolean =>
	((ns(ctx, host, netns)?.addr ?? []) as IpAddr[]).some(
		(a) => (dev === undefined || a.ifname === dev) && (a.addr_info ?? []).some((i) => `${i.local}/${i.prefixlen}` === cidr),
	);

/** The main table has a route to `dst` (`default`, `10.0.0.0/24`), optionally via a gateway. */
export const hasRoute = (host: string, netns: string, dst: string, via?: string) => (ctx: CheckContext): boolean =>
	((ns(ctx, host, netns)?.route ?? []) as IpRoute[]).some((r) => r.dst === dst && (via === undefined || r.gateway === via));

/** The neighbour table knows the MAC of `ip`. */
export const knowsNeighbour = (host: string, netns: string, ip: string) => (ctx: CheckContext): boolean =>
	((ns(ctx, host, netns)?.neigh ?? []) as IpNeigh[]).some((n) => n.dst === ip && typeof n.lladdr === 'string');

/** The bridge has at least `count` member ports. */
export const bridgeHasMembers = (host: string, netns: string, bridge: string, count: number) => (ctx: CheckContext): boolean =>
	((ns(ctx, host, netns)?.link ?? []) as IpLink[]).filter((l) => l.master === bridge).length >= count;

/**
 * A command matching `pattern` ran on `host` and exited with `exit` (default 0); a command run
 * through `ip netns exec NS` counts for that namespace's pattern too, as it is written.
 */
export const ran = (host: string, pattern: RegExp, exit = 0) => (ctx: CheckContext): boolean =>
	ctx.commands.some((c) => c.host === host && c.exit === exit && pattern.test(c.line));

/** All of the conditions hold. */
export const all = (...conditions: ((ctx: CheckContext) => boolean)[]) => (ctx: CheckContext): boolean =>
	conditions.every((c) => c(ctx));

/** Any of the conditions holds (e.g. the state shows it, or the command that does it ran). */
export const any = (...conditions: ((ctx: CheckContext) => boolean)[]) => (ctx: CheckContext): boolean =>
	conditions.some((c) => c(ctx));

/** The condition does not hold (a link that is down, a route that is gone: what a break-it exercise leaves). */
export const not = (condition: (ctx: CheckContext) => boolean) => (ctx: CheckContext): boolean => !condition(ctx);

/** A command matching `pattern` ran on `host` and failed (any exit but 0), as a broken lab makes it. */
export const failed = (host: string, pattern: RegExp) => (ctx: CheckContext): boolean =>
	ctx.commands.some((c) => c.host === host && c.exit !== 0 && pattern.test(c.line));

/** A ping (directly, or through `ip netns exec NS` when `netns` is given) to `dst` that got its replies. */
export const pinged = (host: string, dst: string, netns?: string) =>
	ran(host, new RegExp(`^${netns ? `ip netns exec ${netns} ` : ''}ping\\b.*\\s${dst.replace(/\./g, '\\.')}$`));

/** A condition as written in a chapter's frontmatter (src/lib/runbook/checks.ts), as a test of the lab. */
function compileCondition(c: Condition): (ctx: CheckContext) => boolean {
	if ('all' in c) return all(...c.all.map(compileCondition));
	if ('any' in c) return any(...c.any.map(compileCondition));
	if ('not' in c) return not(compileCondition(c.not));
	if ('failed' in c) return failed(c.host, new RegExp(c.failed));
	if ('address' in c) return hasAddress(c.host, c.netns ?? '', c.address, c.dev);
	if ('link' in c) return hasLink(c.host, c.netns ?? '', c.link);
	if ('up' in c) return linkUp(c.host, c.netns ?? '', c.up);
	if ('namespace' in c) return hasNetns(c.host, c.namespace);
	if ('route' in c) return hasRoute(c.host, c.netns ?? '', c.route, c.via);
	if ('neighbour' in c) return knowsNeighbour(c.host, c.netns ?? '', c.neighbour);
	if ('members' in c) return bridgeHasMembers(c.host, c.netns ?? '', c.members, c.count);
	if ('ran' in c) return ran(c.host, new RegExp(c.ran));
	return pinged(c.host, c.ping, c.netns);
}

/** A chapter's checks as the terminal evaluates them. */
export function compileChecks(specs: readonly CheckSpec[]): Check[] {
	return specs.map((s) => ({ id: s.id, label: s.label, passes: compileCondition(s.when) }));
}

/** Ids of the checks that pass now; a check that throws (odd state) simply does not pass. */
export function evaluate(checks: readonly Check[], ctx: CheckContext): string[] {
	return checks
		.filter((c) => {
			try {
				return c.passes(ctx);
			} catch {
				return false;
			}
		})
		.map((c) => c.id);
}

/**
 * Progress the reader earns: a check counts when one of the reader's own commands makes it pass.
 * What already holds when the lab is built for them (as the chapter starts it, or as "Run up to
 * here" left it) is given, not earned, until it stops holding and the reader makes it hold again.
 */
export class ProgressTracker {
	/** The reader's commands since the terminal opened, oldest first. */
	private readonly commands: CommandRecord[] = [];
	/** Checks that held after the last command or settle. */
	private holding = new Set<string>();

	constructor(private readonly checks: readonly Check[]) {}

	/** The lab was built or replayed for the reader: what holds now earns nothing. */
	settle(state: LabState): void {
		this.holding = new Set(evaluate(this.checks, { state, commands: this.commands }));
	}

	/** The reader ran a command that left the lab in `state`: the ids of the checks it earned. */
	command(record: CommandRecord, state: LabState): string[] {
		this.commands.push(record);
		const now = evaluate(this.checks, { state, commands: this.commands });
		const earned = now.filter((id) => !this.holding.has(id));
		this.holding = new Set(now);
		return earned;
	}
}

/**
 * Netfilter's tables as iptables-nft changes them (nf_tables over netlink): rules put in, replaced
 * and deleted, chains created, flushed, zeroed, renamed and deleted, policies set. Refusals carry
 * the errno that iptables' own error table (nft_strerror) turns into its words.
 */
import { natTargetHooks } from '../../shared/netfilter.ts';
import { ruleSpec, type Chain, type Netfilter, type Rule, type Table } from '../model/netfilter.ts';
import { ok, refuse, type Result } from './errno.ts';

/** Targets only the nat table takes. */
const NAT_TARGETS = Object.keys(natTargetHooks());

/** NAT hooks register in the namespace (a NAT rule went in): conntrack runs there from now on. */
export function nfTrack(nf: Netfilter): void {
	nf.natHooks = true;
}

/** A chain of a table: ENOENT when there is none of that name. */
export function chainGet(t: Table, name: string | undefined): Result<Chain> {
	const c = t.chains.find((x) => x.name === name);
	return c ? ok(c) : refuse('ENOENT');
}

/**
 * The hooks (built-in chains) each target may be used from: the xt target's hook mask, which the
 * kernel checks when the rule goes in, for every built-in chain from which the rule's chain is
 * reached through jumps (nf_tables validates the chains a jump makes reachable).
 */
const TARGET_HOOKS: Record<string, readonly string[]> = {
	// The NAT targets' masks are where nat rewrites which address (src/lib/shared/netfilter.ts).
	...natTargetHooks(),
	REJECT: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The user chain a rule jumps or goes to, if any. */
function jumpOf(t: Table, rule: Rule): Chain | undefined {
	return rule.target ? t.chains.find((x) => x.name === rule.target && x.policy === undefined) : undefined;
}

/** The chains reachable from `c` through jumps, `c` first. */
function reachable(t: Table, c: Chain): Chain[] {
	const seen: Chain[] = [c];
	for (let i = 0; i < seen.length; i++) {
		for (const r of seen[i]!.rules) {
			const next = jumpOf(t, r);
			if (next && !seen.includes(next)) seen.push(next);
		}
	}
	return seen;
}

/** The built-in chains (hooks) from which `c` is reached. */
function hooksOf(t: Table, c: Chain): string[] {
	return t.chains.filter((b) => b.policy !== undefined && reachable(t, b).includes(c)).map((b) => b.name);
}

/** EINVAL when a target with a hook mask would run from a hook the mask leaves out. */
function targetFits(target: string | undefined, hooks: readonly string[]): boolean {
	const allowed = target ? TARGET_HOOKS[target] : undefined;
	return !allowed || hooks.every((h) => allowed.includes(h));
}

/**
 * EINVAL for a rule the kernel's target refuses: a NAT target outside the nat table, a target run
 * from a hook its mask leaves out (directly, or by a jump into a chain holding one), a TCP reset
 * for a rule not limited to TCP; EMLINK for a jump that makes a loop.
 */
function checkRule(t: Table, c: Chain, rule: Rule): Result {
	// The tcp/udp match checks the rule's protocol (a `-m tcp` without `-p tcp`).
	for (const [mod, proto] of [['tcp', 6], ['udp', 17]] as const) if (rule.modules.includes(mod) && (rule.proto?.value !== proto || rule.proto.neg)) return refuse('EINVAL');
	if (!rule.target) return ok();
	if (NAT_TARGETS.includes(rule.target) && t.name !== 'nat') return refuse('EINVAL');
	const hooks = hooksOf(t, c);
	if (!targetFits(rule.target, hooks)) return refuse('EINVAL');
	const into = jumpOf(t, rule);
	if (into) {
		const below = reachable(t, into);
		// Loops are looked for from the base chains only: unreachable chains are not validated.
		if (hooks.length > 0 && below.includes(c)) return refuse('EMLINK');
		if (below.some((x) => x.rules.some((r) => !targetFits(r.target, hooks)))) return refuse('EINVAL');
	}
	// REJECT is a filter table target.
	if (rule.target === 'REJECT' && t.name !== 'filter') return refuse('EINVAL');
	if (rule.rejectWith === 'tcp-reset' && (rule.proto?.value !== 6 || rule.proto.neg)) return refuse('EINVAL');
	return ok();
}

/**
 * Notes whether a chain still has a stateful rule after a change: each such rule holds conntrack
 * in the namespace (Netfilter.conntrackOn), and packets should not have to scan for them.
 */
function restate(c: Chain): void {
	c.stateful = c.rules.some((r) => r.ctstate !== undefined);
}

/** Puts a rule at 0-based `pos` of a chain, or at its end: E2BIG past the end. */
export function ruleInsert(t: Table, c: Chain, rule: Rule, pos?: number): Result {
	const valid = checkRule(t, c, rule);
	if (!valid.ok) return valid;
	if (pos === undefined) c.rules.push(rule);
	else {
		if (pos > c.rules.length) return refuse('E2BIG');
		c.rules.splice(pos, 0, rule);
	}
	t.hooked = true;
	restate(c);
	return ok();
}

/** Replaces the rule at 0-based `pos`: E2BIG when there is none. */
export function ruleReplace(t: Table, c: Chain, pos: number, rule: Rule): Result {
	const valid = checkRule(t, c, rule);
	if (!valid.ok) return valid;
	if (pos < 0 || pos >= c.rules.length) return refuse('E2BIG');
	c.rules[pos] = rule;
	restate(c);
	return ok();
}

/** Deletes rule number `num` (from 1): E2BIG when there is none. */
export function ruleDeleteNum(c: Chain, num: number): Result {
	if (num < 1 || num > c.rules.length) return refuse('E2BIG');
	c.rules.splice(num - 1, 1);
	restate(c);
	return ok();
}

/** The index of the first rule that is `rule` (same specification): ENOENT when none is. */
export function ruleFind(c: Chain, rule: Rule): Result<number> {
	const spec = ruleSpec(rule);
	const idx = c.rules.findIndex((r) => ruleSpec(r) === spec);
	return idx < 0 ? refuse('ENOENT') : ok(idx);
}

/** Deletes the first rule that is `rule`: ENOENT when none is. */
export function ruleDelete(c: Chain, rule: Rule): Result {
	const found = ruleFind(c, rule);
	if (!found.ok) return found;
	c.rules.splice(found.value, 1);
	restate(c);
	return ok();
}

/** Creates a user chain: EEXIST when the name is taken. */
export function chainCreate(t: Table, name: string): Result {
	if (t.chains.some((c) => c.name === name)) return refuse('EEXIST');
	t.chains.push({ name, rules: [] });
	t.hooked = true;
	return ok();
}

/** How many rules jump to a chain. */
export function chainReferences(chains: readonly Chain[], name: string): number {
	return chains.reduce((n, c) => n + c.rules.filter((r) => r.target === name).length, 0);
}

/**
 * Deletes user chains, all or none: EBUSY (with the chain's name as the message) when one is
 * jumped to, or, when `mustBeEmpty`, still has rules.
 */
export function chainsDelete(t: Table, victims: readonly Chain[], mustBeEmpty: boolean): Result {
	for (const c of victims) if (chainReferences(t.chains, c.name) > 0 || (mustBeEmpty && c.rules.length > 0)) return refuse('EBUSY', c.name);
	t.chains = t.chains.filter((c) => !victims.includes(c));
	return ok();
}

/** Empties chains. */
export function chainsFlush(victims: readonly Chain[]): void {
	for (const c of victims) {
		c.rules = [];
		restate(c);
	}
}

/** Zeroes the counters of chains' rules and of built-in chains' policies. */
export function chainsZero(victims: readonly Chain[]): void {
	for (const c of victims) {
		for (const r of c.rules) r.pkts = r.bytes = 0;
		if (c.policyPkts !== undefined) c.policyPkts = c.policyBytes = 0;
		if (c.policyBase) c.policyBase = { pkts: 0, bytes: 0 };
	}
}

/** Sets a built-in chain's policy: ENOENT when the chain is not a built-in one, EINVAL for a policy other than ACCEPT or DROP. */
export function chainPolicy(t: Table, name: string | undefined, policy: string | undefined): Result {
	const c = t.chains.find((x) => x.name === name);
	if (!c || c.policy === undefined) return refuse('ENOENT');
	if (policy !== 'ACCEPT' && policy !== 'DROP') return refuse('EINVAL');
	c.policy = policy;
	t.hooked = true;
	c.policyBase = { pkts: c.policyPkts ?? 0, bytes: c.policyBytes ?? 0 };
	return ok();
}

/** Renames a user chain, and the jumps to it: EEXIST when the new name is taken. */
export function chainRename(t: Table, c: Chain, newName: string): Result {
	if (t.chains.some((x) => x.name === newName)) return refuse('EEXIST');
	for (const x of t.chains) for (const r of x.rules) if (r.target === c.name) r.target = newName;
	c.name = newName;
	return ok();
}

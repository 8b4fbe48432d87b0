/**
 * iptables' commands on a table, through the kernel's netfilter operations, with iptables' checks
 * before them and its words for the kernel's refusals (nft_strerror's table: the same errno reads
 * differently for each command).
 */
import { STRERROR, type Refusal } from '../../kernel/errno.ts';
import { atLeast, type SimProfile } from '../../profile/profile.ts';
import { chainCreate, chainGet, chainPolicy, chainRename, chainsDelete, chainsFlush, chainsZero, nfTrack, ruleDelete, ruleDeleteNum, ruleFind, ruleInsert, ruleReplace } from '../../kernel/netfilter.ts';
import type { Chain, Netfilter, Table } from '../../model/netfilter.ts';
import { exitWith } from '../../tool/exit.ts';
import type { ExecResult } from '../../tool/types.ts';
import type { Cmd } from './cmdline.ts';
import { listChains, ordered, specChains } from './list.ts';
import type { RuleArgs } from './rule-args.ts';
import { BUILTIN_TARGETS, TRY, V } from './words.ts';

/** What a command works on. */
export interface Run {
	/** The machine imitated (iptables' version). */
	profile: SimProfile;
	nf: Netfilter;
	table: string;
	t: Table;
	cmd: Cmd;
	args: RuleArgs;
}

const DONE: ExecResult = { stdout: '', stderr: '', exit: 0 };

/** The one message every command uses for a rule that is not there. */
const BAD_RULE = 'iptables: Bad rule (does a matching rule exist in that chain?).\n';

/** A chain of the table; listing one iptables-nft did not make is refused in other words. */
function chainOf(run: Run, name: string | undefined, forList = false): Chain {
	const c = chainGet(run.t, name);
	if (c.ok) return c.value;
	if (forList) exitWith(1, `${V}: chain \`${name}' in table \`${run.table}' is incompatible, use 'nft' tool.\n`);
	exitWith(1, 'iptables: No chain/target/match by that name.\n');
}

/** iptables' checks of a rule's target: NAT targets' options, and a chain to jump to. */
function checkTarget(run: Run): void {
	const rule = run.args.rule;
	if (!rule.target) return;
	if (BUILTIN_TARGETS.includes(rule.target)) {
		if (rule.target === 'DNAT' && !rule.toDestination) exitWith(2, `${V}: DNAT: option "--to-destination" must be specified\n\n${TRY}`);
		if (rule.target === 'SNAT' && !rule.toSource) exitWith(2, `${V}: SNAT: option "--to-source" must be specified\n\n${TRY}`);
		if (run.table === 'nat') nfTrack(run.nf);
		return;
	}
	if (!run.t.chains.some((c) => c.name === rule.target && c.policy === undefined)) exitWith(2, `${V}: Chain '${rule.target}' does not exist\n${TRY}`);
}

/** A refused rule change: EINVAL is a rule the table cannot hold, E2BIG a position past the end. */
function ruleRefused(run: Run, r: Refusal, tooBig: string): never {
	if (r.errno !== 'E2BIG') exitWith(4, `${V}:  RULE_APPEND failed (${STRERROR[r.errno]}): rule in chain ${run.cmd.chain}\n`);
	exitWith(1, `iptables: Index of ${tooBig} too big.\n`);
}

/** -A and -I. */
function insert(run: Run): ExecResult {
	const c = chainOf(run, run.cmd.chain);
	checkTarget(run);
	const done = ruleInsert(run.t, c, run.args.rule, run.cmd.op === 'A' ? undefined : (run.cmd.num ?? 1) - 1);
	if (!done.ok) ruleRefused(run, done, 'insertion');
	return DONE;
}

/** -R. */
function replace(run: Run): ExecResult {
	const c = chainOf(run, run.cmd.chain);
	checkTarget(run);
	const done = ruleReplace(run.t, c, (run.cmd.num ?? 0) - 1, run.args.rule);
	if (!done.ok) ruleRefused(run, done, 'replacement');
	return DONE;
}

/** -D (by number or by rule) and -C. */
function deleteOrCheck(run: Run): ExecResult {
	const { cmd, t } = run;
	const rule = run.args.rule;
	// A rule looked for in a chain that is not there is a rule not found (-C, and -D by rule).
	if ((cmd.op === 'C' || cmd.num === undefined) && !t.chains.some((x) => x.name === cmd.chain)) exitWith(1, BAD_RULE);
	const c = chainOf(run, cmd.chain);
	if (cmd.num !== undefined && cmd.op === 'D') {
		if (!ruleDeleteNum(c, cmd.num).ok) exitWith(1, 'iptables: Index of deletion too big.\n');
		return DONE;
	}
	if (rule.target && !BUILTIN_TARGETS.includes(rule.target) && !t.chains.some((x) => x.name === rule.target)) exitWith(2, `${V}: Chain '${rule.target}' does not exist\n${TRY}`);
	const done = cmd.op === 'D' ? ruleDelete(c, rule) : ruleFind(c, rule);
	if (!done.ok) exitWith(1, BAD_RULE);
	return DONE;
}

/** -N. */
function newChain(run: Run): ExecResult {
	const name = run.cmd.chain as string;
	if (name.length >= 29) exitWith(2, `${V}: chain name \`${name}' too long (must be under 29 chars)\n${TRY}`);
	if (/\s/.test(name) || name === '') exitWith(2, `${V}: Invalid chain name \`${name}'\n${TRY}`);
	if (!chainCreate(run.t, name).ok) exitWith(1, 'iptables: Chain already exists.\n');
	return DONE;
}

/** -X: one user chain, or all of them. */
function deleteChains(run: Run): ExecResult {
	const { cmd, t } = run;
	const victims = cmd.chain ? [chainOf(run, cmd.chain)] : t.chains.filter((c) => c.policy === undefined);
	// iptables 1.8.9 looks for a user chain of that name and finds none; later versions say why.
	for (const c of victims) {
		if (c.policy === undefined) continue;
		if (!atLeast(run.profile.iptables, 1, 8, 10)) exitWith(1, 'iptables: No chain/target/match by that name.\n');
		exitWith(1, `${V}: Cannot delete built-in chain \`${c.name}'\n`);
	}
	const done = chainsDelete(t, victims, Boolean(cmd.chain));
	if (!done.ok) exitWith(4, `${V}:  CHAIN_DEL failed (Device or resource busy): chain ${done.extack}\n`);
	return DONE;
}

/** -F and -Z: one chain, or every chain of the table. */
function flushOrZero(run: Run): ExecResult {
	// Zeroing one rule of a chain that is not there finds no rule.
	if (run.cmd.op === 'Z' && run.cmd.num !== undefined && !run.t.chains.some((c) => c.name === run.cmd.chain)) exitWith(1, BAD_RULE);
	const victims = run.cmd.chain ? [chainOf(run, run.cmd.chain)] : run.t.chains;
	if (run.cmd.op === 'F') chainsFlush(victims);
	else chainsZero(victims);
	// With -v, iptables names each chain it works on.
	const verb = run.cmd.op === 'F' ? 'Flushing' : 'Zeroing';
	const stdout = run.args.verbose ? ordered(victims).map((c) => `${verb} chain \`${c.name}'\n`).join('') : '';
	return { stdout, stderr: '', exit: 0 };
}

/** -P. */
function policy(run: Run): ExecResult {
	const done = chainPolicy(run.t, run.cmd.chain, run.cmd.policy);
	if (!done.ok && done.errno === 'ENOENT') exitWith(1, 'iptables: Bad built-in chain name.\n');
	if (!done.ok) exitWith(1, "iptables: Bad policy name. Run `dmesg' for more information.\n");
	return DONE;
}

/** -E. */
function rename(run: Run): ExecResult {
	const c = chainOf(run, run.cmd.chain);
	if (!chainRename(run.t, c, run.cmd.newName as string).ok) exitWith(1, 'iptables: File exists.\n');
	return DONE;
}

/** -S and -L. */
function list(run: Run): ExecResult {
	const chains = run.cmd.chain ? [chainOf(run, run.cmd.chain, true)] : ordered(run.t.chains);
	const stdout = run.cmd.op === 'S' ? specChains(chains, run.cmd.num) : listChains(run.t.chains, chains, { ...run.args, profile: run.profile });
	if (run.cmd.zero) chainsZero(chains);
	return { stdout, stderr: '', exit: 0 };
}

/** The commands by letter. */
export const COMMANDS: Record<string, (run: Run) => ExecResult> = { A: insert, I: insert, R: replace, D: deleteOrCheck, C: deleteOrCheck, N: newChain, X: deleteChains, F: flushOrZero, Z: flushOrZero, P: policy, E: rename, S: list, L: list };

/** `iptables` 1.8.9 (nf_tables backend): rule management, `-L` tables and `-S` rules, worded as it is. */
import { TABLE_NAMES } from '../../model/netfilter.ts';
import { defineTool, exitWith } from '../../tool/exit.ts';
import type { Context, ExecResult, Tool } from '../../tool/types.ts';
import { parseCommandLine } from './cmdline.ts';
import { COMMANDS, type Run } from './commands.ts';
import { parseRule } from './rule-args.ts';
import { TRY, V } from './words.ts';

/** Options a command does not take (generic_opt_check's table, by option letter). */
const ILLEGAL: Record<string, string> = {
	rule: 'nx0',
	deleteNum: 'nsdpjxio0',
	list: 'sdpjio',
	chain: 'nsdpjxio0',
};

/** The options iptables checks, in the order of its option table. */
const OPTION_ORDER = 'nsdpjvxio0';

/** The row of generic_opt_check's table a command uses. */
function optionRow(cmd: Run['cmd']): string {
	if (cmd.op === 'A' || cmd.op === 'I' || cmd.op === 'R' || cmd.op === 'C') return ILLEGAL['rule']!;
	if (cmd.op === 'D') return cmd.num === undefined ? ILLEGAL['rule']! : ILLEGAL['deleteNum']!;
	if (cmd.op === 'L') return ILLEGAL['list']!;
	return ILLEGAL['chain']!;
}

/** iptables' checks of the command as a whole, before it touches a table. */
function checkCommand(run: Run): void {
	const { cmd, table } = run;
	const rule = run.args.rule;
	const illegal = optionRow(cmd);
	for (const letter of OPTION_ORDER) {
		if (run.args.given.has(letter) && illegal.includes(letter)) exitWith(2, `${V}: Illegal option \`-${letter}' with this command\n${TRY}`);
	}
	if (cmd.num === 0 && (cmd.op === 'I' || cmd.op === 'D' || cmd.op === 'R')) exitWith(2, `${V}: Invalid rule number \`0'\n${TRY}`);
	if (cmd.op === 'R' && cmd.num === undefined) exitWith(2, `${V}: -R requires a rule number\n${TRY}`);
	if (cmd.op === 'A' || cmd.op === 'I' || cmd.op === 'R' || cmd.op === 'D' || cmd.op === 'C') {
		if (rule.outIf !== undefined && (cmd.chain === 'INPUT' || cmd.chain === 'PREROUTING')) exitWith(2, `${V}: Can't use -o with ${cmd.chain}\n\n${TRY}`);
		if (rule.inIf !== undefined && (cmd.chain === 'OUTPUT' || cmd.chain === 'POSTROUTING')) exitWith(2, `${V}: Can't use -i with ${cmd.chain}\n\n${TRY}`);
	}
	if (cmd.op === 'P' && table === 'nat' && cmd.policy === 'DROP') exitWith(2, `${V}: \nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\n${TRY}`);
}

function run(argv: string[], ctx: Context): ExecResult {
	const nf = ctx.ns.netfilter;
	const { table, cmd, rest } = parseCommandLine(argv);
	const args = parseRule(rest);
	if (!cmd.op) exitWith(2, `${V}: no command specified\n${TRY}`);
	if (!(TABLE_NAMES as readonly string[]).includes(table)) exitWith(3, `${V}: table '${table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`);
	const r: Run = { profile: ctx.world.profile, nf, table, t: nf.table(table), cmd, args };
	checkCommand(r);
	const command = Object.prototype.hasOwnProperty.call(COMMANDS, cmd.op) ? COMMANDS[cmd.op] : undefined;
	if (!command) exitWith(2, `${V}: no command specified\n${TRY}`);
	return command(r);
}

/** Runs iptables. */
export const iptables: Tool = defineTool(run);

/** The command part of an iptables command line: one of -A -I -D -R -C -N -X -F -Z -P -E -L -S, its chain and number, the table. */
import { exitWith } from '../../tool/exit.ts';
import { BUILTIN_TARGETS, TRY, V } from './words.ts';

/** The command asked for. */
export interface Cmd {
	/** The command letter (A, I, D, …). */
	op?: string | undefined;
	chain?: string | undefined;
	num?: number | undefined;
	policy?: string | undefined;
	newName?: string | undefined;
	/** -L with -Z: zero the counters after listing them. */
	zero?: boolean | undefined;
}

/** A parsed command line: the table, the command, and the words left for the rule. */
interface CommandLine {
	table: string;
	cmd: Cmd;
	rest: string[];
}

const LONG: Record<string, string> = { '--append': 'A', '--insert': 'I', '--delete': 'D', '--list': 'L', '--list-rules': 'S', '--flush': 'F', '--delete-chain': 'X', '--new-chain': 'N', '--policy': 'P', '--zero': 'Z', '--check': 'C', '--replace': 'R', '--rename-chain': 'E' };

/** Commands that take a rule number after the chain. */
const NUMBERED = ['I', 'D', 'R', 'L', 'S', 'Z'];

/** Commands whose chain is required. */
const NEED_CHAIN = ['A', 'I', 'D', 'N', 'P', 'C', 'R', 'E'];

/** A rule number, as parse_rulenumber reads it: a decimal (or 0x, 0 octal) integer up to INT_MAX. */
function ruleNumber(word: string): number {
	const n = /^0[xX][0-9a-fA-F]+$/.test(word) ? parseInt(word, 16) : /^0[0-7]+$/.test(word) ? parseInt(word, 8) : /^\d+$/.test(word) ? Number(word) : NaN;
	if (!(n <= 0x7fffffff)) exitWith(2, `${V}: Invalid rule number \`${word}'\n${TRY}`);
	return n;
}

/** Reads a command's arguments (chain, number, policy or new name) from `argv[i + 1]` on; returns the new index. */
function commandArgs(argv: string[], i: number, op: string, cmd: Cmd): number {
	const next = argv[i + 1];
	if (next !== undefined && !next.startsWith('-')) {
		cmd.chain = next;
		i++;
		// A target of that name would make a jump to the chain ambiguous.
		if (op === 'N' && [...BUILTIN_TARGETS, 'QUEUE'].includes(next)) exitWith(2, `${V}: chain name may not clash with target name\n${TRY}`);
		const num = argv[i + 1];
		// Any word after the chain that is not an option is a rule number (parse_rulenumber).
		if (NUMBERED.includes(op) && num !== undefined && !num.startsWith('-') && !num.startsWith('!')) {
			cmd.num = ruleNumber(num);
			i++;
		} else if (op === 'P' || op === 'E') {
			const v = argv[i + 1];
			if (v === undefined) exitWith(2, `${V}: ${op === 'P' ? '-P requires a chain and a policy' : '-E requires old-chain-name and new-chain-name'}\n${TRY}`);
			if (op === 'P') cmd.policy = v;
			else cmd.newName = v;
			i++;
		}
	} else if (op === 'N' && next !== undefined) {
		exitWith(2, `${V}: chain name not allowed to start with \`-'\n${TRY}`);
	} else if (NEED_CHAIN.includes(op)) {
		exitWith(2, `${V}: option "${argv[i]}" requires an argument\n${TRY}`);
	}
	return i;
}

/** Splits a command line; `-V` and `-h` end iptables at once with their output. */
export function parseCommandLine(argv: string[]): CommandLine {
	let table = 'filter';
	const cmd: Cmd = {};
	const rest: string[] = [];
	const setOp = (op: string): void => {
		// -L and -Z go together: the listing, then the zeroing (CMD_LIST | CMD_ZERO).
		if ((cmd.op === 'L' && op === 'Z') || (cmd.op === 'Z' && op === 'L')) {
			cmd.op = 'L';
			cmd.zero = true;
			return;
		}
		if (cmd.op) exitWith(2, `${V}: Cannot use -${op} with -${cmd.op}\n${TRY}`);
		cmd.op = op;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		const op = LONG[a] ?? (/^-[AIDLSFXNPZCRE]$/.test(a) ? a.slice(1) : undefined);
		if (op) {
			setOp(op);
			i = commandArgs(argv, i, op, cmd);
			continue;
		}
		if (a === '-t' || a === '--table') {
			const v = argv[++i];
			if (v === undefined) exitWith(2, `${V}: option "-t" requires an argument\n${TRY}`);
			table = v;
			continue;
		}
		if (a === '-V' || a === '--version') exitWith(0, '', `${V}\n`);
		if (a === '-h' || a === '--help') exitWith(0, '', `${V}\n\nUsage: iptables -[ACD] chain rule-specification [options]\n`);
		if (/^-[LnvSx]+$/.test(a) && a.includes('L') && !cmd.op) {
			// `-nvL`: the command and listing flags in one cluster.
			setOp('L');
			const flags = a.slice(1).replace('L', '');
			if (flags !== '') rest.push(`-${flags}`);
			const next = argv[i + 1];
			if (next !== undefined && !next.startsWith('-')) {
				cmd.chain = next;
				i++;
			}
			continue;
		}
		rest.push(a);
	}
	return { table, cmd, rest };
}

/** jq 1.6's command line: flags, `--indent`, the `--arg` family, the filter and the files. */
import { JsonSyntaxError, parseJson, parseJsonStream, type Json } from '../json.ts';
import type { ExecResult } from '../../tool/types.ts';
import { inputError } from './input-error.ts';

/** What the command line asks for. */
export interface JqOptions {
	/** -r: strings without quotes. */
	raw: boolean;
	/** -j: like -r, and no newline after each output. */
	join: boolean;
	compact: boolean;
	nullInput: boolean;
	slurp: boolean;
	/** -e: the exit status follows the last output. */
	exitStatus: boolean;
	sortKeys: boolean;
	rawInput: boolean;
	/** Spaces per level; -1 for `--tab`. */
	indent: number;
	filter: string;
	files: string[];
	/** `--arg`, `--argjson`, `--slurpfile`, `--rawfile` variables. */
	vars: Map<string, Json>;
}

/** Reads a file of the simulated host; undefined when it cannot be read. */
export type ReadFile = (path: string) => string | undefined;

const USAGE = `Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n\nThe simplest filter is ., which copies jq's input to its output\nunmodified (except for formatting, but note that IEEE754 is used\nfor number representation internally, with all that that implies).\n\nFor more advanced filters see the jq(1) manpage ("man jq")\nand/or https://stedolan.github.io/jq\n\nExample:\n\n\t$ echo '{"foo": 0}' | jq .\n\t{\n\t\t"foo": 0\n\t}\n\nFor a listing of options, use jq --help.\n`;

const HELP_HINT = 'Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n';

const LONG: Record<string, string> = { '--raw-output': 'r', '--join-output': 'j', '--compact-output': 'c', '--null-input': 'n', '--slurp': 's', '--exit-status': 'e', '--sort-keys': 'S', '--raw-input': 'R', '--tab': 't', '--monochrome-output': 'M', '--color-output': 'C', '--ascii-output': 'a' };

const VAR_OPTIONS = new Set(['--arg', '--argjson', '--slurpfile', '--rawfile']);

const bad = (msg: string, code = 2): ExecResult => ({ stdout: '', stderr: msg, exit: code });

/** Parses argv; a usage error, `--help` or `--version` comes back as the result to print. */
export function parseOptions(argv: string[], readFile: ReadFile): { options: JqOptions } | { result: ExecResult } {
	const o: Omit<JqOptions, 'filter'> & { filter?: string } = { raw: false, join: false, compact: false, nullInput: false, slurp: false, exitStatus: false, sortKeys: false, rawInput: false, indent: 2, files: [], vars: new Map() };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (!(a.startsWith('-') && a.length > 1)) {
			if (o.filter === undefined) o.filter = a;
			else o.files.push(a);
			continue;
		}
		if (VAR_OPTIONS.has(a)) {
			const failed = variableOption(a, argv[i + 1], argv[i + 2], o.vars, readFile);
			if (failed) return { result: failed };
			i += 2;
		} else if (a === '--indent') {
			const n = Number(argv[++i]);
			if (!Number.isInteger(n) || n < 0 || n > 7) return { result: bad(`jq: Cannot indent more than 7 characters\n${HELP_HINT}`) };
			o.indent = n;
		} else {
			const done = flags(a, o);
			if (done) return { result: done };
		}
	}
	if (o.filter === undefined) return { result: bad(USAGE) };
	return { options: { ...o, filter: o.filter } };
}

/** `--arg NAME VALUE` and its kin; returns the failure, if any, after setting the variable. */
function variableOption(a: string, name: string | undefined, val: string | undefined, vars: Map<string, Json>, readFile: ReadFile): ExecResult | undefined {
	if (name === undefined || val === undefined) return bad(`jq: error: ${a} takes two parameters (e.g. ${a} varname ${a === '--arg' ? 'value' : a === '--argjson' ? 'text' : 'filename'})\n${HELP_HINT}`);
	if (a === '--arg') {
		vars.set(name, val);
		return undefined;
	}
	if (a === '--argjson') {
		try {
			vars.set(name, parseJson(val));
			return undefined;
		} catch {
			return bad(`jq: invalid JSON text passed to --argjson\n${HELP_HINT}`);
		}
	}
	const text = readFile(val);
	if (text === undefined) return bad(`jq: Bad JSON in ${a} ${name} ${val}: Could not open ${val}: No such file or directory\n`);
	if (a === '--rawfile') {
		vars.set(name, text);
		return undefined;
	}
	try {
		vars.set(name, parseJsonStream(text));
		return undefined;
	} catch (e) {
		const msg = e instanceof JsonSyntaxError ? inputError(e, text) : 'Invalid JSON';
		return bad(`jq: Bad JSON in --slurpfile ${name} ${val}: ${msg}\n`);
	}
}

/** A long option or a cluster of short flags; returns what to print if it ends the run. */
function flags(a: string, o: Omit<JqOptions, 'filter'>): ExecResult | undefined {
	if (a === '--help' || a === '-h') return { stdout: USAGE.replace('For a listing of options, use jq --help.\n', ''), stderr: '', exit: 0 };
	if (a === '--version') return { stdout: 'jq-1.6\n', stderr: '', exit: 0 };
	const letters = a.startsWith('--') ? LONG[a] : a.slice(1);
	if (letters === undefined || !/^[rjcnseSRtMCa]+$/.test(letters)) return bad(`jq: Unknown option: ${a}\n${USAGE}`);
	// -M, -C and -a are accepted and ignored: output is never coloured nor ASCII-escaped here.
	for (const f of letters) {
		if (f === 'r') o.raw = true;
		else if (f === 'j') o.raw = o.join = true;
		else if (f === 'c') o.compact = true;
		else if (f === 'n') o.nullInput = true;
		else if (f === 's') o.slurp = true;
		else if (f === 'e') o.exitStatus = true;
		else if (f === 'S') o.sortKeys = true;
		else if (f === 'R') o.rawInput = true;
		else if (f === 't') o.indent = -1;
	}
	return undefined;
}

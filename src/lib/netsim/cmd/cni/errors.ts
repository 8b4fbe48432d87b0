/** A CNI plugin's errors (libcni's types.Error), and Go's quoting and errno text its messages use. */
import { STRERROR, type Refusal } from '../../kernel/errno.ts';
import { ToolExit } from '../../tool/exit.ts';
import { goMarshal, JObject } from '../json.ts';

/**
 * A CNI error: the plugin ends with it printed as JSON on stdout, exit 1 (a ToolExit, the tools'
 * one early exit). Its code, message and details stay readable, as plugins wrap one another's
 * errors the way Go's fmt.Errorf does.
 */
export class CniError extends ToolExit {
	constructor(
		readonly code: number,
		readonly msg: string,
		readonly details = '',
	) {
		super(1, '', errorJson(code, msg, details));
	}
}

/** A kernel refusal as Go prints a syscall.Errno: strerror in lower case. */
export function goErrno(r: Refusal): string {
	return STRERROR[r.errno].toLowerCase();
}

/** Error codes of the spec (types.go). */
export const ERR = { incompatibleVersion: 1, unknownContainer: 3, invalidEnv: 4, io: 5, decoding: 6, invalidConfig: 7, internal: 999 } as const;

/** A plugin-internal failure: Go's `fmt.Errorf`, reported with code 999. */
export function fail(msg: string): never {
	throw new CniError(ERR.internal, msg);
}

/** An error as the plugin prints it: Go's json.MarshalIndent with 4 spaces, no final newline. */
function errorJson(code: number, msg: string, details: string): string {
	const o = new JObject([
		['code', code],
		['msg', msg],
	]);
	if (details) o.set('details', details);
	return goMarshal(o, '    ');
}

/** Go's `%q` of a string. */
export function goQ(s: string): string {
	return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQList(l: string[]): string {
	return `[${l.map(goQ).join(' ')}]`;
}

/** iproute2's fixed error wording (lib/utils.c: invarg, duparg, missarg, nodev) and exit codes. */
import { STRERROR, type Refusal, type Result } from '../../kernel/errno.ts';
import { atLeast, type Version } from '../../profile/profile.ts';
import { ToolExit } from '../../tool/exit.ts';

/** `Error: argument "X" is wrong: WHAT` (exit 255). */
export function invarg(what: string, arg: string): never {
	throw new ToolExit(255, `Error: argument "${arg}" is wrong: ${what}\n`);
}

/**
 * lib/utils.c's duparg2: `Error: either "KEY" is duplicate, or "ARG" is a garbage.` (exit 255),
 * as iproute2 6.1 words it; `ip` rewords it for 6.13 and later (forVersion).
 */
export function duparg(key: string, arg: string): never {
	throw new ToolExit(255, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`);
}
/** lib/utils.c's duparg: `Error: duplicate "KEY": "ARG" is the second value.` (exit 255). */
export function duplicate(key: string, arg: string): never {
	throw new ToolExit(255, `Error: duplicate "${key}": "${arg}" is the second value.\n`);
}

/** iproute2 6.13 dropped the article of duparg2's `is a garbage.` */
const GARBAGE = /, or "(.*)" is a garbage\.\n$/;

/** An error worded by iproute2 6.1, as the iproute2 version imitated words it. */
export function forVersion(stderr: string, iproute2: Version): string {
	return atLeast(iproute2, 6, 13) ? stderr.replace(GARBAGE, ', or "$1" is garbage.\n') : stderr;
}

/** `Command line is not complete. Try option "help"` (exit 255). */
export function incomplete(): never {
	throw new ToolExit(255, 'Command line is not complete. Try option "help"\n');
}

/** `Cannot find device "X"` (exit 1). */
export function nodev(name: string): never {
	throw new ToolExit(1, `Cannot find device "${name}"\n`);
}
/** `Error: …` from the kernel's extack (exit 2). */
export function kerr(msg: string): never {
	throw new ToolExit(2, `Error: ${msg}\n`);
}

/** A local error with exit 1. */
export function err1(msg: string): never {
	throw new ToolExit(1, msg);
}

/** `Error: any valid prefix is expected rather than "X".` (exit 1). */
export function badPrefix(arg: string): never {
	throw new ToolExit(1, `Error: any valid prefix is expected rather than "${arg}".\n`);
}

/** `Error: inet address is expected rather than "X".` (exit 1). */
export function badAddr(arg: string): never {
	throw new ToolExit(1, `Error: inet address is expected rather than "${arg}".\n`);
}

/** The kernel's refusal as iproute2 prints it: its extended ack as `Error: …`, else `RTNETLINK answers: <strerror>` (exit 2). */
export function answer(r: Refusal): never {
	throw new ToolExit(2, r.extack !== undefined ? `Error: ${r.extack}\n` : `RTNETLINK answers: ${STRERROR[r.errno]}\n`);
}

/** The value of a kernel operation, or its refusal as iproute2 prints it. */
export function must<T>(r: Result<T>): T {
	if (!r.ok) answer(r);
	return r.value;
}

/** What every `ip` object handler receives. */
import type { Netns } from '../../model/netns.ts';
import type { Vfs } from '../../shell/vfs.ts';
import type { Context } from '../../tool/types.ts';
import type { Args } from '../args.ts';
import { incomplete } from './errors.ts';

/** Global `ip` options. */
export interface IpOpts {
	family?: 4 | 6 | 'link' | undefined;
	json: boolean;
	pretty: boolean;
	brief: boolean;
	details: boolean;
	stats: number;
	oneline: boolean;
	/** `-N`: protocol and scope as numbers. */
	numeric?: boolean | undefined;
}

/** The namespace an `ip` invocation works in plus its options. */
export interface IpCtx {
	ctx: Context;
	ns: Netns;
	opts: IpOpts;
	/** The host's files as this `ip` sees them (after `-n`'s bind mounts). */
	vfs: Vfs;
}

/** Output of a handler. */
export interface IpOut {
	stdout: string;
	stderr?: string | undefined;
	exit?: number | undefined;
}

/** The next word, which must be there (iproute2's NEXT_ARG). */
/** get_u32 (strtoul, base 0): decimal, 0x hex or 0 octal, within 32 bits; undefined otherwise. */
export function getU32(text: string): number | undefined {
	if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(text)) return undefined;
	const n = /^0[xX]/.test(text) ? parseInt(text, 16) : /^0./.test(text) ? parseInt(text, 8) : Number(text);
	return n <= 0xffffffff ? n : undefined;
}

export function nextArg(a: Args): string {
	const v = a.next();
	if (v === undefined) incomplete();
	return v;
}

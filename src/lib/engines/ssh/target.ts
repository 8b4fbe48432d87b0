/** An SSH target as `--target ssh://[user@]host[:port]` names it. */
export interface SshTarget {
	user?: string;
	host: string;
	port?: number;
	/** The target as written, e.g. ssh://pi@raspberrypi.local. */
	label: string;
}

/**
 * Reads `ssh://[user@]host[:port]`; throws one line saying what is wrong otherwise. The user's
 * own ~/.ssh/config still applies to the host (its aliases, keys and ports).
 */
export function parseSshTarget(spec: string): SshTarget {
	const m = /^ssh:\/\/(?:([a-z_][a-z0-9_.-]*)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(spec);
	if (!m) throw new Error(`--target ${spec}: write an SSH target as ssh://[user@]host[:port], e.g. ssh://pi@raspberrypi.local`);
	const port = m[3] === undefined ? undefined : Number(m[3]);
	if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`--target ${spec}: the port must be between 1 and 65535`);
	return { ...(m[1] ? { user: m[1] } : {}), host: m[2]!.replace(/^\[|\]$/g, ''), ...(port === undefined ? {} : { port }), label: spec.replace(/\/$/, '') };
}

/** Which lab and host the tools act on: the environment's say. */
import { join, resolve } from 'node:path';

/** The variables the tools read. */
export interface ToolsEnv {
	/** The state file (default `~/.netsim/state.json`). */
	NETSIM_STATE?: string | undefined;
	/** The lab host to act as (default: the one the state file names). */
	NETSIM_HOST?: string | undefined;
}

/** Where the state file is when NETSIM_STATE is not set: in the home directory, one lab per user. */
export function defaultStatePath(home: string): string {
	return join(home, '.netsim', 'state.json');
}

/** The state file the environment names, as an absolute path (relative to the working directory). */
export function statePath(env: ToolsEnv, home: string): string {
	return env.NETSIM_STATE ? resolve(env.NETSIM_STATE) : defaultStatePath(home);
}

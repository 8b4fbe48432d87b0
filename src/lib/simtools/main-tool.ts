/**
 * The entry of a simulated tool (`npm run -s simtools` bundles it as dist-simtools/lib/tool.mjs):
 * binds `runTool` to the process, its argv, environment, streams and exit status. Each of
 * dist-simtools/bin/ip, ping… calls `tool(NAME)`. It loads the simulator and nothing else (not zod),
 * since every invocation pays for what it loads.
 */
import { homedir } from 'node:os';
import { crashed, finish } from './process-io.ts';
import { runTool, type Outcome } from './tool-command.ts';

/** Runs the simulated tool `name` with this process's arguments. */
export function tool(name: string): void {
	let outcome: Outcome;
	try {
		outcome = runTool(name, process.argv.slice(2), process.env, homedir());
	} catch (e) {
		outcome = crashed(e);
	}
	finish(outcome);
}

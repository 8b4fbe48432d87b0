/** How the util-linux tools here decline a form they do not model: one line, exit 1. */
import type { ExecResult } from '../../tool/types.ts';

const REAL = "run the chapter's script on a real Linux machine";

/** `TOOL: WHAT is not available in this simulator (INSTEAD; for that, run the chapter's script…)`. */
export function decline(tool: string, what: string, instead: string): ExecResult {
	return { stdout: '', stderr: `${tool}: ${what} is not available in this simulator (${instead}; for that, ${REAL})\n`, exit: 1 };
}

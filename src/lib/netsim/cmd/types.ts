/**
 * The tools' types, defined in tool/types.ts (below the shell, which runs tools). Re-exported here
 * for cmd/jq.ts, which another session is splitting; everything else imports tool/types.ts.
 */
export type { Context, ExecResult, Tool } from '../tool/types.ts';

/** sandbox.sh itself: where it is, how it is sealed, and the programs it says it needs. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The bash script that builds the lab and runs the commands inside the sandbox. */
export const SANDBOX_SCRIPT = resolve(import.meta.dirname, 'sandbox.sh');

/** How the sandbox is entered: fresh net, mount, uts, ipc and pid namespaces, private mounts. */
export const SEAL_FLAGS: readonly string[] = ['--net', '--mount', '--uts', '--ipc', '--pid', '--fork', '--mount-proc', '--propagation', 'private'];

/** The programs sandbox.sh declares in its `NEEDS=(…)` line (it checks them itself first). */
export function sandboxNeeds(): string[] {
	const m = /^NEEDS=\(([^)]*)\)/m.exec(readFileSync(SANDBOX_SCRIPT, 'utf8'));
	if (!m) throw new Error(`${SANDBOX_SCRIPT} has no NEEDS=(…) line`);
	return m[1]!.trim().split(/\s+/);
}

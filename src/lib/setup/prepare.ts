import { join } from 'node:path';
import { ROOT } from '../book/paths.ts';
import { machineHost, preflight } from './preflight.ts';
import { requirementsOf, type Purpose } from './requirements.ts';

const WHO: Record<Purpose, string> = { test: 'npm test', verify: 'npm run verify', 'verify-vm': 'npm run verify', lab: 'a machine that runs the labs', bench: 'npm run bench' };

/**
 * Makes this machine ready for `purpose`: installs missing Debian packages when root on Debian,
 * else writes one line naming what is missing and how to install it. Returns the exit code to
 * stop with (1), or 0 to go on. `NETBOOK_NO_INSTALL=1` reports without installing.
 */
export function prepareMachine(purpose: Purpose, root = ROOT): number {
	const host = machineHost(join(root, 'node_modules/.netbook'));
	if (process.env['NETBOOK_NO_INSTALL']) host.canInstall = () => false;
	const result = preflight(WHO[purpose], requirementsOf(purpose, root), host);
	if (result.ok) return 0;
	process.stderr.write(`${result.message}\n`);
	return 1;
}

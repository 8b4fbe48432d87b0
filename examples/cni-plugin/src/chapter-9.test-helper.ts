// What the reference plugins printed in chapter 9, as its snapshot recorded them on the real
// kernel: the unit tests compare the TypeScript plugin's pure parts with these bytes.
import { snapshotPath, ROOT } from '../../../src/lib/book/paths.ts';
import { loadSnapshot } from '../../../src/lib/snapshot/store.ts';

const snapshot = loadSnapshot(snapshotPath(ROOT, '09-cni-by-hand'));

/** Standard output of the first command of chapter 9 that `cmd` matches. */
export function recorded(cmd: RegExp): string {
	const step = snapshot?.blocks.flatMap((b) => b.steps).find((s) => cmd.test(s.cmd));
	if (!step) throw new Error(`chapter 9's snapshot has no command matching ${cmd}`);
	return step.stdout;
}

/** Chapter 9's network configuration, as the chapter gives it to the reference bridge plugin. */
export const podnet = {
	cniVersion: '1.0.0',
	name: 'podnet',
	type: 'bridge',
	bridge: 'cni0',
	isGateway: true,
	ipMasq: true,
	ipam: { type: 'host-local', subnet: '10.22.0.0/16', routes: [{ dst: '0.0.0.0/0' }] },
};

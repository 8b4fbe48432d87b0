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

/**
 * util-linux's namespace tools: unshare, nsenter, setpriv and lsns. Loaded on demand (index.ts
 * `prepare`), since only a few pages run them.
 */
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';
import { lsns } from './lsns.ts';
import { nsenter } from './nsenter.ts';
import { setpriv } from './setpriv.ts';
import { unshare } from './unshare.ts';

/** The tools, by name, for a host file system accessor. */
export function utilLinux(vfsOf: VfsOf): Record<string, Tool> {
	return { unshare, nsenter: nsenter(vfsOf), setpriv, lsns };
}

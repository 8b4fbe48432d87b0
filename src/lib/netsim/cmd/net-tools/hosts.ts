/** Name lookups as net-tools makes them in the lab, whose name service is `files` only (sandbox.sh's nsswitch.conf). */
import type { Vfs } from '../../shell/vfs.ts';
import type { Context } from '../../tool/types.ts';
import { hostsEntries } from '../nss.ts';

/** Address → its first name in /etc/hosts (gethostbyaddr over `files`, cmd/nss.ts). */
export function hostNames(vfs: Vfs, ctx: Context): Map<string, string> {
	const names = new Map<string, string>();
	for (const e of hostsEntries(vfs, ctx.ns, 4)) {
		const addr = e.addrs[0] as string;
		if (e.name && !names.has(addr)) names.set(addr, e.name);
	}
	return names;
}

/** Network → name, as Debian's /etc/networks has them (getnetbyaddr over `files`). */
export const NETWORKS: ReadonlyMap<string, string> = new Map([
	['0.0.0.0', 'default'],
	['127.0.0.0', 'loopback'],
	['169.254.0.0', 'link-local'],
]);

/** Name lookups as net-tools makes them in the lab, whose name service is `files` only (sandbox.sh's nsswitch.conf). */
import type { Vfs } from '../../shell/vfs.ts';
import type { Context } from '../../tool/types.ts';

/** Address → its first name in /etc/hosts (gethostbyaddr over `files`). */
export function hostNames(vfs: Vfs, ctx: Context): Map<string, string> {
	const names = new Map<string, string>();
	const file = vfs.readFile('/etc/hosts', ctx.ns);
	if (!file.ok) return names;
	for (const line of file.value.split('\n')) {
		const [addr, name] = line.replace(/#.*/, '').trim().split(/\s+/);
		if (addr && name && !names.has(addr)) names.set(addr, name);
	}
	return names;
}

/** Network → name, as Debian's /etc/networks has them (getnetbyaddr over `files`). */
export const NETWORKS: ReadonlyMap<string, string> = new Map([
	['0.0.0.0', 'default'],
	['127.0.0.0', 'loopback'],
	['169.254.0.0', 'link-local'],
]);

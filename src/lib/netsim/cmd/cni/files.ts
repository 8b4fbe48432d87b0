/**
 * The CNI plugins' files and commands, without the plugins' code: the page loads that code only
 * when a line names CNI (see `prepare` in src/lib/netsim/index.ts), so every lab still has the
 * files of /usr/lib/cni and their paths as commands from the start.
 */
import type { Vfs } from '../../shell/vfs.ts';
import type { Context, Tool } from '../../tool/types.ts';

/** Where Debian installs the plugins. */
export const CNI_DIR = '/usr/lib/cni';

/** The files of /usr/lib/cni (containernetworking-plugins 1.1.1+ds1-3). */
export const CNI_PLUGIN_NAMES = ['bandwidth', 'bridge', 'dhcp', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tuning', 'vlan', 'vrf'];

/** Installs the plugin files on a host's file system. */
export function installCniPlugins(vfs: Vfs): void {
	vfs.mkdir(CNI_DIR, true);
	for (const n of CNI_PLUGIN_NAMES) vfs.install(`${CNI_DIR}/${n}`, '');
}

/**
 * The plugins' commands, keyed by path, running the plugins `loaded()` returns once their module
 * is there (until then, a line that reached a plugin without naming CNI is asked to run again).
 */
export function cniToolsLoading(vfsOf: (ctx: Context) => Vfs, loaded: () => ((vfsOf: (ctx: Context) => Vfs) => Record<string, Tool>) | undefined): Record<string, Tool> {
	let tools: Record<string, Tool> | undefined;
	const out: Record<string, Tool> = {};
	for (const name of CNI_PLUGIN_NAMES) {
		const path = `${CNI_DIR}/${name}`;
		out[path] = (argv, ctx) => {
			const factory = loaded();
			if (factory) tools ??= factory(vfsOf);
			const tool = tools?.[path];
			return tool ? tool(argv, ctx) : { stdout: '', stderr: `netsim: the CNI plugins are still loading; run the command again\n`, exit: 1 };
		};
	}
	return out;
}

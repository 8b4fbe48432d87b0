/**
 * Debian's containernetworking-plugins as the simulator runs them: every file of /usr/lib/cni,
 * bridge, host-local, loopback and portmap simulated, the others answering like the real binary
 * when run bare and with a CNI error otherwise. A plugin is run by path (`/usr/lib/cni/bridge`);
 * plugins find their delegates through CNI_PATH on the simulated file system.
 */
import type { Vfs } from '../../shell/vfs.ts';
import type { Context, Tool } from '../../tool/types.ts';
import { bridgePlugin } from './bridge.ts';
import { hostLocal } from './host-local.ts';
import { loopbackPlugin } from './loopback.ts';
import { portmapPlugin } from './portmap.ts';
import { runPlugin, type Plugin } from './skel.ts';
import { fail } from './errors.ts';
import { CNI_DIR, CNI_PLUGIN_NAMES } from './files.ts';


function notSimulated(name: string): Plugin {
	const no = (): string => fail(`netsim: the ${name} plugin is not simulated`);
	return { name, add: no, check: no, del: no };
}

/** The plugins by type name. */
function cniPlugins(): Map<string, Plugin> {
	const m = new Map<string, Plugin>();
	for (const n of CNI_PLUGIN_NAMES) m.set(n, notSimulated(n));
	for (const p of [bridgePlugin, hostLocal, loopbackPlugin, portmapPlugin]) m.set(p.name, p);
	return m;
}

/** Tools keyed by their full path, for the shell's registry. */
export function cniTools(vfsOf: (ctx: Context) => Vfs): Record<string, Tool> {
	const plugins = cniPlugins();
	const tools: Record<string, Tool> = {};
	for (const [name, plugin] of plugins) {
		const path = `${CNI_DIR}/${name}`;
		tools[path] = (_argv, ctx) => {
			const vfs = vfsOf(ctx);
			if (!vfs.exists(path, ctx.ns)) return { stdout: '', stderr: `${ctx.where ?? 'bash: line 1: '}${path}: No such file or directory\n`, exit: 127 };
			return runPlugin(plugin, ctx.env, ctx.stdin, { ctx, vfs, plugins });
		};
	}
	return tools;
}

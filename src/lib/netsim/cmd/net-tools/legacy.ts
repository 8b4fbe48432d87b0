/**
 * net-tools' listings that readers type from habit (`arp`, `route`, `netstat -r`): no chapter runs
 * them, so the page loads this module only when a line does (index.ts, `prepare`).
 */
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';
import { arpTool } from './arp.ts';
import { netstatTool, routeTool } from './route.ts';

/** `arp`, `route` and `netstat`, for a host file system accessor. */
export function legacyNetTools(vfsOf: VfsOf): Record<string, Tool> {
	return { arp: arpTool(vfsOf), route: routeTool(vfsOf), netstat: netstatTool(vfsOf) };
}

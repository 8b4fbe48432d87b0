/** Network programs the book runs besides iproute2: `python3 -m http.server`, `curl`, `ss`, `kill` for the servers, glibc's `getent hosts` (name lookups). net-tools' listings are in legacy.ts, loaded on demand. */
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';
import { curlTool } from './curl.ts';
import { getentTool } from './getent.ts';
import { httpServer } from './http-server.ts';
import { kill, ss } from './sockets.ts';

/** The network tools, for a host file system accessor (the server serves files, curl -o writes one). */
export function netTools(vfsOf: VfsOf): Record<string, Tool> {
	const python3 = httpServer(vfsOf);
	return { python3, python: python3, curl: curlTool(vfsOf), ss, kill, getent: getentTool(vfsOf) };
}

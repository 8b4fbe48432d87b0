/**
 * The commands "Open in a full shell" runs, and the ones it offers the reader: the browser types
 * them into the WebContainer's shell, and the tests run the very same lines in bash under Node.
 */
import { NETSIM_DIR, STATE_FILE } from './layout.ts';

/**
 * Typed into the shell once it is ready: builds plugin.js from the sources and starts the
 * simulated lab (chapter 9's, a host called pi). The reader sees it run, as if they had typed it.
 */
export const SETUP_LINE = 'npm run -s build && netsim-lab init --lab machine';

/** The ADD of chapter 9, with this plugin: pod1's eth0 on the bridge cni0. */
export const ADD_LINE = 'CNI_COMMAND=ADD CNI_CONTAINERID=pod1 CNI_NETNS=/run/netns/pod1 CNI_IFNAME=eth0 node plugin.js < conf.json';

/** Its DEL. */
export const DEL_LINE = ADD_LINE.replace('CNI_COMMAND=ADD', 'CNI_COMMAND=DEL');

/** What to try, in order, as the terminal suggests it and the folder's README lists it. */
export const TRY_LINES = ['npm test', 'ip netns add pod1', ADD_LINE, 'ip -n pod1 addr show eth0', 'ip netns exec pod1 ping -c 1 8.8.8.8', DEL_LINE];

/**
 * The environment of the shell in the folder `workdir` (absolute): the simulator's tools first on
 * PATH, before `basePath` (the WebContainer's own PATH, or the test machine's), and the lab's
 * state file named absolutely, so that the tools find the lab from any folder.
 */
export function shellEnv(workdir: string, basePath: string): { PATH: string; NETSIM_STATE: string } {
	const dir = workdir.replace(/\/+$/, '');
	return { PATH: `${dir}/${NETSIM_DIR}/bin:${basePath}`, NETSIM_STATE: `${dir}/${STATE_FILE}` };
}

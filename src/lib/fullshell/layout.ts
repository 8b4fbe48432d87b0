/**
 * Where things are in "Open in a full shell": the folder the WebContainer mounts (and the tests
 * write under Node), the simulator's place in it, and the address the page fetches it from.
 * Pure data: the browser code and the build both read it.
 */

/** The WebContainer's working folder, `/home/tsbridge` (the plugin's name). */
export const WORKDIR_NAME = 'tsbridge';

/** The simulator's command-line tools in the folder: `bin/` (on PATH) and `lib/`. */
export const NETSIM_DIR = 'netsim';

/** The simulated lab's state file, in the folder (NETSIM_STATE). */
export const STATE_FILE = `${NETSIM_DIR}/lab.json`;

/** The plugin's sources in the folder. */
export const SOURCE_DIR = 'src';

/** The bundled type stripper that tools/build.cjs loads. */
export const TRANSPILER_FILE = 'tools/sucrase.cjs';

/** The file tree as JSON, relative to the site's base (`dist/full-shell/tree.json`). */
export const TREE_FILE = 'full-shell/tree.json';

/** The nginx snippet with the isolation headers, relative to the built site. */
export const NGINX_FILE = 'full-shell/nginx.conf';

/** How long the WebContainer may take to boot before the page falls back to the built-in terminal. */
export const BOOT_TIMEOUT_MS = 45_000;

/** The attribute on the component's element: the build finds the pages that embed it by it. */
export const MARKER_ATTRIBUTE = 'data-nb-fullshell';

// Runs as the root package's `preinstall`: stops `npm ci` with one line when the Node that runs
// npm is too old to install the project. npm picks platform packages (rolldown's native binding,
// Astro's compiler) by the engines of the Node that runs *npm*, and silently leaves out those that
// Node cannot run, so an install by Node 18 breaks later with a stack trace about a missing
// binding. npm 10.9 and newer stop before installing anything, from package.json's `devEngines`;
// older npm (Debian's npm 9) only runs this script, after the install.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const range = pkg.devEngines.runtime.version;

/** Whether version "a.b.c" satisfies a range of `^a.b.c` and `>=a.b.c` parts joined by `||`. */
function satisfies(version, range) {
	const v = version.split('.').map(Number);
	const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
	return range.split('||').some((part) => {
		const m = /^\s*(\^|>=)(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
		if (!m) throw new Error(`check-installer: unsupported range part "${part}" in devEngines.runtime.version`);
		const min = m.slice(2).map(Number);
		return cmp(v, min) >= 0 && (m[1] === '>=' || v[0] === min[0]);
	});
}

// npm names the Node that runs it in its user agent: "npm/9.2.0 node/v18.20.4 linux x64 …".
const agent = process.env.npm_config_user_agent ?? '';
const found = /\bnode\/v(\d+\.\d+\.\d+)/.exec(agent)?.[1];
if (found && !satisfies(found, range)) {
	console.error(
		`error: npm runs on Node ${found}, too old to install this project (it needs Node ${range} to run npm; ` +
			'the book itself then runs on the Node 24 it installs). Install a newer Node.js and npm ' +
			'(Debian 13: apt-get install nodejs npm; or Node 22 LTS from nodejs.org), then run npm ci again.',
	);
	process.exit(1);
}

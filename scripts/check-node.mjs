// Fails loudly, in one line, when a script cannot work: it runs on a Node older than the one the
// project pins, or node_modules was installed by an npm on a Node too old for it (npm then leaves
// out rolldown's native binding, and Vite, Vitest and Astro die with a stack trace).
// npm puts node_modules/.bin first on PATH, so `npm run` gets the pinned Node 24 (devDependency "node").
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
	console.error(
		`error: this project needs Node 24 (found ${process.version} at ${process.execPath}).\n` +
			'  hint: run it through npm (npm start, npm test, npm run …) after `npm ci`, which installs the pinned Node 24.',
	);
	process.exit(1);
}
try {
	await import('rolldown');
} catch (e) {
	// Only a missing native binding means a broken install; anything else is for the tools to report.
	if (/binding/i.test(String(e.message))) fail(e);
}

function fail(e) {
	console.error(
		`error: node_modules is incomplete (${String(e.message).split(/\.\s|\n/)[0]}). It was probably installed by npm on a Node ` +
			'older than 20.19; install a newer Node.js and npm (see README.md), then run npm ci again.',
	);
	process.exit(1);
}

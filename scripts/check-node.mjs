// Fails loudly when a script runs on a Node older than the one the project pins.
// npm puts node_modules/.bin first on PATH, so `npm run` gets the pinned Node 24 (devDependency "node").
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
	console.error(
		`error: this project needs Node 24 (found ${process.version} at ${process.execPath}).\n` +
			'  hint: run it through npm (npm start, npm test, npm run …) after `npm ci`, which installs the pinned Node 24.',
	);
	process.exit(1);
}

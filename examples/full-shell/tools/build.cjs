#!/usr/bin/env node
// npm run build: turns the plugin's TypeScript (src/*.ts, tests aside) into JavaScript that this
// Node.js runs, one file each in build/, and writes plugin.js to start build/main.js.
//
// The types are removed, not checked: sucrase (bundled in tools/sucrase.cjs) only strips them,
// which is all the plugin's sources need (they use no enums and no parameter properties). The
// sources import each other as './x.ts'; the built files are './x.js'.
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { transform } = require('./sucrase.cjs');

const root = join(__dirname, '..');
const out = join(root, 'build');
// Built beside build/ first, so that a file that fails to build leaves the last good build running.
const next = join(root, 'build.next');
const sources = readdirSync(join(root, 'src')).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).sort();
if (!sources.length) {
	process.stderr.write('build: no TypeScript files in src/: nothing to build\n');
	process.exit(1);
}

rmSync(next, { recursive: true, force: true });
mkdirSync(next);
let failed = 0;
for (const name of sources) {
	const file = `src/${name}`;
	try {
		const { code } = transform(readFileSync(join(root, file), 'utf8'), {
			transforms: ['typescript', 'imports'],
			disableESTransforms: true,
			filePath: file,
		});
		const js = code.replace(/require\((['"])(\.\.?\/[^'"]+)\.ts\1\)/g, 'require($1$2.js$1)');
		writeFileSync(join(next, name.replace(/\.ts$/, '.js')), js);
	} catch (e) {
		failed++;
		// sucrase names the line and column: "Unexpected token (12:5)".
		process.stderr.write(`build: ${file}: ${e.message}\n`);
	}
}
if (failed) {
	rmSync(next, { recursive: true, force: true });
	process.stderr.write(`build: ${failed} of ${sources.length} files failed; plugin.js still runs the last good build\n`);
	process.exit(1);
}
rmSync(out, { recursive: true, force: true });
renameSync(next, out);
writeFileSync(
	join(root, 'plugin.js'),
	"#!/usr/bin/env node\n// Built by `npm run build` from src/: edit those files, not this one.\nrequire('./build/main.js');\n",
);
process.stdout.write(`build: ${sources.length} files from src/ into build/; run the plugin with node plugin.js\n`);

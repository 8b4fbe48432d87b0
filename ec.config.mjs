// @ts-check
// Expressive Code configuration, read by Starlight. The recorded-output plugin is TypeScript
// that imports the runbook parser; Node loads this file natively, so it goes through tsx.
import { defineEcConfig } from '@astrojs/starlight/expressive-code';
import { tsImport } from 'tsx/esm/api';

/** @type {typeof import('./src/plugins/recorded-output/index.ts')} */
const { pluginRecordedOutput } = await tsImport('./src/plugins/recorded-output/index.ts', import.meta.url);

export default defineEcConfig({
	plugins: [pluginRecordedOutput()],
	// Commands wrap, indented under their prompt, so a long one is read whole on any screen (the
	// copy button still copies it on one line); recorded output keeps its columns and scrolls.
	defaultProps: { overridesByLang: { sh: { wrap: true, hangingIndent: 4 } } },
});

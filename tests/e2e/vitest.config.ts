import { defineConfig } from 'vitest/config';

/**
 * Browser tests against the built site: `vitest run -c tests/e2e/vitest.config.ts`.
 * The global setup builds the site first unless dist/ is newer than every source.
 * NETBOOK_BOOK=./tests/fixtures/book tests the fixture book instead of the real one.
 */
export default defineConfig({
	test: {
		root: new URL('../..', import.meta.url).pathname,
		include: ['tests/e2e/**/*.e2e.ts'],
		globalSetup: ['tests/e2e/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 300_000,
		fileParallelism: false,
	},
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserBundleSize } from './bundle.ts';

const root = join(import.meta.dirname, '../../..');

describe('the simulator bundled for the browser', () => {
	it('keeps jq, tcpdump, the CNI plugins, util-linux\'s namespace tools and net-tools\' listings off the first load, and the first load within 90 KB gzip', async () => {
		const size = await browserBundleSize(join(root, 'src/lib/netsim/index.ts'));
		const demand = Object.keys(size.onDemand).map((k) => k.replace(/^.*src\/lib\/netsim\//, ''));
		expect(demand).toEqual(expect.arrayContaining(['cmd/jq/index.ts', 'cmd/cni/index.ts', 'cmd/tcpdump/index.ts', 'cmd/util-linux/index.ts', 'cmd/net-tools/legacy.ts']));
		// The budget: what opening the terminal downloads for the simulator (docs/simulator.md).
		expect(size.firstLoad.gzip).toBeLessThanOrEqual(90 * 1024);
		const onDemand = Object.values(size.onDemand).reduce((n, b) => n + b.raw, 0);
		expect(size.firstLoad.raw + onDemand).toBe(size.raw);
	}, 60_000);
});

import { describe, expect, it } from 'vitest';
import { cases, load } from './fixtures.test-helper.ts';
import { renderTopologySvgElk } from './layout-elk.ts';
import { checkXml } from './xml.test-helper.ts';

describe('elkjs layout (build time)', () => {
	it.each(cases)('$name: well-formed, every interface labelled, deterministic', async ({ name }) => {
		const input = load(name);
		const svg = await renderTopologySvgElk(input);
		expect(checkXml(svg)).toEqual([]);
		expect(svg).toContain('role="img"');
		expect(await renderTopologySvgElk(load(name))).toBe(svg);
	});

	it('matches the recorded SVG of the bridge scene', async () => {
		await expect(await renderTopologySvgElk(load('bridge'))).toMatchFileSnapshot('../../../tests/fixtures/topology/svg-elk/bridge.svg');
	});
});

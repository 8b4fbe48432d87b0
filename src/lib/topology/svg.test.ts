import { describe, expect, it } from 'vitest';
import { describeTopology, summarizeTopology } from './describe.ts';
import { cases, load } from './fixtures.test-helper.ts';
import { renderTopologySvg } from './render.ts';
import { toTopology } from './to-topology.ts';
import { checkXml } from './xml.test-helper.ts';

const SNAPSHOTS = '../../../tests/fixtures/topology';

describe.each(cases)('$name ($lab lab)', ({ name }) => {
	const input = load(name);
	const topology = toTopology(input.state, input.lab);
	const svg = renderTopologySvg(topology);

	it('matches the recorded SVG', async () => {
		await expect(svg).toMatchFileSnapshot(`${SNAPSHOTS}/svg/${name}.svg`);
	});

	it('matches the recorded text alternative', async () => {
		await expect(`${summarizeTopology(topology)}\n\n${describeTopology(topology)}\n`).toMatchFileSnapshot(`${SNAPSHOTS}/text/${name}.txt`);
	});

	it('is well-formed XML', () => {
		expect(checkXml(svg)).toEqual([]);
	});

	it('labels every interface with its name and IPv4 addresses', () => {
		const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
		for (const h of topology.hosts)
			for (const ns of h.namespaces)
				for (const i of ns.interfaces) {
					expect(texts).toContain(i.name);
					for (const a of i.addresses.filter((x) => x.family === 'inet')) expect(texts.some((t) => t?.includes(a.cidr))).toBe(true);
				}
	});

	it('is accessible: role, title and desc named by aria-labelledby', () => {
		const open = svg.slice(0, svg.indexOf('>') + 1);
		expect(open).toContain('role="img"');
		expect(open).toMatch(/viewBox="0 0 \d+ \d+"/);
		expect(open).not.toMatch(/\swidth=/);
		const [, title, desc] = open.match(/aria-labelledby="(\S+) (\S+)"/)!;
		expect(svg).toContain(`<title id="${title}">`);
		expect(svg).toContain(`<desc id="${desc}">`);
		expect(svg.indexOf('<title')).toBeLessThan(svg.indexOf('<desc'));
	});

	it('is deterministic', () => {
		expect(renderTopologySvg({ state: structuredClone(input.state), lab: input.lab })).toBe(svg);
	});
});

describe('render options', () => {
	it('uses the given title, description and id, and can leave the style out', () => {
		const { state, lab } = load('bridge');
		const svg = renderTopologySvg({ state, lab }, { title: 'A bridge & two namespaces', description: 'alice <-> bob', id: 'fig1', omitStyle: true });
		expect(svg).toContain('<title id="fig1-title">A bridge &amp; two namespaces</title>');
		expect(svg).toContain('<desc id="fig1-desc">alice &lt;-&gt; bob</desc>');
		expect(svg).not.toContain('<style>');
		expect(checkXml(svg)).toEqual([]);
	});

	it('follows Starlight\'s dark theme and the system preference', () => {
		const svg = renderTopologySvg(load('veth-pair'));
		expect(svg).toContain(":root[data-theme='dark'] .topo{");
		expect(svg).toContain('@media (prefers-color-scheme:dark)');
	});
});

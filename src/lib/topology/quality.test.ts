import { describe, expect, it } from 'vitest';
import { cases, load } from './fixtures.test-helper.ts';
import type { Layout, PlacedNode, PlacedWire } from './layout.ts';
import { layoutSimple } from './layout-simple.ts';
import { measureLayout } from './quality.ts';
import { toScene } from './scene.ts';
import { toTopology } from './to-topology.ts';

const box = (id: string, x: number, y: number, w: number, h: number, parent?: string): PlacedNode => ({
	id,
	kind: parent ? 'netns' : 'host',
	...(parent ? { parent } : {}),
	title: id,
	lines: [],
	x,
	y,
	w,
	h,
});
const wire = (id: string, source: string, target: string, ...points: [number, number][]): PlacedWire => ({
	id,
	kind: 'veth',
	source,
	target,
	up: true,
	points: points.map(([x, y]) => ({ x, y })),
});
const layout = (nodes: PlacedNode[], wires: PlacedWire[]): Layout => ({ width: 200, height: 100, nodes, ports: [], wires });

describe('measureLayout', () => {
	it('counts crossing wires, not wires that meet at an end or run apart', () => {
		const q = measureLayout(layout([], [wire('a', 'p', 'q', [0, 50], [100, 50]), wire('b', 'r', 's', [50, 0], [50, 100]), wire('c', 't', 'u', [100, 50], [100, 100])]));
		expect(q.crossings).toBe(1);
		expect(q.findings).toEqual(['crossing: a × b']);
	});

	it('counts wires running along each other', () => {
		expect(measureLayout(layout([], [wire('a', 'p', 'q', [0, 0], [100, 0]), wire('b', 'r', 's', [50, 0], [150, 0])])).sharedRuns).toBe(1);
	});

	it('counts boxes that overlap, but not a box inside its container', () => {
		const q = measureLayout(layout([box('h', 0, 0, 100, 100), box('n', 10, 10, 30, 30, 'h'), box('k', 90, 90, 40, 40)], []));
		expect(q.findings).toEqual(['overlap: h / k']);
		expect(q.overlaps).toBe(1);
	});

	it('counts a wire through a box that neither holds nor is its end', () => {
		const nodes = [box('h', 0, 0, 200, 100), box('a', 10, 40, 20, 20, 'h'), box('m', 80, 30, 40, 40, 'h'), box('b', 170, 40, 20, 20, 'h')];
		const q = measureLayout(layout(nodes, [wire('w', 'a', 'b', [30, 50], [170, 50])]));
		expect(q.findings).toEqual(['through: w → m']);
	});

	it('measures size, length and bends', () => {
		const q = measureLayout(layout([], [wire('w', 'a', 'b', [0, 0], [0, 10], [30, 10], [30, 50])]));
		expect(q).toMatchObject({ width: 200, height: 100, area: 20000, aspect: 2, wireLength: 80, bends: 2 });
	});
});

describe('the hand layout on every recorded scene', () => {
	it.each(cases)('$name: no crossing, overlap, shared run, or wire through a box', ({ name }) => {
		const { state, lab } = load(name);
		const q = measureLayout(layoutSimple(toScene(toTopology(state, lab))));
		expect(q.findings).toEqual([]);
		expect(q.wireLength).toBeGreaterThan(0);
	});
});

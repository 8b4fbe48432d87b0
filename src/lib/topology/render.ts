import { describeTopology, summarizeTopology } from './describe.ts';
import type { KernelState } from './ip-json.ts';
import type { Layout } from './layout.ts';
import { layoutSimple } from './layout-simple.ts';
import type { Topology, TopologyLab } from './model.ts';
import { toScene } from './scene.ts';
import { printSvg } from './svg.ts';
import { toTopology, type TopologyOptions } from './to-topology.ts';

/** What to draw: a ready Topology, or recorded state with its lab. */
export type TopologyInput = Topology | { state: KernelState | unknown; lab: TopologyLab; options?: TopologyOptions };

/** Options of the render functions. */
export interface RenderOptions {
	/** Accessible name; default: {@link summarizeTopology}. */
	title?: string;
	/** Text alternative; default: {@link describeTopology}. */
	description?: string;
	/** Id prefix for the SVG's internal ids (see `printSvg`). */
	id?: string;
	/** Leave out the embedded `<style>`. */
	omitStyle?: boolean;
}

/** Turns either input form into a Topology. */
export function asTopology(input: TopologyInput): Topology {
	return 'state' in input ? toTopology(input.state, input.lab, input.options) : input;
}

/** Prints a finished layout of a topology with its title and description. */
export function renderLayout(topology: Topology, layout: Layout, options: RenderOptions = {}): string {
	return printSvg(layout, {
		title: options.title ?? summarizeTopology(topology),
		description: options.description ?? describeTopology(topology),
		...(options.id !== undefined ? { id: options.id } : {}),
		...(options.omitStyle ? { omitStyle: true } : {}),
	});
}

/**
 * Draws a topology as an SVG string with the hand-written layout: synchronous, no dependencies,
 * safe in the page. The book's diagrams (at build time) and the live one beside the terminal
 * both come from here.
 */
export function renderTopologySvg(input: TopologyInput, options: RenderOptions = {}): string {
	const topology = asTopology(input);
	return renderLayout(topology, layoutSimple(toScene(topology)), options);
}

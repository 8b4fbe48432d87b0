/**
 * Topology: recorded kernel state (or the simulator's `lab.state()`) → model → layout → SVG.
 * Everything here is browser-safe (no `node:` imports, no packages) and synchronous: the build
 * draws the book's diagrams with it, and the page the live one, with the same layout.
 */
export type { IpAddr, IpLink, IpNeigh, IpRoute, KernelState, NetnsState } from './ip-json.ts';
export { readState } from './ip-json.ts';
export type {
	InterfaceKind,
	LinkState,
	PeerHint,
	Topology,
	TopologyAddress,
	TopologyBridge,
	TopologyGhost,
	TopologyHost,
	TopologyInterface,
	TopologyLab,
	TopologyLink,
	TopologyNamespace,
	TopologySwitch,
	TopologyUpstream,
} from './model.ts';
export { ifaceId, netnsId } from './model.ts';
export { toTopology, type TopologyOptions } from './to-topology.ts';
export { describeTopology, summarizeTopology } from './describe.ts';
export { toScene, type Scene, type SceneEdge, type SceneNode, type ScenePort } from './scene.ts';
export type { Layout, PlacedNode, PlacedPort, PlacedWire, Point } from './layout.ts';
export { layoutSimple } from './layout-simple.ts';
export { printSvg, type SvgOptions } from './svg.ts';
export { TOPOLOGY_CSS } from './svg-style.ts';
export { asTopology, renderLayout, renderTopologySvg, type RenderOptions, type TopologyInput } from './render.ts';
export { describeHooks, hooksDiagram, layoutHooks, DRAWN_TABLES, HOOKS_GEOMETRY, type HooksBox, type HooksDiagram, type HooksLayout, type HooksStage } from './netfilter-diagram.ts';
export { HOOKS_CSS, printHooksSvg, renderHooksSvg, type HooksSvgOptions } from './netfilter-svg.ts';

/**
 * What the plugin builds and reads, one `ip` command each: the bridge, the veth pair, the
 * container's address and routes. Reads parse `ip -j` JSON, never the text meant for people.
 */
import { ip, ipJson, run } from './run.ts';
import { Code, CniError } from './spec.ts';
import type { System } from './system.ts';

/** A link as `ip -j -d link show` prints it: the fields this plugin reads. */
export interface Link {
	ifname: string;
	address?: string;
	master?: string;
	linkinfo?: { info_kind?: string };
}

/** A route as `ip -j route show` prints it. */
export interface KernelRoute {
	dst: string;
	gateway?: string;
}

/**
 * Every link of the host's namespace or of the container's. When the container's cannot be
 * entered: `ifGone` if given, else code 3 (the spec's "container unknown or does not exist").
 */
export function links(sys: System, netns?: string, ifGone?: Link[]): Link[] {
	try {
		return ipJson<Link>(sys, ['-d', 'link', 'show'], netns);
	} catch (e) {
		if (netns === undefined || !(e instanceof CniError) || !/^nsenter:/m.test(e.details ?? '')) throw e;
		if (ifGone) return ifGone;
		throw new CniError(Code.unknownContainer, `cannot enter the network namespace ${netns}`, e.details);
	}
}

/** The link called `name`, if there is one. */
export const findLink = (sys: System, name: string, netns?: string): Link | undefined => links(sys, netns).find((l) => l.ifname === name);

/** The IPv4 addresses of a link, as `10.22.0.2/16`. */
export function addresses(sys: System, dev: string, netns?: string): string[] {
	const shown = ipJson<{ addr_info?: { family: string; local: string; prefixlen: number }[] }>(sys, ['addr', 'show', 'dev', dev], netns);
	return shown.flatMap((l) => l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
}

/** The container's main routing table. */
export const routes = (sys: System, netns: string): KernelRoute[] => ipJson<KernelRoute>(sys, ['route', 'show'], netns);

/** True when the kernel's `dst` (`default`, `10.0.0.0/8`, or `10.0.0.5` for a /32) is the CIDR `cidr`. */
export const sameDestination = (dst: string, cidr: string): boolean =>
	dst === cidr || (dst === 'default' && cidr === '0.0.0.0/0') || `${dst}/32` === cidr;

/** Creates the bridge unless it exists, brings it up, and returns its MAC address. */
export function ensureBridge(sys: System, name: string): string | undefined {
	const found = findLink(sys, name);
	if (found && found.linkinfo?.info_kind !== 'bridge')
		throw new CniError(Code.invalidConfig, `${name} exists and is not a bridge`, 'name another bridge in the configuration\'s "bridge"');
	if (!found) ip(sys, ['link', 'add', 'name', name, 'type', 'bridge']);
	ip(sys, ['link', 'set', 'dev', name, 'up']);
	return (found ?? findLink(sys, name))?.address;
}

/**
 * Makes the bridge the containers' gateway: it gets `gateway` (a CIDR) and keeps `mac`, and the
 * host forwards. A bridge whose MAC was never set takes the lowest MAC among its ports, so the
 * gateway's MAC would change as containers come and go; setting it once keeps it.
 */
export function becomeGateway(sys: System, bridge: string, gateway: string, mac: string | undefined): void {
	if (!addresses(sys, bridge).includes(gateway)) ip(sys, ['addr', 'add', gateway, 'brd', '+', 'dev', bridge]);
	if (mac) ip(sys, ['link', 'set', 'dev', bridge, 'address', mac]);
	run(sys, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
}

/**
 * The veth pair: `host` stays here, `ifname` goes into the container, both with a transmit queue
 * length of 0 as the reference plugin creates them. Then `host` joins the bridge and comes up.
 */
export function plugVeth(sys: System, host: string, ifname: string, netns: string, bridge: string): void {
	ip(sys, ['link', 'add', 'name', host, 'txqlen', '0', 'type', 'veth', 'peer', 'name', ifname, 'txqlen', '0', 'netns', netns]);
	ip(sys, ['link', 'set', 'dev', host, 'master', bridge, 'up']);
}

/** Inside the container: the address (with its broadcast address), the link up, then the routes. */
export function configureContainer(sys: System, netns: string, ifname: string, address: string, routesVia: { dst: string; gw: string }[]): void {
	ip(sys, ['addr', 'add', address, 'brd', '+', 'dev', ifname], netns);
	ip(sys, ['link', 'set', 'dev', ifname, 'up'], netns);
	for (const r of routesVia) ip(sys, ['route', 'add', r.dst, 'via', r.gw, 'dev', ifname], netns);
}

/** Deletes a link; deleting one end of a veth pair deletes both. */
export const deleteLink = (sys: System, name: string, netns?: string): void => void ip(sys, ['link', 'del', 'dev', name], netns);

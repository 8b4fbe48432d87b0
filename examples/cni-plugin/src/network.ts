/**
 * What the plugin builds and reads, one `ip` command each: the bridge, the veth pair, the
 * container's address and routes. Reads parse `ip -j` JSON, never the text meant for people.
 */
import { ip, ipJson, run } from './run.ts';
import { Code, CniError } from './spec.ts';

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
export function links(netns?: string, ifGone?: Link[]): Link[] {
	try {
		return ipJson<Link>(['-d', 'link', 'show'], netns);
	} catch (e) {
		if (netns === undefined || !(e instanceof CniError) || !/^nsenter:/m.test(e.details ?? '')) throw e;
		if (ifGone) return ifGone;
		throw new CniError(Code.unknownContainer, `cannot enter the network namespace ${netns}`, e.details);
	}
}

/** The link called `name`, if there is one. */
export const findLink = (name: string, netns?: string): Link | undefined => links(netns).find((l) => l.ifname === name);

/** The IPv4 addresses of a link, as `10.22.0.2/16`. */
export function addresses(dev: string, netns?: string): string[] {
	const shown = ipJson<{ addr_info?: { family: string; local: string; prefixlen: number }[] }>(['addr', 'show', 'dev', dev], netns);
	return shown.flatMap((l) => l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
}

/** The container's main routing table. */
export const routes = (netns: string): KernelRoute[] => ipJson<KernelRoute>(['route', 'show'], netns);

/** True when the kernel's `dst` (`default`, `10.0.0.0/8`, or `10.0.0.5` for a /32) is the CIDR `cidr`. */
export const sameDestination = (dst: string, cidr: string): boolean =>
	dst === cidr || (dst === 'default' && cidr === '0.0.0.0/0') || `${dst}/32` === cidr;

/** Creates the bridge unless it exists, brings it up, and returns its MAC address. */
export function ensureBridge(name: string): string | undefined {
	const found = findLink(name);
	if (found && found.linkinfo?.info_kind !== 'bridge')
		throw new CniError(Code.invalidConfig, `${name} exists and is not a bridge`, 'name another bridge in the configuration\'s "bridge"');
	if (!found) ip(['link', 'add', 'name', name, 'type', 'bridge']);
	ip(['link', 'set', 'dev', name, 'up']);
	return (found ?? findLink(name))?.address;
}

/**
 * Makes the bridge the containers' gateway: it gets `gateway` (a CIDR) and keeps `mac`, and the
 * host forwards. A bridge whose MAC was never set takes the lowest MAC among its ports, so the
 * gateway's MAC would change as containers come and go; setting it once keeps it.
 */
export function becomeGateway(bridge: string, gateway: string, mac: string | undefined): void {
	if (!addresses(bridge).includes(gateway)) ip(['addr', 'add', gateway, 'brd', '+', 'dev', bridge]);
	if (mac) ip(['link', 'set', 'dev', bridge, 'address', mac]);
	run('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
}

/**
 * The veth pair: `host` stays here, `ifname` goes into the container, both with a transmit queue
 * length of 0 as the reference plugin creates them. Then `host` joins the bridge and comes up.
 */
export function plugVeth(host: string, ifname: string, netns: string, bridge: string): void {
	ip(['link', 'add', 'name', host, 'txqlen', '0', 'type', 'veth', 'peer', 'name', ifname, 'txqlen', '0', 'netns', netns]);
	ip(['link', 'set', 'dev', host, 'master', bridge, 'up']);
}

/** Inside the container: the address (with its broadcast address), the link up, then the routes. */
export function configureContainer(netns: string, ifname: string, address: string, routesVia: { dst: string; gw: string }[]): void {
	ip(['addr', 'add', address, 'brd', '+', 'dev', ifname], netns);
	ip(['link', 'set', 'dev', ifname, 'up'], netns);
	for (const r of routesVia) ip(['route', 'add', r.dst, 'via', r.gw, 'dev', ifname], netns);
}

/** Deletes a link; deleting one end of a veth pair deletes both. */
export const deleteLink = (name: string, netns?: string): void => void ip(['link', 'del', 'dev', name], netns);

/**
 * The CNI commands: ADD plugs a container into the bridge, DEL unplugs it (and may come twice),
 * CHECK compares what is there with ADD's result, VERSION names the spec versions it speaks.
 */
import { decode, parseEnv, parseNetConf, type Env, type NetConf } from './config.ts';
import { AddressStore } from './ipam.ts';
import { formatIpv4, type Cidr } from './ipv4.ts';
import { addMasquerade, hasMasquerade, removeMasquerade } from './masquerade.ts';
import * as net from './network.ts';
import { CNI_VERSION, Code, CniError, errorJson, SUPPORTED_VERSIONS, type Result, type Route } from './spec.ts';
import type { System } from './system.ts';

/** What one call prints on standard output, and its exit status. */
export interface Outcome {
	stdout: string;
	exit: number;
}

/**
 * Runs one call: `env` holds the CNI_* variables, `readStdin` gives the network configuration,
 * `sys` is the machine it changes (Node's in main.ts).
 */
export function runPlugin(env: Record<string, string | undefined>, readStdin: () => string, sys: System): Outcome {
	let cniVersion = CNI_VERSION;
	try {
		const call = parseEnv(env); // first: a plugin started by hand must not wait for input
		let text: string;
		try {
			text = readStdin();
		} catch (e) {
			throw new CniError(Code.ioFailure, 'cannot read standard input', (e as Error).message);
		}
		const raw = decode(text);
		if (typeof raw['cniVersion'] === 'string') cniVersion = raw['cniVersion'];
		if (call.command === 'VERSION') return { stdout: `${JSON.stringify({ cniVersion, supportedVersions: SUPPORTED_VERSIONS })}\n`, exit: 0 };
		const conf = parseNetConf(raw);
		if (call.command === 'ADD') return { stdout: JSON.stringify(add(sys, call, conf), null, 4), exit: 0 };
		if (call.command === 'DEL') del(sys, call, conf);
		else check(sys, call, conf);
		return { stdout: '', exit: 0 };
	} catch (e) {
		// The file system's errors (the address files) are the spec's I/O failures; anything else is a bug.
		const io = (e as NodeJS.ErrnoException).syscall ? new CniError(Code.ioFailure, 'cannot use the address files (ipam.dataDir)', (e as Error).message) : undefined;
		const error = e instanceof CniError ? e : io;
		if (error) return { stdout: errorJson(error, cniVersion), exit: 1 };
		throw e;
	}
}

/** The container's routes: IPAM's, plus one to the default gateway for `isDefaultGateway`. */
export function containerRoutes(conf: NetConf): Route[] {
	const { routes, gateway } = conf.ipam;
	if (!conf.isDefaultGateway || routes.some((r) => r.dst === '0.0.0.0/0')) return routes;
	return [...routes, { dst: '0.0.0.0/0', gw: formatIpv4(gateway) }];
}

/** ADD's result: the bridge, the host's end of the pair, the container's end, as the reference plugin orders them. */
export function buildResult(conf: NetConf, call: Env, host: string, macs: (string | undefined)[], address: Cidr): Result {
	const withMac = (name: string, mac: string | undefined) => (mac ? { name, mac } : { name });
	return {
		cniVersion: conf.cniVersion,
		interfaces: [withMac(conf.bridge, macs[0]), withMac(host, macs[1]), { ...withMac(call.ifname, macs[2]), sandbox: call.netns ?? '' }],
		ips: [{ interface: 2, address: `${formatIpv4(address.address)}/${address.prefix}`, gateway: formatIpv4(conf.ipam.gateway) }],
		routes: containerRoutes(conf),
		dns: conf.dns,
	};
}

function add(sys: System, call: Env, conf: NetConf): Result {
	const netns = call.netns as string; // parseEnv requires it for ADD
	if (net.findLink(sys, call.ifname, netns)) throw new CniError(Code.interfaceExists, `${call.ifname} already exists in ${netns}`, 'a runtime sends DEL before it repeats an ADD');
	const { ipam } = conf;
	const gateway = formatIpv4(ipam.gateway);
	const host = `veth${sys.randomHex(4)}`;
	const bridgeMac = net.ensureBridge(sys, conf.bridge);
	try {
		// The reference plugin's order, so that both leave the kernel in the same state.
		net.plugVeth(sys, host, call.ifname, netns, conf.bridge);
		const address = { address: new AddressStore(sys.files, ipam, conf.name).reserve(call.containerId, call.ifname), prefix: ipam.subnet.prefix };
		const routes = containerRoutes(conf).map((r) => ({ dst: r.dst, gw: r.gw ?? gateway }));
		net.configureContainer(sys, netns, call.ifname, `${formatIpv4(address.address)}/${address.prefix}`, routes);
		if (conf.isGateway) net.becomeGateway(sys, conf.bridge, `${gateway}/${address.prefix}`, bridgeMac);
		if (conf.ipMasq) addMasquerade(sys, conf.name, call.containerId, address);
		const macs = [net.findLink(sys, conf.bridge), net.findLink(sys, host), net.findLink(sys, call.ifname, netns)].map((l) => l?.address);
		return buildResult(conf, call, host, macs, address);
	} catch (e) {
		// A failed ADD leaves nothing behind: undo it, then report the first error.
		try {
			del(sys, call, conf);
		} catch {
			// already reporting one
		}
		throw e;
	}
}

function del(sys: System, call: Env, conf: NetConf): void {
	// The namespace may be gone (its veth pair went with it): then there is nothing to delete there.
	const inside = call.netns === undefined ? [] : net.links(sys, call.netns, []);
	if (inside.some((l) => l.ifname === call.ifname)) net.deleteLink(sys, call.ifname, call.netns);
	// Without a namespace, the host's end that prevResult names still leads to the pair.
	const host = conf.prevResult?.interfaces.find((i) => !i.sandbox && i.name !== conf.bridge);
	if (host && net.findLink(sys, host.name)) net.deleteLink(sys, host.name);
	if (conf.ipMasq) removeMasquerade(sys, conf.name, call.containerId);
	new AddressStore(sys.files, conf.ipam, conf.name).release(call.containerId, call.ifname);
}

function check(sys: System, call: Env, conf: NetConf): void {
	const prev = conf.prevResult;
	if (!prev) throw new CniError(Code.invalidConfig, 'CHECK needs prevResult', 'add the result of the ADD to the configuration as "prevResult"');
	const netns = call.netns as string;
	const fail = (what: string): CniError => new CniError(Code.checkFailed, what, `compared with prevResult for ${call.containerId} in ${netns}`);
	const index = prev.interfaces.findIndex((i) => i.name === call.ifname && i.sandbox === netns);
	const link = net.findLink(sys, call.ifname, netns);
	if (index < 0 || !link) throw fail(`${call.ifname} is missing from ${index < 0 ? 'prevResult' : netns}`);
	const mac = prev.interfaces[index]?.mac;
	if (mac && link.address !== mac) throw fail(`${call.ifname} has MAC ${link.address}, not ${mac}`);
	const ips = prev.ips.filter((ip) => ip.interface === index);
	const addresses = net.addresses(sys, call.ifname, netns);
	const table = net.routes(sys, netns);
	for (const ip of ips) if (!addresses.includes(ip.address)) throw fail(`${ip.address} is missing from ${call.ifname}`);
	for (const r of prev.routes) {
		const gw = r.gw ?? ips[0]?.gateway;
		if (!table.some((k) => net.sameDestination(k.dst, r.dst) && k.gateway === gw)) throw fail(`the route to ${r.dst} via ${gw} is missing`);
	}
	const host = prev.interfaces.find((i) => !i.sandbox && i.name !== conf.bridge);
	if (host && net.findLink(sys, host.name)?.master !== conf.bridge) throw fail(`${host.name} is not a port of ${conf.bridge}`);
	const reserved = new AddressStore(sys.files, conf.ipam, conf.name).find(call.containerId, call.ifname).map(formatIpv4);
	for (const ip of ips.map((i) => String(i.address).split('/')[0] ?? '')) {
		if (!reserved.includes(ip)) throw fail(`${ip} is not reserved for ${call.containerId} in ${conf.ipam.dataDir}/${conf.name}`);
		if (conf.ipMasq && !hasMasquerade(sys, conf.name, call.containerId, ip)) throw fail(`the masquerade rules for ${ip} are missing`);
	}
}

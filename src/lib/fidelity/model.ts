/**
 * What the grammar remembers of a scenario so far, so that later commands name what earlier ones
 * made: links and where they are, namespaces, addresses, iptables chains and rules. A rough
 * model, not a kernel: it only has to make commands plausible, and a wrong guess is one more
 * command both engines must answer alike.
 */
import type { Lab } from '../shared/lab.ts';

/** A device the scenario knows of, in a host's own namespace (`ns` '') or a named one. */
export interface ModelLink {
	name: string;
	kind: 'lab' | 'veth' | 'bridge';
	ns: string;
	/** A veth's other end. */
	peer?: string;
	/** The bridge it is a port of. */
	master?: string;
	up: boolean;
}

/** An address the scenario gave (or the lab gave) a device. */
export interface ModelAddr {
	dev: string;
	ns: string;
	ip: string;
	prefix: number;
}

/** One lab host as the scenario has changed it. */
export interface ModelHost {
	name: string;
	links: ModelLink[];
	netns: string[];
	addrs: ModelAddr[];
	/** Routes the scenario added (to delete them again): destination and namespace. */
	routes: { to: string; ns: string }[];
	chains: string[];
	/** iptables rule specs added with -A (to delete them with -D). */
	rules: string[];
}

/** The model of a whole scenario: every host, and the subnets handed out so far. */
export interface Model {
	lab: Lab;
	hosts: ModelHost[];
	/** Third-level numbers of the 10.N.0.0/24 subnets used so far. */
	subnets: number[];
}

/** The model of a freshly built lab: its interfaces and addresses, nothing else. */
export function initialModel(lab: Lab): Model {
	return {
		lab,
		subnets: [],
		hosts: lab.hosts.map((h) => ({
			name: h.name,
			links: h.interfaces.map((i) => ({ name: i.name, kind: 'lab' as const, ns: '', up: true })),
			netns: [],
			addrs: h.interfaces.flatMap((i) => {
				if (!i.address) return [];
				const [ip = '', prefix = '24'] = i.address.split('/');
				return [{ dev: i.name, ns: '', ip, prefix: Number(prefix) }];
			}),
			routes: [],
			chains: [],
			rules: [],
		})),
	};
}

/** Every name a host uses for a device, in any of its namespaces. */
export function usedNames(host: ModelHost): Set<string> {
	return new Set(['lo', ...host.links.map((l) => l.name)]);
}

/** Deletes a device and what goes with it: a veth's peer, its addresses, its ports' master. */
export function removeLink(host: ModelHost, link: ModelLink): void {
	const gone = new Set([link.name]);
	if (link.peer) gone.add(link.peer);
	host.links = host.links.filter((l) => !gone.has(l.name));
	for (const l of host.links) if (l.master && gone.has(l.master)) delete l.master;
	host.addrs = host.addrs.filter((a) => !gone.has(a.dev));
}

/** Deletes a namespace: its devices go, and a veth's peer outside it with them. */
export function removeNetns(host: ModelHost, ns: string): void {
	for (const l of host.links.filter((x) => x.ns === ns)) removeLink(host, l);
	host.netns = host.netns.filter((n) => n !== ns);
	host.routes = host.routes.filter((r) => r.ns !== ns);
}

/** Every address of the lab the scenario knows of, any host, any namespace (ping targets). */
export function allAddresses(model: Model): string[] {
	return model.hosts.flatMap((h) => h.addrs.map((a) => a.ip));
}

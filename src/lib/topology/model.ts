/**
 * The Topology model: what a diagram shows, independent of layout and drawing.
 * Ids are stable strings built from names, so the same state always gives the same model:
 * a namespace is `host/netns` (`pi/` for a root namespace), an interface `host/netns/ifname`.
 */

/** What the topology needs of a lab definition; every `Lab` (src/lib/shared/lab.ts) fits. */
export interface TopologyLab {
	name?: string;
	hosts: {
		name: string;
		interfaces: { name: string; switch?: string | undefined; uplink?: boolean | undefined }[];
	}[];
	switches?: { name: string }[];
	upstream?: { gateway: string; internet: string[] } | undefined;
}

/** Link kinds the diagrams tell apart. `other` covers tun, tap and kinds not recognised. */
export type InterfaceKind =
	| 'loopback'
	| 'veth'
	| 'bridge'
	| 'vxlan'
	| 'macvlan'
	| 'tun'
	| 'other';

/** Operational state, simplified from `operstate` and flags. */
export type LinkState = 'up' | 'down' | 'no-carrier' | 'unknown';

/** One IPv4 (or IPv6) address of an interface. */
export interface TopologyAddress {
	family: 'inet' | 'inet6';
	/** `192.168.1.1/24`. */
	cidr: string;
	scope: string;
}

/** An interface of a namespace. */
export interface TopologyInterface {
	/** `host/netns/ifname`. */
	id: string;
	host: string;
	/** Namespace name, `''` for the host's root namespace. */
	netns: string;
	name: string;
	ifindex: number;
	kind: InterfaceKind;
	/** True when the kind was read from `linkinfo` (`ip -d`), false when inferred. */
	kindCertain: boolean;
	state: LinkState;
	/** Administratively up (`UP` flag). */
	adminUp: boolean;
	mtu?: number;
	/** Addresses, IPv4 first; IPv6 link-local addresses only with `includeLinkLocal`. */
	addresses: TopologyAddress[];
	/** Id of the other end of a veth pair, when it is in the captured state. */
	peer?: string;
	/** For a veth whose other end is not in the state: where it goes, as far as known. */
	peerHint?: PeerHint;
	/** Id of the bridge interface this one is a port of. */
	master?: string;
	/** Lower device (macvlan parent, vxlan `dev`), by id. */
	lower?: string;
	/** Lab wiring of this interface: a switch name or the upstream. */
	wired?: { switch: string } | { uplink: true };
	/** vxlan network identifier (only with `ip -d`). */
	vni?: number;
}

/** Where a veth goes when its peer is not in the captured state. */
export interface PeerHint {
	/** The peer's ifindex in its namespace. */
	ifindex: number;
	/** Id of that namespace as seen from this interface's namespace, if the kernel said. */
	netnsid?: number;
}

/** A network namespace: a host's root one or a named one. */
export interface TopologyNamespace {
	/** `host/netns`. */
	id: string;
	host: string;
	/** `''` for the root namespace. */
	name: string;
	/** Interfaces in ifindex order; `lo` only when it carries a non-loopback address. */
	interfaces: TopologyInterface[];
	/** State of `lo`: `down` matters (a fresh namespace cannot even ping 127.0.0.1). */
	loopback: LinkState | 'absent';
	/** Default route, if any: gateway and device. */
	defaultRoute?: { via?: string; dev?: string };
}

/** A namespace that owns interfaces the state shows only from the other side (e.g. a Docker container). */
export interface TopologyGhost {
	/** `host/?netnsid` or `host/?ifname` when not even the id is known. */
	id: string;
	host: string;
	/** The namespace id as seen from the namespace holding the visible end. */
	netnsid?: number;
	/** Interface ids of the visible ends. */
	ends: string[];
}

/** A lab machine. */
export interface TopologyHost {
	name: string;
	/** Root namespace first, then named ones in name order. */
	namespaces: TopologyNamespace[];
	/** Namespaces only seen through veth peers. */
	ghosts: TopologyGhost[];
}

/** A bridge, with its member ports. */
export interface TopologyBridge {
	/** The bridge interface's id. */
	id: string;
	/** Member interface ids, in ifindex order. */
	members: string[];
}

/** A lab switch: an L2 segment joining host interfaces. */
export interface TopologySwitch {
	/** `switch:NAME`. */
	id: string;
	name: string;
	/** Interface ids plugged into it, in lab order. */
	ports: string[];
}

/** The home router and the pretend internet behind it. */
export interface TopologyUpstream {
	id: 'upstream';
	/** `192.168.0.1/24`. */
	gateway: string;
	internet: string[];
	/** Interface ids plugged into it. */
	ports: string[];
}

/**
 * A wire: `veth` joins the two ends of a veth pair; `cable` plugs an interface into a lab switch;
 * `uplink` plugs it into the home router; `ghost` joins a veth to a namespace not in the state;
 * `overlay` joins two vxlan interfaces of different hosts (a tunnel, not a wire).
 */
export interface TopologyLink {
	id: string;
	kind: 'veth' | 'cable' | 'uplink' | 'ghost' | 'overlay';
	/** Interface id. */
	a: string;
	/** Interface id, `switch:NAME`, `upstream`, or a ghost id. */
	b: string;
	/** Both ends up with carrier (or, for a cable, the interface is). */
	up: boolean;
}

/** Everything a diagram shows. */
export interface Topology {
	lab?: string;
	hosts: TopologyHost[];
	bridges: TopologyBridge[];
	switches: TopologySwitch[];
	upstream?: TopologyUpstream;
	links: TopologyLink[];
	/** Things the state did not let us resolve exactly (e.g. a peer chosen among equals). */
	warnings: string[];
}

/** Namespace id from host and netns name. */
export const netnsId = (host: string, netns: string): string => `${host}/${netns}`;

/** Interface id from host, netns name and interface name. */
export const ifaceId = (host: string, netns: string, name: string): string => `${host}/${netns}/${name}`;

import type { IpLink } from './ip-json.ts';
import type { InterfaceKind, LinkState } from './model.ts';

const KNOWN_KINDS: Record<string, InterfaceKind> = {
	veth: 'veth',
	bridge: 'bridge',
	vxlan: 'vxlan',
	macvlan: 'macvlan',
	macvtap: 'macvlan',
	tun: 'tun',
};

/** Names that usually mean a bridge: br0, br-empty, v-br-0, docker0, cni0, virbr0, cbr0. */
const BRIDGE_NAME = /^(br|virbr|docker\d|cni\d|cbr\d|kube-bridge)|-br-|-br\d*$|bridge/;
/** Names that usually mean a vxlan device: vxlan100, vx0, flannel.1. */
const VXLAN_NAME = /^(vxlan|vx\d|flannel\.)/;

/** The kind from `ip -d` output, if the capture has it. */
export function declaredKind(link: IpLink): InterfaceKind | undefined {
	if (link.link_type === 'loopback') return 'loopback';
	const kind = link.linkinfo?.info_kind;
	if (kind === undefined) return undefined;
	return KNOWN_KINDS[kind] ?? 'other';
}

/** What the resolver learned about an interface's `link`: a veth partner, a lower device, or nothing. */
export type LinkRole = 'peer' | 'peer-unseen' | 'lower' | 'none';

/**
 * Infers a kind from plain `ip -j link` output, where the kernel does not say the kind:
 * a veth has a partner pointing back, a macvlan points at a parent that does not, a bridge has
 * ports (or a bridge-like name), a tun has no link-layer address. Returns `other` when unsure.
 */
export function inferKind(link: IpLink, role: LinkRole, hasPorts: boolean): InterfaceKind {
	if (link.link_type === 'loopback') return 'loopback';
	if (role === 'peer' || role === 'peer-unseen') return 'veth';
	if (role === 'lower') return 'macvlan';
	if (hasPorts) return 'bridge';
	if (link.link_type === 'none') return 'tun';
	if (VXLAN_NAME.test(link.ifname)) return 'vxlan';
	if (BRIDGE_NAME.test(link.ifname)) return 'bridge';
	return 'other';
}

/**
 * Simplifies `operstate` and flags: `up` (including UNKNOWN with LOWER_UP, as lo and vxlan
 * report), `no-carrier` (admin up, nothing on the other side), `down` (admin down).
 */
export function linkState(link: IpLink): LinkState {
	const flags = link.flags ?? [];
	const adminUp = flags.includes('UP');
	const op = link.operstate ?? 'UNKNOWN';
	if (!adminUp) return 'down';
	if (op === 'UP') return 'up';
	if (op === 'UNKNOWN') return flags.includes('LOWER_UP') ? 'up' : 'unknown';
	return 'no-carrier';
}

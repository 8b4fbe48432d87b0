import type { KernelState } from './ip-json.ts';
import type { TopologyHost, TopologyInterface, TopologyLink } from './model.ts';

/**
 * Tunnels between vxlan interfaces of different hosts. Two vxlan devices are joined when both
 * report the same VNI (`ip -d` captures), or when one routes or resolves neighbours through the
 * other's address (flannel style: `10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink`).
 */
export function overlayLinks(hosts: TopologyHost[], state: KernelState): TopologyLink[] {
	const vx: TopologyInterface[] = hosts.flatMap((h) =>
		h.namespaces.flatMap((ns) => ns.interfaces.filter((i) => i.kind === 'vxlan')),
	);
	const links: TopologyLink[] = [];
	for (let i = 0; i < vx.length; i++)
		for (let j = i + 1; j < vx.length; j++) {
			const a = vx[i]!;
			const b = vx[j]!;
			if (a.host === b.host) continue;
			const sameVni = a.vni !== undefined && a.vni === b.vni;
			if (sameVni || pointsAt(a, b, state) || pointsAt(b, a, state))
				links.push({
					id: `overlay:${a.id}|${b.id}`,
					kind: 'overlay',
					a: a.id,
					b: b.id,
					up: a.state === 'up' && b.state === 'up',
				});
		}
	return links;
}

/** True when `from`'s namespace sends something through `from` to one of `to`'s addresses. */
function pointsAt(from: TopologyInterface, to: TopologyInterface, state: KernelState): boolean {
	const ns = state[from.host]?.[from.netns];
	if (!ns) return false;
	const targets = new Set(to.addresses.map((a) => a.cidr.split('/')[0]));
	return (
		ns.route.some((r) => r.dev === from.name && r.gateway !== undefined && targets.has(r.gateway)) ||
		ns.neigh.some((n) => n.dev === from.name && targets.has(n.dst))
	);
}

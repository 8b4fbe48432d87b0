/**
 * Progress checks, chapter by chapter: what a reader has achieved in the terminal. Each check
 * reads the simulator's state or the commands that ran (helpers in src/lib/terminal/progress.ts).
 * A check passes once and stays passed, so chapters that end by cleaning up still count.
 * Keep ids stable: they are what localStorage remembers.
 */
import { all, any, bridgeHasMembers, hasAddress, hasLink, hasNetns, hasRoute, knowsNeighbour, linkUp, ran, type Check } from '../../lib/terminal/progress.ts';

/** A ping (directly or through `ip netns exec NS`) that got its replies. */
const pinged = (host: string, dst: string, netns?: string) =>
	ran(host, new RegExp(`^${netns ? `ip netns exec ${netns} ` : ''}ping\\b.*\\s${dst.replace(/\./g, '\\.')}$`));

/** Chapter id → its checks, in the order the chapter reaches them. */
export const CHECKS: Record<string, Check[]> = {
	'01-two-machines-and-a-switch': [
		{ id: 'alice-address', label: 'Alice has 192.168.1.1/24 on eth0', passes: hasAddress('alice', '', '192.168.1.1/24', 'eth0') },
		{ id: 'bob-address', label: 'Bob has 192.168.1.2/24 on eth0', passes: hasAddress('bob', '', '192.168.1.2/24', 'eth0') },
		{ id: 'ping', label: 'Alice can ping Bob', passes: pinged('alice', '192.168.1.2') },
		{ id: 'arp', label: "Alice learned Bob's MAC address with ARP", passes: knowsNeighbour('alice', '', '192.168.1.2') },
	],
	'02-two-networks-and-a-router': [
		{ id: 'router', label: 'The router has an address on both networks', passes: all(hasAddress('router', '', '192.168.1.3/24'), hasAddress('router', '', '192.168.2.3/24')) },
		{ id: 'alice-route', label: "Alice routes 192.168.2.0/24 via the router", passes: any(hasRoute('alice', '', '192.168.2.0/24', '192.168.1.3'), ran('alice', /^ip route add 192\.168\.2\.0\/24 via 192\.168\.1\.3\b/)) },
		{ id: 'charlie-route', label: 'Charlie has a route back to 192.168.1.0/24', passes: any(hasRoute('charlie', '', '192.168.1.0/24', '192.168.2.3'), ran('charlie', /^ip route add 192\.168\.1\.0\/24 via 192\.168\.2\.3\b/)) },
		{ id: 'ping', label: 'Alice can ping Charlie across the router', passes: pinged('alice', '192.168.2.1') },
	],
	'03-a-linux-box-as-a-router': [
		{ id: 'forwarding', label: 'Eve forwards packets (ip_forward = 1)', passes: ran('eve', /^sysctl -w net\.ipv4\.ip_forward=1$/) },
		{ id: 'ping', label: 'Alice can ping Bob through Eve', passes: pinged('alice', '192.168.2.2') },
		{ id: 'ping-back', label: 'Bob can ping Alice back', passes: pinged('bob', '192.168.1.1') },
	],
	'04-network-namespaces': [
		{ id: 'netns', label: 'The namespaces alice and bob exist', passes: all(hasNetns('pi', 'alice'), hasNetns('pi', 'bob')) },
		{ id: 'lo-up', label: "alice's loopback is up", passes: any(linkUp('pi', 'alice', 'lo'), ran('pi', /^ip -n alice link set lo up$/)) },
		{ id: 'ping-lo', label: 'alice can ping 127.0.0.1', passes: pinged('pi', '127.0.0.1', 'alice') },
	],
	'05-veth-pairs': [
		{ id: 'veth', label: 'A veth pair joins alice and bob', passes: all(hasLink('pi', 'alice', 'veth-alice'), hasLink('pi', 'bob', 'veth-bob')) },
		{ id: 'addresses', label: 'Both ends have an address', passes: all(hasAddress('pi', 'alice', '192.168.25.1/24'), hasAddress('pi', 'bob', '192.168.25.2/24')) },
		{ id: 'ping', label: 'alice can ping bob over the veth pair', passes: pinged('pi', '192.168.25.2', 'alice') },
	],
	'06-bridges': [
		{ id: 'bridge', label: 'The bridge v-br-0 is up', passes: linkUp('pi', '', 'v-br-0') },
		{ id: 'members', label: 'The bridge has two members', passes: bridgeHasMembers('pi', '', 'v-br-0', 2) },
		{ id: 'ping', label: 'alice can ping bob through the bridge', passes: pinged('pi', '192.168.25.2', 'alice') },
	],
	'07-reaching-the-internet': [
		{ id: 'gateway', label: 'The bridge is the namespaces’ default gateway', passes: all(hasAddress('pi', '', '192.168.25.5/24', 'v-br-0'), hasRoute('pi', 'alice', 'default', '192.168.25.5')) },
		{ id: 'forwarding', label: 'The Pi forwards packets', passes: ran('pi', /^sysctl -w net\.ipv4\.ip_forward=1$/) },
		{ id: 'nat', label: 'Traffic from 192.168.25.0/24 is masqueraded', passes: ran('pi', /^iptables -t nat -A POSTROUTING .*-j MASQUERADE$/) },
		{ id: 'internet', label: 'alice can ping 8.8.8.8', passes: pinged('pi', '8.8.8.8', 'alice') },
	],
	'08-docker-bridge-by-hand': [
		{ id: 'docker0', label: 'docker0 is up with 172.17.0.1/16', passes: all(linkUp('pi', '', 'docker0'), hasAddress('pi', '', '172.17.0.1/16', 'docker0')) },
		{ id: 'c1', label: 'The container c1 has 172.17.0.2 on its eth0', passes: hasAddress('pi', 'c1', '172.17.0.2/16', 'eth0') },
		{ id: 'internet', label: 'c1 can ping 8.8.8.8', passes: pinged('pi', '8.8.8.8', 'c1') },
	],
	'09-cni-by-hand': [
		{ id: 'pod1', label: 'The pod namespace pod1 exists', passes: hasNetns('pi', 'pod1') },
		{ id: 'cni0', label: 'The CNI bridge cni0 has a port', passes: bridgeHasMembers('pi', '', 'cni0', 1) },
		{ id: 'internet', label: 'pod1 can ping 8.8.8.8', passes: pinged('pi', '8.8.8.8', 'pod1') },
	],
	'10-cri-and-the-kubelet': [
		{ id: 'lo', label: "pod1's loopback is up", passes: linkUp('pi', 'pod1', 'lo') },
		{ id: 'eth0', label: 'pod1 has its eth0', passes: hasLink('pi', 'pod1', 'eth0') },
	],
	'11-pods-across-nodes': [
		{ id: 'pods', label: 'pod1 on node1 and pod2 on node2', passes: all(hasNetns('node1', 'pod1'), hasNetns('node2', 'pod2')) },
		{ id: 'routes', label: 'node1 routes pod2’s subnet via node2', passes: any(hasRoute('node1', '', '10.244.2.0/24', '192.168.56.12'), ran('node1', /^ip route add 10\.244\.2\.0\/24 via 192\.168\.56\.12$/)) },
		{ id: 'ping', label: 'pod1 can ping pod2 across the nodes', passes: pinged('node1', '10.244.2.2', 'pod1') },
		{ id: 'vxlan', label: 'node1 has the VXLAN device flannel.1', passes: hasLink('node1', '', 'flannel.1') },
	],
	'12-services-and-kube-proxy': [
		{ id: 'pods', label: 'web-a, web-b and client exist', passes: all(hasNetns('node1', 'web-a'), hasNetns('node1', 'web-b'), hasNetns('node1', 'client')) },
		{ id: 'service', label: 'client reaches the service 10.96.0.10', passes: ran('node1', /^ip netns exec client curl -s http:\/\/10\.96\.0\.10\/$/) },
		{ id: 'nodeport', label: 'node2 reaches the NodePort 30080', passes: ran('node2', /^curl -s http:\/\/192\.168\.56\.11:30080\/$/) },
	],
	'13-network-policy': [
		{ id: 'pods', label: 'pod-a, pod-b and pod-c exist', passes: all(hasNetns('node1', 'pod-a'), hasNetns('node1', 'pod-b'), hasNetns('node1', 'pod-c')) },
		{ id: 'policy', label: 'A policy chain guards pod-c', passes: ran('node1', /^iptables -N POD-C-INGRESS$/) },
		{ id: 'allow', label: 'pod-a is allowed in on port 80', passes: ran('node1', /^iptables -I POD-C-INGRESS 1 .*-j ACCEPT$/) },
	],
};

/** The checks of a chapter (none for a chapter without any). */
export function checksOf(chapter: string): Check[] {
	return CHECKS[chapter] ?? [];
}

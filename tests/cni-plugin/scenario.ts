// The calls the kernel tests make, as a runtime would make them, for either plugin: the book's
// TypeScript plugin (bundled, run by the lab's own Node.js) or the reference `bridge` plugin.
import type { PiBlock } from './on-pi.ts';

/** Where the scenario installs the TypeScript plugin on the pi. */
export const TS_PLUGIN = '/opt/cni/bin/tsbridge';
/** The reference plugin, from Debian's containernetworking-plugins. */
export const REFERENCE_PLUGIN = '/usr/lib/cni/bridge';

/** Chapter 9's network: a bridge, a gateway, masquerade, host-local addresses from a /16. */
export const podnet = (type: string): object => ({
	cniVersion: '1.0.0',
	name: 'podnet',
	type,
	bridge: 'cni0',
	isGateway: true,
	ipMasq: true,
	ipam: { type: 'host-local', subnet: '10.22.0.0/16', routes: [{ dst: '0.0.0.0/0' }] },
});

/** A network with room for one container (a /30 less its gateway), whose bridge is the containers' default gateway. */
export const tiny = (type: string): object => ({
	cniVersion: '1.0.0',
	name: 'tiny',
	type,
	bridge: 'cni1',
	isDefaultGateway: true,
	ipam: { type: 'host-local', subnet: '10.23.0.0/30' },
});

/** The names of the blocks, in order, so tests can find them. */
export const BLOCK = { setup: 0, add: 1, inspect: 2, check: 3, second: 4, errors: 5, del: 6, gone: 7, pid: 8, tiny: 9 } as const;

/** `printf` writing a JSON document to a file (the documents hold no single quote). */
const writeJson = (file: string, doc: object): string => `printf '%s\\n' '${JSON.stringify(doc)}' > ${file}`;

/** A CNI call: CNI_PATH and CNI_IFNAME are exported by the setup, `$P` is the plugin. */
const call = (command: string, id: string, netns: string | undefined, input: string): string =>
	`CNI_COMMAND=${command} CNI_CONTAINERID=${id}${netns ? ` CNI_NETNS=${netns}` : ''} $P < ${input}`;

/**
 * The scenario: ADD, a look at everything it built, CHECK (with and without prevResult, broken and
 * repaired), a second ADD, the error cases, DEL twice, DEL of a container whose namespace is gone,
 * a container named by its PID, and a network with one free address to show that DEL frees it.
 */
export function scenario(plugin: string, bundleBase64: string): PiBlock[] {
	const type = plugin === TS_PLUGIN ? 'tsbridge' : 'bridge';
	const conf = '/etc/cni/net.d/podnet.conf';
	const small = '/etc/cni/net.d/tiny.conf';
	return [
		{
			commands: [
				`mkdir -p /opt/cni/bin /etc/cni/net.d && printf '%s' '${bundleBase64}' | base64 -d > ${TS_PLUGIN} && chmod +x ${TS_PLUGIN}`,
				`P=${plugin}`,
				writeJson(conf, podnet(type)),
				writeJson(small, tiny(type)),
				'export CNI_PATH=/usr/lib/cni CNI_IFNAME=eth0',
				'ip netns add pod1',
				'ip netns add pod2',
				'ip netns add pod3',
				'ip netns add pod4',
			],
		},
		{ capture: true, commands: [`${call('ADD', 'pod1', '/run/netns/pod1', conf)} > /tmp/pod1.json`, 'cat /tmp/pod1.json'] },
		{
			commands: [
				'ip -n pod1 -4 addr show eth0',
				'ip -n pod1 route',
				'ip -n pod1 -d link show eth0',
				'ip -4 addr show cni0',
				'ip link show master cni0',
				'ip route',
				'sysctl net.ipv4.ip_forward',
				'iptables -t nat -S',
				'ls /var/lib/cni/networks/podnet',
				'cat -v /var/lib/cni/networks/podnet/10.22.0.2',
				'cat /var/lib/cni/networks/podnet/last_reserved_ip.0',
			],
		},
		{
			commands: [
				`jq --slurpfile r /tmp/pod1.json '. + {prevResult: $r[0]}' ${conf} > /tmp/pod1-check.json`,
				call('CHECK', 'pod1', '/run/netns/pod1', '/tmp/pod1-check.json'),
				call('CHECK', 'pod1', '/run/netns/pod1', conf),
				'ip -n pod1 route del default',
				call('CHECK', 'pod1', '/run/netns/pod1', '/tmp/pod1-check.json'),
				'ip -n pod1 route add default via 10.22.0.1',
				call('CHECK', 'pod1', '/run/netns/pod1', '/tmp/pod1-check.json'),
			],
		},
		{
			commands: [
				call('ADD', 'pod2', '/run/netns/pod2', conf),
				call('ADD', 'pod1', '/run/netns/pod1', conf),
				'ls /var/lib/cni/networks/podnet',
			],
		},
		{
			commands: [
				`echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION $P`,
				`echo '{"cniVersion":' | CNI_COMMAND=ADD CNI_CONTAINERID=x CNI_NETNS=/run/netns/pod3 $P`,
				`CNI_COMMAND=ADD CNI_CONTAINERID=x $P < ${conf}`,
				`sed 's/"1.0.0"/"9.9.9"/' ${conf} | CNI_COMMAND=ADD CNI_CONTAINERID=x CNI_NETNS=/run/netns/pod3 $P`,
				call('ADD', 'x', '/run/netns/nosuch', conf),
				call('ADD', 'bad/id', '/run/netns/pod3', conf),
				'ip -n pod3 link',
				`jq '.ipam.dataDir = "/dev/null/cni"' ${conf} | CNI_COMMAND=ADD CNI_CONTAINERID=x CNI_NETNS=/run/netns/pod4 $P`,
				'ip -n pod4 -br link',
				'ip netns del pod4', // and with it whatever a failed ADD left there, so that both runs go on alike
			],
		},
		{
			commands: [
				call('DEL', 'pod1', '/run/netns/pod1', conf),
				call('DEL', 'pod1', '/run/netns/pod1', conf),
				call('DEL', 'pod1', undefined, conf),
				'ip -n pod1 link',
				'ip link show master cni0',
				'iptables -t nat -S',
				'ls /var/lib/cni/networks/podnet',
			],
		},
		{
			commands: [
				'ip netns del pod2',
				call('DEL', 'pod2', '/run/netns/pod2', conf),
				'iptables -t nat -S',
				'ls /var/lib/cni/networks/podnet',
			],
		},
		{
			// Chapter 9's container started with no network, named by its process: /proc/PID/ns/net.
			commands: [
				'unshare --net sleep 600 & C=$!',
				'until grep -qx sleep /proc/$C/comm; do sleep 0.1; done',
				call('ADD', 'c3', '/proc/$C/ns/net', conf),
				'nsenter -t $C -n ip -br addr',
				call('DEL', 'c3', '/proc/$C/ns/net', conf),
				'nsenter -t $C -n ip -br link',
				'kill $C',
			],
		},
		{
			commands: [
				call('ADD', 'c1', '/run/netns/pod1', small),
				call('ADD', 'c2', '/run/netns/pod3', small),
				'ip -n pod3 -br link',
				call('DEL', 'c1', '/run/netns/pod1', small),
				call('ADD', 'c2', '/run/netns/pod3', small),
				'ls /var/lib/cni/networks/tiny',
			],
		},
	];
}

/**
 * `ipMasq`: traffic from the container to anywhere outside its subnet leaves with the host's
 * address. One nat chain per container, named and labelled as the reference plugin does, so that
 * DEL finds it again from the network name and container ID alone.
 */
import { formatIpv4, networkOf, type Cidr } from './ipv4.ts';
import { run } from './run.ts';
import type { System } from './system.ts';

/** `CNI-` and the first 24 hex digits of sha512(network name + container ID). */
export function chainName(sys: Pick<System, 'sha512Hex'>, network: string, containerId: string): string {
	return `CNI-${sys.sha512Hex(network + containerId).slice(0, 24)}`;
}

/** The label on every rule: whose they are, for people reading `iptables -S`. */
const label = (network: string, containerId: string): string[] => ['-m', 'comment', '--comment', `name: "${network}" id: "${containerId}"`];

/** POSTROUTING's jump to the container's chain, for traffic from `source`. */
const jumpRule = (chain: string, network: string, containerId: string, source: string): string[] => [
	'POSTROUTING', '-s', source, ...label(network, containerId), '-j', chain,
];

/** The iptables rules of one container (arguments after `-A`): the chain's two, then the jump to it. */
export function masqueradeRules(sys: Pick<System, 'sha512Hex'>, network: string, containerId: string, address: Cidr): { chain: string; rules: string[][] } {
	const chain = chainName(sys, network, containerId);
	const subnet = `${formatIpv4(networkOf(address))}/${address.prefix}`;
	return {
		chain,
		rules: [
			[chain, '-d', subnet, ...label(network, containerId), '-j', 'ACCEPT'], // inside the subnet: untouched
			[chain, '!', '-d', '224.0.0.0/4', ...label(network, containerId), '-j', 'MASQUERADE'], // multicast is never routed out
			jumpRule(chain, network, containerId, `${formatIpv4(address.address)}/32`),
		],
	};
}

/** iptables on the nat table, waiting at most 5 s for its lock. */
const nat = (sys: System, args: string[]): string => run(sys, 'iptables', ['-w', '5', '-t', 'nat', ...args]);

/** The nat table as `iptables -S` lists it, one rule a line. */
const natLines = (sys: System): string[] => nat(sys, ['-S']).split('\n');

/** Creates the container's chain and the jump to it. */
export function addMasquerade(sys: System, network: string, containerId: string, address: Cidr): void {
	const { chain, rules } = masqueradeRules(sys, network, containerId, address);
	nat(sys, ['-N', chain]);
	for (const rule of rules) nat(sys, ['-A', ...rule]);
}

/** Removes the jump(s) to the container's chain, then the chain; nothing there is no error. */
export function removeMasquerade(sys: System, network: string, containerId: string): void {
	const chain = chainName(sys, network, containerId);
	const lines = natLines(sys);
	for (const line of lines.filter((l) => l.startsWith('-A POSTROUTING ') && l.endsWith(` -j ${chain}`))) {
		const source = /-s (\S+)/.exec(line)?.[1];
		if (source) nat(sys, ['-D', ...jumpRule(chain, network, containerId, source)]);
	}
	if (lines.includes(`-N ${chain}`)) {
		nat(sys, ['-F', chain]);
		nat(sys, ['-X', chain]);
	}
}

/** True when the container's chain is there and POSTROUTING jumps to it for `address`. */
export function hasMasquerade(sys: System, network: string, containerId: string, address: string): boolean {
	const chain = chainName(sys, network, containerId);
	const lines = natLines(sys);
	return lines.includes(`-N ${chain}`) && lines.some((l) => l.startsWith(`-A POSTROUTING -s ${address}/32 `) && l.endsWith(` -j ${chain}`));
}

/**
 * `ip link add|set … type bridge OPTIONS` (iproute2's iplink_bridge.c). Modelled: `stp_state` and
 * `forward_delay` (kernel/link-bridge.ts). The bridge's other options are parsed as iproute2 does
 * and then say that they are not available in this simulator, rather than pass in silence.
 */
import { bridgeCreate, type BridgeOptions } from '../../kernel/link-bridge.ts';
import type { Netns } from '../../model/netns.ts';
import { matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import { USAGE_IP_LINK_BRIDGE } from '../usage.ts';
import { atLeast, type Version } from '../../profile/profile.ts';
import { getU32, type IpOut } from './common.ts';
import { incomplete, invarg, must } from './errors.ts';
import type { LinkReq } from './link-args.ts';

/** The options in iproute2's order (first prefix match wins), read from its usage text. */
const OPTIONS = [...USAGE_IP_LINK_BRIDGE.matchAll(/\[ (\w+)( [A-Z_]+)? \]/g)].map((m) => ({ name: m[1]!, value: m[2] !== undefined }));

/**
 * The bridge usage of the iproute2 imitated: 6.7 added `fdb_max_learned`, 6.11 `mst_enabled`
 * (iplink_bridge.c's print_explain).
 */
function bridgeUsage(iproute2: Version | undefined): string {
	let text = USAGE_IP_LINK_BRIDGE;
	if (iproute2 && atLeast(iproute2, 6, 11)) text = text.replace('\t\t  [ priority PRIORITY ]\n', '\t\t  [ mst_enabled MST_ENABLED ]\n\t\t  [ priority PRIORITY ]\n');
	if (iproute2 && atLeast(iproute2, 6, 7)) text = text.replace('\t\t  [ vlan_filtering VLAN_FILTERING ]\n', '\t\t  [ fdb_max_learned FDB_MAX_LEARNED ]\n\t\t  [ vlan_filtering VLAN_FILTERING ]\n');
	return text;
}

/** bridge_parse_opt: the options after `type bridge`; iproute2's errors as it words them (its usage as `iproute2` prints it). */
export function parseBridgeOptions(args: readonly string[], iproute2?: Version): BridgeOptions {
	const out: BridgeOptions = {};
	for (let i = 0; i < args.length; i++) {
		const word = args[i]!;
		const opt = OPTIONS.find((o) => matches(word, o.name));
		if (!opt && matches(word, 'help')) throw new ToolExit(1, bridgeUsage(iproute2));
		if (!opt) throw new ToolExit(1, `bridge: unknown command "${word}"?\n${bridgeUsage(iproute2)}`);
		const value = opt.value ? args[++i] : undefined;
		if (opt.value && value === undefined) incomplete();
		if (opt.name === 'forward_delay' || opt.name === 'stp_state') {
			const n = getU32(value!);
			if (n === undefined) invarg(`invalid ${opt.name}`, value!);
			if (opt.name === 'forward_delay') out.forwardDelay = n;
			else out.stp = n;
		} else throw new ToolExit(255, `bridge: ${opt.name}: not available in this simulator (it models stp_state and forward_delay)\n`);
	}
	return out;
}

/** `ip link add … type bridge`: the bridge, its options, its address and MTU. */
export function bridgeAdd(req: LinkReq, target: Netns, name: string | undefined, kernelChecks: () => void): IpOut {
	const options = parseBridgeOptions(req.typeArgs, target.world.profile.iproute2);
	kernelChecks();
	must(bridgeCreate(target, { name, address: req.address, mtu: req.mtu, up: req.up }, options));
	return { stdout: '' };
}

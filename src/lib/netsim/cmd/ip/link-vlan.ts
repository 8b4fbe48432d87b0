/** `ip link add … type vlan …` (iproute2's iplink_vlan.c): parsed as iproute2 does; this kernel has no 8021q. */
import { linkDriver } from '../../kernel/newlink.ts';
import { Args } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { IpOut } from './common.ts';
import { incomplete, must } from './errors.ts';

/** The vlan options iproute2 knows, each with a value. */
const OPTIONS = ['id', 'protocol', 'reorder_hdr', 'gvrp', 'mvrp', 'loose_binding', 'bridge_binding', 'ingress-qos-map', 'egress-qos-map'];

const VLAN_USAGE = `Usage: ... vlan id VLANID
		[ protocol VLANPROTO ]
		[ reorder_hdr { on | off } ]
		[ gvrp { on | off } ]
		[ mvrp { on | off } ]
		[ loose_binding { on | off } ]
		[ bridge_binding { on | off } ]
		[ ingress-qos-map QOS-MAP ]
		[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO
`;

/** Parses the options (iproute2's errors), then asks the kernel, which has no driver for the type. */
export function vlanAdd(args: string[], kernelChecks: () => void): IpOut {
	const a = new Args(args);
	for (let w = a.cur; w !== undefined; w = a.next()) {
		if (!OPTIONS.includes(w)) throw new ToolExit(1, `vlan: unknown command "${w}"?\n${VLAN_USAGE}`);
		if (a.next() === undefined) incomplete();
	}
	kernelChecks();
	must(linkDriver('vlan'));
	return { stdout: '' };
}

/** `ip link add … type veth [peer OPTIONS]` (iproute2's link_veth.c): the peer's options are a link's own. */
import { vethCreate } from '../../kernel/link-veth.ts';
import type { Netns } from '../../model/netns.ts';
import { Args } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { IpCtx, IpOut } from './common.ts';
import { duplicate, must } from './errors.ts';
import { parseLinkArgs, type LinkReq } from './link-args.ts';

/** link_veth.c's usage, which it prints on standard output. */
const VETH_USAGE = "Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n";

/**
 * Parses `peer …` (a new device's own options, iplink_parse again; a second `type` is refused),
 * lets the kernel check the request, and creates the pair.
 */
export function vethAdd(ic: IpCtx, req: LinkReq, target: Netns, name: string | undefined, kernelChecks: () => void): IpOut {
	const pa = new Args(req.typeArgs);
	const peer: LinkReq = { typeArgs: [] };
	if (pa.cur !== undefined) {
		if (pa.cur !== 'peer') throw new ToolExit(1, '', VETH_USAGE);
		pa.next();
		parseLinkArgs(ic, pa, peer, 'create');
		if (peer.type !== undefined) duplicate('type', peer.type);
	}
	kernelChecks();
	const main = { name, address: req.address, mtu: req.mtu, txqlen: req.txqlen, up: req.up };
	must(vethCreate(target, main, peer.netns ?? ic.ns, { name: peer.name ?? peer.dev, address: peer.address, mtu: peer.mtu, txqlen: peer.txqlen, up: peer.up }));
	return { stdout: '' };
}

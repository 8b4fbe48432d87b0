/** `ip link add … type veth [peer OPTIONS]` (iproute2's link_veth.c): the peer's options are a link's own. */
import { vethCreate } from '../../kernel/link-veth.ts';
import type { Netns } from '../../model/netns.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { IpCtx, IpOut } from './common.ts';
import { must } from './errors.ts';
import { parseLinkArgs, type LinkReq } from './link-args.ts';

/** Parses `peer …` and creates the pair. */
export function vethAdd(ic: IpCtx, req: LinkReq, target: Netns, name: string | undefined): IpOut {
	const pa = new Args(req.typeArgs);
	const peer: LinkReq = { typeArgs: [] };
	if (pa.cur !== undefined) {
		if (pa.cur !== 'peer') {
			if (matches(pa.cur, 'help')) throw new ToolExit(255, "Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
			throw new ToolExit(255, `Garbage instead of arguments "${pa.rest().join(' ')} ...". Try "ip link help".\n`);
		}
		pa.next();
		parseLinkArgs(ic, pa, peer, true);
	}
	const main = { name, address: req.address, mtu: req.mtu, txqlen: req.txqlen, up: req.up };
	must(vethCreate(target, main, peer.netns ?? ic.ns, { name: peer.name ?? peer.dev, address: peer.address, mtu: peer.mtu, txqlen: peer.txqlen, up: peer.up }));
	return { stdout: '' };
}

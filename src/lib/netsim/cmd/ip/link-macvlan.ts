/** `ip link add … link DEV type macvlan [mode MODE]` (iproute2's iplink_macvlan.c). */
import { macvlanCreate, MACVLAN_MODES } from '../../kernel/link-macvlan.ts';
import type { Netns } from '../../model/netns.ts';
import { Args } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { IpCtx, IpOut } from './common.ts';
import { incomplete, must } from './errors.ts';
import type { LinkReq } from './link-args.ts';

/** Parses the mode and creates the device on its lower device (`link DEV`, looked up here). */
export function macvlanAdd(ic: IpCtx, req: LinkReq, target: Netns, name: string | undefined, kernelChecks: () => void): IpOut {
	let mode = 'vepa';
	const ta = new Args(req.typeArgs);
	for (let w = ta.cur; w !== undefined; w = ta.next()) {
		if (w !== 'mode') throw new ToolExit(255, `macvlan: unknown option "${w}"?\n`);
		const v = ta.next();
		if (!v) incomplete();
		if (!MACVLAN_MODES.includes(v)) throw new ToolExit(1, `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"\n`);
		mode = v;
	}
	kernelChecks();
	// Without `link` the kernel refuses the request (iplink_parse found a device named there).
	const lower = req.link ? ic.ns.link(req.link) : undefined;
	must(macvlanCreate(target, { name, address: req.address, up: req.up }, lower, mode));
	return { stdout: '' };
}

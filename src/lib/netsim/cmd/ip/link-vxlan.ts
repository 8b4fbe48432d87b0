/** `ip link add … type vxlan id VNI …` (iproute2's iplink_vxlan.c): its options, checks and warning. */
import { parseIpv4Strict } from '../../addr/ipv4.ts';
import { VXLAN_DEFAULT_PORT, vxlanCreate } from '../../kernel/link-vxlan.ts';
import type { Link, VxlanInfo } from '../../model/link.ts';
import type { Netns } from '../../model/netns.ts';
import { Args, matches } from '../args.ts';
import { USAGE_IP_LINK_VXLAN } from '../usage.ts';
import { atLeast } from '../../profile/profile.ts';
import { ToolExit } from '../../tool/exit.ts';
import { nextArg, type IpCtx, type IpOut } from './common.ts';
import { invarg, must } from './errors.ts';
import type { LinkReq } from './link-args.ts';

/** iproute2's warning when no `dstport` is given (the kernel's default is not IANA's). */
const NO_DSTPORT = "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n";

/**
 * The vxlan usage of the iproute2 imitated: 6.5 added `[no]localbypass`, 6.14 `reserved_bits`
 * (iplink_vxlan.c's print_explain).
 */
function vxlanUsage(ic: IpCtx): string {
	const v = ic.ctx.world.profile.iproute2;
	let text = USAGE_IP_LINK_VXLAN;
	if (atLeast(v, 6, 14)) text = text.replace('\t\t[ [no]learning ]\n', '\t\t[ reserved_bits VALUE ]\n\t\t[ [no]learning ]\n');
	if (atLeast(v, 6, 5)) text = text.replace('\t\t[ [no]external ]', '\t\t[ [no]localbypass ]\n\t\t[ [no]external ]');
	return text;
}

/** The options after `type vxlan`, as vxlan_parse_opt reads them. */
function parseVxlan(ic: IpCtx, args: string[]): Partial<VxlanInfo> {
	const ta = new Args(args);
	const o: Partial<VxlanInfo> = { learning: true };
	const ip = (key: string): number => {
		const t = nextArg(ta);
		const addr = parseIpv4Strict(t);
		if (addr === null) invarg(`invalid ${key} address`, t);
		return addr;
	};
	for (let w = ta.cur; w !== undefined; w = ta.next()) {
		if (w === 'id' || w === 'vni') {
			const t = nextArg(ta);
			if (!/^\d+$/.test(t) || Number(t) >= 1 << 24) invarg('invalid id', t);
			o.id = Number(t);
		} else if (w === 'dstport') {
			const t = nextArg(ta);
			if (!/^\d+$/.test(t) || Number(t) > 65535) invarg('dst port', t);
			o.dstport = Number(t);
		} else if (w === 'remote') o.remote = ip('remote');
		else if (w === 'local') o.local = ip('local');
		else if (w === 'group') o.group = ip('group');
		else if (w === 'dev') {
			const t = nextArg(ta);
			const lower: Link | undefined = ic.ns.link(t);
			if (!lower) invarg('"dev" not a valid ifname', t);
			o.lower = lower;
		} else if (w === 'nolearning' || w === 'learning') o.learning = w === 'learning';
		else if (w === 'noudpcsum' || w === 'udpcsum') continue;
		else if (w === 'ttl' || w === 'tos' || w === 'ageing' || w === 'maxaddress') nextArg(ta);
		else if (matches(w, 'help')) throw new ToolExit(1, vxlanUsage(ic));
		else throw new ToolExit(1, `vxlan: unknown command "${w}"?\n${vxlanUsage(ic)}`);
	}
	return o;
}

/** Parses the options, checks the VNI is there, warns about the port, creates the device. */
export function vxlanAdd(ic: IpCtx, req: LinkReq, target: Netns, name: string | undefined, kernelChecks: () => void): IpOut {
	const o = parseVxlan(ic, req.typeArgs);
	if (o.id === undefined) throw new ToolExit(1, 'vxlan: missing virtual network identifier\n');
	const warning = o.dstport === undefined ? NO_DSTPORT : '';
	try {
		kernelChecks();
	} catch (e) {
		// iproute2 printed its warning before it sent the request.
		if (e instanceof ToolExit) throw new ToolExit(e.exit, warning + e.stderr, e.stdout);
		throw e;
	}
	const info: VxlanInfo = { id: o.id, dstport: o.dstport || VXLAN_DEFAULT_PORT, remote: o.remote, local: o.local, group: o.group, lower: o.lower, learning: o.learning ?? true };
	must(vxlanCreate(target, { name, address: req.address, up: req.up }, info));
	return { stdout: '', stderr: o.dstport === undefined ? NO_DSTPORT : '' };
}

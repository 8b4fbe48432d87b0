/**
 * `ip link add|set … type bridge OPTIONS` (iproute2's iplink_bridge.c, the kernel's br_changelink).
 * Modelled: `stp_state` (the kernel's STP: ports listen, then learn, for a forward delay each
 * before they forward) and `forward_delay`. The bridge's other options are parsed as iproute2 does
 * and then say that they are not available in this simulator, rather than pass in silence.
 */
import type { Link } from '../../model/link.ts';
import { matches, ToolExit } from '../args.ts';
import { USAGE_IP_LINK_BRIDGE } from '../usage.ts';
import { incomplete, invarg, rtnl } from './errors.ts';

/** The options in iproute2's order (first prefix match wins), read from its usage text. */
const OPTIONS = [...USAGE_IP_LINK_BRIDGE.matchAll(/\[ (\w+)( [A-Z_]+)? \]/g)].map((m) => ({ name: m[1]!, value: m[2] !== undefined }));

/** STP's limits on the forward delay, in centiseconds (BR_MIN/MAX_FORWARD_DELAY: 2 s and 30 s). */
const MIN_DELAY = 200;
const MAX_DELAY = 3000;

/** What `type bridge …` asks the kernel for. */
export interface BridgeOptions {
	forwardDelay?: number;
	stp?: number;
}

/** get_u32 (strtoul, base 0): decimal, 0x hex or 0 octal, nothing else. */
function u32(text: string): number | undefined {
	if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(text)) return undefined;
	const n = /^0[xX]/.test(text) ? parseInt(text, 16) : /^0./.test(text) ? parseInt(text, 8) : Number(text);
	return n <= 0xffffffff ? n : undefined;
}

/** bridge_parse_opt: the options after `type bridge`; iproute2's errors as it words them. */
export function parseBridgeOptions(args: readonly string[]): BridgeOptions {
	const out: BridgeOptions = {};
	for (let i = 0; i < args.length; i++) {
		const word = args[i]!;
		const opt = OPTIONS.find((o) => matches(word, o.name));
		if (!opt && matches(word, 'help')) throw new ToolExit(1, USAGE_IP_LINK_BRIDGE);
		if (!opt) throw new ToolExit(1, `bridge: unknown command "${word}"?\n${USAGE_IP_LINK_BRIDGE}`);
		const value = opt.value ? args[++i] : undefined;
		if (opt.value && value === undefined) incomplete();
		if (opt.name === 'forward_delay' || opt.name === 'stp_state') {
			const n = u32(value!);
			if (n === undefined) invarg(`invalid ${opt.name}`, value!);
			if (opt.name === 'forward_delay') out.forwardDelay = n;
			else out.stp = n;
		} else throw new ToolExit(255, `bridge: ${opt.name}: not available in this simulator (it models stp_state and forward_delay)\n`);
	}
	return out;
}

/**
 * br_changelink: the forward delay first (bounded while STP runs), then STP on or off. Turning STP
 * on leaves forwarding ports forwarding; ports enabled from then on listen and learn first. On an
 * up bridge, STP's port selection drops carrier until a port forwards.
 */
export function applyBridgeOptions(br: Link, o: BridgeOptions): void {
	if (o.forwardDelay !== undefined) {
		if (br.stp && (o.forwardDelay < MIN_DELAY || o.forwardDelay > MAX_DELAY)) rtnl('Numerical result out of range');
		br.forwardDelay = o.forwardDelay;
	}
	if (o.stp === undefined) return;
	const on = o.stp !== 0;
	if (on && !br.stp) {
		// br_stp_start clamps a forward delay set while STP was off.
		br.forwardDelay = Math.min(MAX_DELAY, Math.max(MIN_DELAY, br.forwardDelay));
		br.stpOnAt = br.ns.world.now;
		if (br.adminUp) br.hadPorts = true;
	}
	br.stp = on;
}

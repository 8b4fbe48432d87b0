/**
 * The bridge driver (net/bridge): creating a bridge, and br_changelink for the options the
 * simulator models, STP (`stp_state`: ports listen, then learn, for a forward delay each before
 * they forward) and `forward_delay`.
 */
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';
import { allocName, type NewLinkAttrs } from './newlink.ts';

/** STP's limits on the forward delay, in centiseconds (BR_MIN/MAX_FORWARD_DELAY: 2 s and 30 s). */
const MIN_DELAY = 200;
const MAX_DELAY = 3000;

/** The bridge options a request carries (IFLA_BR_FORWARD_DELAY, IFLA_BR_STP_STATE). */
export interface BridgeOptions {
	forwardDelay?: number;
	stp?: number;
}

/**
 * Creates a bridge with its options. An address given changes the bridge id, and STP's port
 * selection runs (br_stp_change_bridge_id).
 */
export function bridgeCreate(ns: Netns, attrs: NewLinkAttrs, options: BridgeOptions): Result<Link> {
	const l = ns.addLink(attrs.name ?? allocName('bridge', ns), 'bridge', attrs.address ?? ns.world.mac());
	const changed = bridgeChange(l, options);
	if (!changed.ok) return changed;
	if (attrs.address) l.macFixed = l.hadPorts = true;
	if (attrs.mtu) l.mtu = attrs.mtu;
	ns.world.linkEvent(l);
	if (attrs.up) ns.linkUp(l);
	return ok(l);
}

/**
 * br_changelink: the forward delay first (bounded while STP runs: ERANGE), then STP on or off.
 * Turning STP on leaves forwarding ports forwarding; ports enabled from then on listen and learn
 * first. On an up bridge, STP's port selection drops carrier until a port forwards.
 */
export function bridgeChange(br: Link, o: BridgeOptions): Result {
	if (o.forwardDelay !== undefined) {
		if (br.stp && (o.forwardDelay < MIN_DELAY || o.forwardDelay > MAX_DELAY)) return refuse('ERANGE');
		br.forwardDelay = o.forwardDelay;
	}
	if (o.stp === undefined) return ok();
	const on = o.stp !== 0;
	if (on && !br.stp) {
		// br_stp_start clamps a forward delay set while STP was off.
		br.forwardDelay = Math.min(MAX_DELAY, Math.max(MIN_DELAY, br.forwardDelay));
		br.stpOnAt = br.ns.world.now;
		if (br.adminUp) br.hadPorts = true;
	}
	br.stp = on;
	return ok();
}

/** Packet taps (dev_queue_xmit_nit and the receive path's): open captures see a device's frames. */
import type { FrameDirection } from '../model/capture.ts';
import type { Link } from '../model/link.ts';
import type { Frame } from '../model/packet.ts';

/** Hands a frame that crosses `dev` to every capture open on it (or on all devices of its namespace). */
export function tap(dev: Link, frame: Frame, dir: FrameDirection): void {
	for (const c of dev.ns.world.captures) if (c.ns === dev.ns && (c.dev === undefined || c.dev === dev)) c.frame(dev, frame, dir);
}

/** Packet sockets: what a capture (tcpdump) asks the devices for. */
import type { Frame } from './packet.ts';
import type { Link } from './link.ts';
import type { Netns } from './netns.ts';

/** Which way a frame crossed the device, as a packet socket tells it (PACKET_OUTGOING or not). */
export type FrameDirection = 'in' | 'out';

/** A capture open on one device of a namespace, or on all of them (`tcpdump -i any`). */
export interface Capture {
	ns: Netns;
	/** The device, or undefined for every device of the namespace. */
	dev?: Link | undefined;
	/** Called with each frame the device sends or receives, before anything rewrites it. */
	frame(dev: Link, frame: Frame, dir: FrameDirection): void;
}

/**
 * The network stack shared by every namespace of a world: the coordinator of the packet walk.
 * It holds the sockets and the tracer, and is the one place the walk's modules reach each other
 * through, as the kernel's entry points (ip_local_out, ip_rcv, ip_local_deliver, icmp_send,
 * dev_queue_xmit, netif_receive_skb), so that imports between modules go one way only:
 *
 * - l2.ts: veth, bridge (FDB learning, flooding), macvlan; vxlan.ts: VXLAN encapsulation
 * - br-netfilter.ts: bridged IPv4 through conntrack and FORWARD, bridged DNAT and hairpin
 * - arp.ts: neighbour resolution, probes, queues, answering requests
 * - ipv4.ts: output, input, forwarding, local delivery; netfilter-hooks.ts: conntrack NAT, filter
 * - icmp.ts: echo and errors; tcp.ts: listeners and client sockets; trace.ts: packet walks
 *
 * Delivery is synchronous; only ARP timeouts wait on the virtual clock.
 */
import type { Ipv4 } from '../addr/ipv4.ts';
import type { Link } from '../model/link.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import { neighOutput } from './arp.ts';
import { icmpError, type PingSocket } from './icmp.ts';
import { ipOutput, ipReceive, localDeliver } from './ipv4.ts';
import { devReceive, devXmit } from './l2.ts';
import type { NfCtx } from './netfilter-hooks.ts';
import type { Frame, Ip4 } from '../model/packet.ts';
import type { Listener, TcpSocket } from './tcp.ts';
import type { Tracer } from './trace.ts';

/** Ping sockets, for the tools (ping). */
export type { PingSocket, SocketEvent } from './icmp.ts';

/** Frames may nest this deep (a bridge loop, VXLAN over itself) before the walk gives up. */
const MAX_HOPS = 64;

/** The network stack shared by every namespace of a world. */
export class Stack {
	readonly world: World;
	/** Open ping sockets (ping). */
	sockets: PingSocket[] = [];
	/** Open TCP client sockets (curl). */
	tcpSockets: TcpSocket[] = [];
	/** Listening servers (python3 -m http.server), seen by ss, kill and ip netns pids. */
	listeners: Listener[] = [];
	/** Set while a ping's first packet travels, to record its walk. */
	tracer?: Tracer | undefined;
	/** How deeply xmit calls nest right now (a guard against loops). */
	private depth = 0;

	constructor(world: World) {
		this.world = world;
		// A device getting carrier sends IPv6 multicast (MLD/DAD) at once: bridges learn its MAC.
		world.onIpv6Start = (link) => {
			const m = link.mac;
			this.xmit(link, { src: m, dst: [0x33, 0x33, 0xff, m[3] ?? 0, m[4] ?? 0, m[5] ?? 0] });
		};
	}

	/** Opens a ping socket. */
	open(ns: Netns, id: number): PingSocket {
		const s: PingSocket = { ns, id, events: [] };
		this.sockets.push(s);
		return s;
	}

	/** Closes a ping socket. */
	close(s: PingSocket): void {
		this.sockets = this.sockets.filter((x) => x !== s);
	}

	/**
	 * Sends a locally generated packet. Returns an errno name when the kernel refuses at once
	 * (no route, firewall), or undefined once the packet is on its way (or silently lost).
	 */
	sendLocal(ns: Netns, pkt: Ip4, oif?: Link): string | undefined {
		return ipOutput(this, ns, pkt, oif);
	}

	/** A packet arriving on `dev` (`pre` when PREROUTING already ran). */
	ipReceive(ns: Netns, dev: Link, pkt: Ip4, pre?: NfCtx): void {
		ipReceive(this, ns, dev, pkt, pre);
	}

	/** Hands a packet for this namespace to its protocol. */
	localDeliver(ns: Netns, pkt: Ip4, dev: Link): void {
		localDeliver(this, ns, pkt, dev);
	}

	/** Resolves the next hop and transmits; queues behind ARP when needed. */
	neighOutput(ns: Netns, dev: Link, nexthop: Ipv4, pkt: Ip4, origin: 'local' | 'forward'): void {
		neighOutput(this, ns, dev, nexthop, pkt, origin);
	}

	/** icmp_send: an error back to the packet's sender, from this namespace. */
	icmpError(ns: Netns, orig: Ip4, type: number, code: number, mtu?: number): void {
		icmpError(this, ns, orig, type, code, mtu);
	}

	/** Puts a frame on a device's wire. */
	xmit(dev: Link, frame: Frame): void {
		if (!dev.running()) return;
		if (++this.depth > MAX_HOPS * 4) {
			this.depth--;
			return;
		}
		try {
			devXmit(this, dev, frame);
		} finally {
			this.depth--;
		}
	}

	/** A frame arrives on a device. */
	receive(dev: Link, frame: Frame): void {
		if (!dev.running()) return;
		devReceive(this, dev, frame);
	}
}

/** Re-exported for the tools. */
export type { Mac } from '../addr/mac.ts';

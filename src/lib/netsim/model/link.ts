/** Network devices: the state `ip link` shows and the rules deriving flags and operstate from it. */
import type { Mac } from '../addr/mac.ts';
import type { Netns } from './netns.ts';
import { atLeast } from '../profile/profile.ts';

/**
 * Device kinds this kernel supports (no dummy, vlan, ipvlan: see KERNEL-FACTS); `nic` is an
 * Ethernet card (a VM's virtio NIC, a Pi's port): hardware, which no `ip link add` creates.
 */
export type LinkKind = 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'macvlan' | 'nic';

/**
 * Multicast groups a device has joined, in the order joined (its `self permanent` fdb rows):
 * IPv6's all-nodes, a bridge's multicast router groups, IPv4's all-hosts.
 */
export type McGroup = 'all-nodes' | 'router' | 'all-hosts';

/** A bridge port's on/off flags (IFLA_BRPORT_*), other than hairpin, as `bridge link set` names them. */
export type PortFlag = 'guard' | 'root_block' | 'fastleave' | 'learning' | 'learning_sync' | 'flood' | 'mcast_flood' | 'bcast_flood' | 'mcast_to_unicast' | 'neigh_suppress' | 'vlan_tunnel' | 'isolated' | 'locked' | 'proxy_arp' | 'proxy_arp_wifi';

/** A new port's flags (new_nbp: BR_LEARNING | BR_FLOOD | BR_MCAST_FLOOD | BR_BCAST_FLOOD). */
export function defaultPortFlags(): Record<PortFlag, boolean> {
	return {
		guard: false, root_block: false, fastleave: false, learning: true, learning_sync: false, flood: true, mcast_flood: true, bcast_flood: true,
		mcast_to_unicast: false, neigh_suppress: false, vlan_tunnel: false, isolated: false, locked: false, proxy_arp: false, proxy_arp_wifi: false,
	};
}

/** A bridge port's STP state, as `bridge link` prints it (no other bridge sends BPDUs here, so never blocking). */
type PortState = 'disabled' | 'listening' | 'learning' | 'forwarding';

/** A learned or static bridge forwarding entry. */
interface FdbEntry {
	mac: Mac;
	port: Link;
	/** Local entries (the ports' own MACs) never age and are marked permanent. */
	permanent: boolean;
	/** Added with `bridge fdb add` rather than learned. */
	static: boolean;
	updated: number;
}

/** VXLAN parameters. */
export interface VxlanInfo {
	id: number;
	learning: boolean;
	remote?: number | undefined;
	local?: number | undefined;
	group?: number | undefined;
	dstport: number;
	lower?: Link | undefined;
}

/** A network device in one namespace. */
export class Link {
	ns: Netns;
	ifindex: number;
	name: string;
	readonly kind: LinkKind;
	mac: Mac;
	/** True once the MAC was set by hand; a bridge then stops following its ports. */
	macFixed = false;
	mtu: number;
	adminUp = false;
	/**
	 * noop until the device is first opened, then noqueue (virtual devices have no queue), or the
	 * kernel's default qdisc on a NIC (fq_codel, Debian's kernel's default).
	 */
	qdisc: 'noop' | 'noqueue' | 'fq_codel' = 'noop';
	txqlen = 1000;
	peer?: Link | undefined;
	/** A NIC's cable: the NIC at its other end (the VM targets join the two on a QEMU hub). */
	wire?: Link | undefined;
	master?: Link | undefined;
	lower?: Link | undefined;
	alias?: string | undefined;
	/** Bridge forwarding database (bridges only). */
	fdb: FdbEntry[] = [];
	vxlan?: VxlanInfo | undefined;
	/** VXLAN forwarding entries (`bridge fdb append … dst IP`). */
	vxlanFdb: { mac: Mac; dst: number }[] = [];
	macvlanMode = 'vepa';
	/** Carrier at the last refresh, to notice it going away. */
	hadCarrier = false;
	/** Bridge port hairpin mode: frames may leave by the port they came in. */
	hairpin = false;
	/** Bridge port: its flags (learning, flooding…), fresh each time the device becomes a port. */
	portFlags = defaultPortFlags();
	/** Bridge port: its number on the bridge (the lowest free from 1, as br_add_if finds it). */
	portNo = 0;
	/** Bridge port: when it was last enabled (virtual ms), which starts its forward delay timer. */
	portEnabledAt = 0;
	/**
	 * Bridge: STP's port selection has run (a port was attached, its address was set, STP started
	 * on it up): from then on carrier follows the forwarding ports (state UNKNOWN, with carrier, before).
	 */
	hadPorts = false;
	/** The STP bridge id is computed when the bridge first opens or takes a port. */
	bridgeIdSet = false;
	/** Bridge: the kernel's STP is on (`stp_state 1`). */
	stp = false;
	/** Bridge: STP's forward delay in centiseconds, as iproute2 prints it (15 s). */
	forwardDelay = 1500;
	/** Bridge: when STP was last turned on (virtual ms): its hello timer runs from then. */
	stpOnAt = 0;
	/** Bridge port: enabled (up with carrier, on an up bridge) at the last refresh. */
	portWasEnabled = false;
	/**
	 * Bridge port: when it was enabled with STP on (virtual ms), from which it listens for one
	 * forward delay and learns for another before it forwards; undefined when it forwarded at once.
	 */
	stpSince?: number | undefined;
	/**
	 * The operstate linkwatch last stored for the device while it had no carrier (see
	 * `operOnCarrierLoss`): the kernel computes it when the pair is created, when carrier goes,
	 * and for the end that stays when its peer changes namespace; bringing the device up without
	 * carrier does not compute it again. Undefined: LOWERLAYERDOWN, as before Linux 6.12.
	 */
	operOverride?: string | undefined;
	/**
	 * Joined multicast groups, in order. IPv6 joins all-nodes when the device registers, and drops
	 * it when the device goes down after IPv6 came up on it (rejoining when it comes up again with
	 * carrier); IPv4's all-hosts and a bridge's router groups come and go with `up`.
	 */
	mcGroups: McGroup[] = ['all-nodes'];
	/** IPv6 came up on the device (up with carrier) since it was last down or registered. */
	v6Ready = false;
	/** Counters for `ip -s link`. */
	stats = { rxBytes: 0, rxPackets: 0, txBytes: 0, txPackets: 0 };

	constructor(ns: Netns, ifindex: number, name: string, kind: LinkKind, mac: Mac) {
		this.ns = ns;
		this.ifindex = ifindex;
		this.name = name;
		this.kind = kind;
		this.mac = mac;
		this.mtu = kind === 'loopback' ? 65536 : kind === 'vxlan' ? 1450 : 1500;
	}

	/** The device a frame sent here arrives on: a veth's peer, a NIC's far end of the cable. */
	farEnd(): Link | undefined {
		return this.kind === 'veth' ? this.peer : this.kind === 'nic' ? this.wire : undefined;
	}

	/** Bridge ports (devices whose master is this bridge). */
	ports(): Link[] {
		return this.ns.links.filter((l) => l.master === this);
	}

	/** Carrier as the kernel sees it (LOWER_UP). */
	carrier(): boolean {
		if (!this.adminUp) return false;
		switch (this.kind) {
			case 'loopback':
			case 'vxlan':
				return true;
			case 'nic':
				// QEMU's virtio NIC reports its link up whatever the far end does.
				return true;
			case 'veth':
				return this.peer?.adminUp === true;
			case 'macvlan':
				return this.lower?.carrier() === true;
			case 'bridge': {
				const ports = this.ports();
				if (ports.length === 0) return !this.hadPorts;
				// Carrier comes with a forwarding port: under STP, only after listening and learning.
				return ports.some((p) => p.portState() === 'forwarding');
			}
		}
	}

	/** Bridge port: up with carrier, on a bridge that is up (br_stp_enable_port). */
	portEnabled(): boolean {
		return this.master?.kind === 'bridge' && this.master.adminUp && this.running();
	}

	/** Bridge port: its STP state now (the forward delay timers run on the virtual clock). */
	portState(): PortState {
		if (!this.portEnabled()) return 'disabled';
		if (this.stpSince === undefined) return 'forwarding';
		const delay = (this.master?.forwardDelay ?? 1500) * 10;
		const t = this.ns.world.now - this.stpSince;
		return t < delay ? 'listening' : t < 2 * delay ? 'learning' : 'forwarding';
	}

	/**
	 * Bridge port: milliseconds left on its forward delay timer. br_make_forwarding arms it for one
	 * forward delay whenever the port is enabled, with STP or without (where the port forwards at
	 * once and the timer runs out unused); under STP it is armed again for the learning state.
	 */
	forwardDelayLeft(): number {
		if (!this.portEnabled()) return 0;
		const delay = (this.master?.forwardDelay ?? 1500) * 10;
		const t = this.ns.world.now - (this.stpSince ?? this.portEnabledAt);
		if (this.stpSince !== undefined && t >= delay) return Math.max(0, 2 * delay - t);
		return Math.max(0, delay - t);
	}

	/** RFC 2863 operational state as `ip link` prints it. */
	operstate(): string {
		if (!this.adminUp) return 'DOWN';
		if (this.kind === 'loopback' || this.kind === 'vxlan') return 'UNKNOWN';
		if (this.kind === 'bridge') {
			if (this.ports().length === 0 && !this.hadPorts) return 'UNKNOWN';
			return this.carrier() ? 'UP' : 'DOWN';
		}
		if (this.carrier()) return 'UP';
		return this.operOverride ?? 'LOWERLAYERDOWN';
	}

	/**
	 * The operstate linkwatch computes when the device loses carrier (default_operstate): one with
	 * a lower link (a veth's iflink is its peer's ifindex) is LOWERLAYERDOWN only if the device of
	 * that index *in its own namespace* is not up; since Linux 6.12 a peer in another namespace is
	 * not found there, so DOWN. The value stays until the next event, as the kernel keeps it.
	 */
	operOnCarrierLoss(): string | undefined {
		if (this.kind !== 'veth' || !this.peer || !atLeast(this.ns.world.profile.kernel, 6, 12)) return undefined;
		const lower = this.ns.linkByIndex(this.peer.ifindex);
		return lower && !lower.running() ? 'LOWERLAYERDOWN' : 'DOWN';
	}

	/** The flag words in iproute2's order, as both the text and the JSON output list them. */
	flags(): string[] {
		const out: string[] = [];
		const up = this.adminUp;
		const carrier = this.carrier();
		if (up && !carrier) out.push('NO-CARRIER');
		if (this.kind === 'loopback') out.push('LOOPBACK');
		else out.push('BROADCAST', 'MULTICAST');
		if (up) out.push('UP');
		if (up && carrier) out.push('LOWER_UP');
		return out;
	}

	/** M-DOWN: the device its iflink names (a veth's peer, a macvlan's lower) is here and administratively down. */
	peerDownHere(): boolean {
		// iproute2 looks up the device's iflink here: a veth's peer, a macvlan's lower device.
		const other = this.kind === 'veth' ? this.peer : this.kind === 'macvlan' ? this.lower : undefined;
		return other !== undefined && other.ns === this.ns && !other.adminUp;
	}

	/** True when this link is usable for sending (up with carrier). */
	running(): boolean {
		return this.adminUp && this.carrier();
	}
}

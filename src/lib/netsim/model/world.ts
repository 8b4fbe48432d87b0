/** The simulated machine room: every namespace, the virtual clock, the seeded RNG, and timers. */
import { Rng } from '../addr/mac.ts';
import { DEFAULT_PROFILE, type SimProfile } from '../profile/profile.ts';
import type { Capture } from './capture.ts';
import type { Link } from './link.ts';
import { Netns } from './netns.ts';
import type { Proc } from './process.ts';

/** A lab host: a machine with its own root namespace, hostname and /run/netns. */
export interface Host {
	name: string;
	hostname: string;
	root: Netns;
	/** Named namespaces in creation order (`ip netns list` prints newest first). */
	named: Map<string, Netns>;
	/** Processes that hold a namespace (`unshare --net sleep 600 &`), by PID (each host is a PID namespace). */
	procs: Map<number, Proc>;
}

interface Timer {
	at: number;
	seq: number;
	run: () => void;
}

/**
 * Where network namespaces' inode numbers start here: the kernel's start at 0xF0000000 and every
 * namespace of any type takes one; a lab host's others are below (model/process.ts).
 */
const FIRST_NETNS_INODE = 0xf0000000 + 400;

/** The wall clock's reading (Unix seconds) when a lab starts: clock-reading tools show time from it. */
export const WALL_START = 1_700_000_000;

/** All simulated kernel state plus the virtual clock (milliseconds). */
/**
 * linkwatch runs events on devices that are not running at most once a second of real time. The
 * kernel engine takes about 100 ms a command (the book: 645 commands in 67 s, settling included)
 * and the virtual clock 10 ms, so its second is about 100 virtual ms: ten commands. Recordings made
 * at another pace can differ (the fixture bridge-nat, step 14).
 */
const LINKWATCH_PERIOD_MS = 100;

/** What a linkwatch run stores for a device without carrier (rfc2863_policy's default_operstate). */
function storeOperstate(link: Link): void {
	if (!link.carrier()) link.operOverride = link.operOnCarrierLoss();
}

export class World {
	now = 0;
	readonly rng: Rng;
	/** The machine imitated: kernel and tool versions, how uplinks are wired (printers ask it). */
	readonly profile: SimProfile;
	namespaces: Netns[] = [];
	hosts = new Map<string, Host>();
	/**
	 * Called when a device starts IPv6 on a link (its first multicast: MLD report, DAD): the
	 * network stack sends a frame so that bridges learn the device's MAC, as they do on Linux.
	 */
	onIpv6Start?: ((link: Link) => void) | undefined;
	/** Open packet captures (tcpdump): the devices hand them every frame (engine/l2.ts). */
	captures: Capture[] = [];
	/** Hidden lab plumbing (set by the lab builder), so traces can name it. */
	infra?: { wires?: Netns | undefined; upstream?: Netns | undefined; internet: Set<number> } | undefined;
	private timers: Timer[] = [];
	private timerSeq = 0;
	/** Devices waiting for linkwatch, and when it may next run them (virtual ms). */
	private linkwatchQueue = new Set<Link>();
	private linkwatchNext = -Infinity;
	private serial = 0;

	constructor(seed: number, profile: SimProfile = DEFAULT_PROFILE) {
		this.rng = new Rng(seed);
		this.profile = profile;
	}

	/** Creates a namespace (with its `lo`), with the lowest inode number free (proc_alloc_inum). */
	createNetns(): Netns {
		const ns = new Netns(this, ++this.serial);
		const used = new Set(this.namespaces.map((n) => n.inode));
		let inode = FIRST_NETNS_INODE;
		while (used.has(inode)) inode++;
		ns.inode = inode;
		this.namespaces.push(ns);
		return ns;
	}

	/** Destroys a namespace: its devices go (veth peers with them), ids pointing at it are freed. */
	destroyNetns(ns: Netns): void {
		for (const link of [...ns.links]) this.deleteLink(link);
		ns.alive = false;
		this.namespaces = this.namespaces.filter((n) => n !== ns);
		for (const other of this.namespaces) other.nsids.delete(ns);
	}

	/** Deletes a device, and its veth peer; bridge ports are released. */
	deleteLink(link: Link): void {
		const ns = link.ns;
		if (!ns.links.includes(link)) return;
		if (link.adminUp) ns.linkDown(link);
		for (const port of link.ports()) port.master = undefined;
		for (const l of ns.links) if (l.lower === link) this.deleteLink(l);
		ns.links = ns.links.filter((l) => l !== link);
		ns.addrs = ns.addrs.filter((a) => a.link !== link);
		ns.flushLinkState(link);
		for (const other of this.namespaces)
			for (const br of other.links) br.fdb = br.fdb.filter((e) => e.port !== link);
		if (link.master) {
			const br = link.master;
			link.master = undefined;
			this.updateBridgeMac(br);
		}
		const peer = link.peer;
		link.peer = undefined;
		if (peer) {
			peer.peer = undefined;
			this.deleteLink(peer);
		}
		this.refreshAll();
	}

	/**
	 * A link event happened (creation, move, up/down): the kernel sends RTM_NEWLINK in the
	 * device's namespace, and filling it allocates an id for the peer's namespace.
	 */
	linkEvent(link: Link): void {
		const peer = link.peer ?? link.lower;
		if (peer && peer.ns !== link.ns) link.ns.nsid(peer.ns, true);
	}

	/** A bridge without a fixed MAC takes the lowest MAC among its ports. */
	updateBridgeMac(br: Link): void {
		if (br.kind !== 'bridge' || br.macFixed) return;
		const ports = br.ports();
		if (ports.length === 0) {
			// The last port gone, a bridge whose address was never set has none.
			br.mac = [0, 0, 0, 0, 0, 0];
			return;
		}
		const before = br.mac.join();
		let low = ports[0]!.mac;
		for (const p of ports) {
			for (let i = 0; i < 6; i++) {
				const d = (p.mac[i] ?? 0) - (low[i] ?? 0);
				if (d < 0) {
					low = p.mac;
					break;
				}
				if (d > 0) break;
			}
		}
		br.mac = low;
		if (low.join() !== before) this.addressChanged(br);
	}

	/**
	 * NETDEV_CHANGEADDR: a device's MAC changed (set by hand, or a bridge's taken from a port).
	 * ARP's neigh_changeaddr forgets every neighbour on it, permanent ones too.
	 */
	addressChanged(link: Link): void {
		link.ns.neigh = link.ns.neigh.filter((n) => n.link !== link);
	}

	/** Re-derives carrier-dependent state everywhere (bridge ports' STP start, link-local addresses). */
	refreshAll(): void {
		// A port enabled while its bridge runs STP listens, then learns, before it forwards; one
		// enabled without STP forwards at once, and stays so when STP is turned on or off later.
		for (const ns of this.namespaces)
			for (const link of ns.links) {
				const enabled = link.portEnabled();
				if (enabled && !link.portWasEnabled) {
					link.stpSince = link.master?.stp ? this.now : undefined;
					link.portEnabledAt = this.now;
				}
				if (!enabled) link.stpSince = undefined;
				// A port disabled (down, without carrier, or its bridge down: br_stp_disable_port)
				// loses what the bridge learned through it; static and permanent entries stay.
				if (!enabled && link.portWasEnabled && link.master)
					link.master.fdb = link.master.fdb.filter((e) => e.port !== link || e.permanent || e.static);
				link.portWasEnabled = enabled;
			}
		for (const ns of this.namespaces)
			for (const link of ns.links) {
				const carrier = link.carrier();
				// Losing carrier flushes the device's neighbours (neigh_carrier_down).
				if (link.hadCarrier && !carrier) {
					ns.neigh = ns.neigh.filter((n) => n.link !== link || n.state === 'PERMANENT' || n.state === 'NOARP');
					link.operOverride = link.operOnCarrierLoss();
				}
				link.hadCarrier = carrier;
				// IPv6 comes up with carrier (addrconf): all-nodes is joined again if a down dropped it.
				if (link.adminUp && carrier && !link.v6Ready) {
					link.v6Ready = true;
					if (!link.mcGroups.includes('all-nodes')) link.mcGroups.push('all-nodes');
				}
				ns.ensureLinkLocal(link);
			}
	}

	/**
	 * Queues a device for linkwatch, which stores its operstate for no carrier (`operOnCarrierLoss`).
	 * Events on a device that is not running wait: linkwatch runs them at most once a second
	 * (at once when it has been idle that long), so a pair created and then moved within the same
	 * second is judged where its ends are by then. Events on running devices (carrier lost by an
	 * up device) do not wait: refresh handles them.
	 */
	linkwatch(link: Link): void {
		this.linkwatchQueue.add(link);
		if (this.linkwatchQueue.size === 1) this.at(Math.max(this.now, this.linkwatchNext), () => this.runLinkwatch());
	}

	/**
	 * Runs what linkwatch has queued and forgets when it last ran, as after a lab's build: the
	 * real one takes seconds before the first command, so linkwatch is idle by then.
	 */
	linkwatchSettle(): void {
		this.runLinkwatch();
		this.linkwatchNext = -Infinity;
	}

	/** Runs the device's own pending linkwatch event now, if it has one (linkwatch_sync_dev). */
	linkwatchSync(link: Link): void {
		if (this.linkwatchQueue.delete(link)) storeOperstate(link);
	}

	private runLinkwatch(): void {
		if (this.linkwatchQueue.size === 0) return;
		this.linkwatchNext = this.now + LINKWATCH_PERIOD_MS;
		for (const link of this.linkwatchQueue) if (link.ns.links.includes(link)) storeOperstate(link);
		this.linkwatchQueue.clear();
	}

	/** Schedules a callback on the virtual clock. */
	at(time: number, run: () => void): void {
		// Kept sorted by time, then by order of arrival: a new timer goes after every one due no
		// later (a binary search, not a sort of the whole list per timer).
		let lo = 0;
		let hi = this.timers.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.timers[mid]!.at <= time) lo = mid + 1;
			else hi = mid;
		}
		this.timers.splice(lo, 0, { at: time, seq: ++this.timerSeq, run });
	}

	/** Runs timers due up to `time` and moves the clock there. */
	advance(time: number): void {
		while (this.timers.length > 0 && this.timers[0]!.at <= time) {
			const t = this.timers.shift()!;
			if (t.at > this.now) this.now = t.at;
			t.run();
		}
		if (time > this.now) this.now = time;
	}

	/** Time of the next pending timer, if any. */
	nextTimer(): number | undefined {
		return this.timers[0]?.at;
	}

	/** A fresh random MAC. */
	mac() {
		return this.rng.mac();
	}
}

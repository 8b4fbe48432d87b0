/**
 * Address management the way the reference `host-local` plugin does it, on disk in the same
 * layout: `<dataDir>/<network>/` holds one file per allocated address, named after it and holding
 * `<container id>\r\n<ifname>`, and `last_reserved_ip.0` with the last address handed out.
 * Creating an address's file with O_EXCL is the reservation, so two plugins running at once can
 * never take the same address: the loser moves on to the next one.
 */
import type { IpamConf } from './config.ts';
import { formatIpv4, parseIpv4 } from './ipv4.ts';
import { Code, CniError } from './spec.ts';
import type { Files } from './system.ts';

const LAST = 'last_reserved_ip.0';

/** `dir/name`, as path.join would give it for a file name (no `..` to resolve in either). */
const join = (dir: string, name: string): string => `${dir.replace(/\/+$/, '')}/${name}`;

/**
 * The addresses to try, in host-local's order: from just after the last one handed out to the
 * end of the range, then from its start; the gateway never.
 */
export function* candidates(ipam: Pick<IpamConf, 'rangeStart' | 'rangeEnd' | 'gateway'>, last: number | undefined): Generator<number> {
	const { rangeStart: start, rangeEnd: end, gateway } = ipam;
	const first = last !== undefined && last >= start && last < end ? last + 1 : start;
	for (let ip = first; ip <= end; ip++) if (ip !== gateway) yield ip;
	for (let ip = start; ip < first; ip++) if (ip !== gateway) yield ip;
}

/** What an address's file holds: the attachment that owns it. */
const owner = (containerId: string, ifname: string): string => `${containerId}\r\n${ifname}`;

/** The allocations of one network, in `<dataDir>/<network>/`. */
export class AddressStore {
	readonly files: Files;
	readonly ipam: IpamConf;
	readonly dir: string;

	constructor(files: Files, ipam: IpamConf, network: string) {
		this.files = files;
		this.ipam = ipam;
		this.dir = join(ipam.dataDir, network);
	}

	/** Reserves the next free address for the attachment; code 101 when the range is full. */
	reserve(containerId: string, ifname: string): number {
		const { ipam } = this;
		this.files.mkdirp(this.dir);
		const last = this.read(LAST);
		for (const ip of candidates(ipam, last === undefined ? undefined : parseIpv4(last.trim()))) {
			try {
				this.files.write(join(this.dir, formatIpv4(ip)), owner(containerId, ifname), true);
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
				throw e;
			}
			this.files.write(join(this.dir, LAST), formatIpv4(ip));
			return ip;
		}
		throw new CniError(Code.noFreeAddress, `no free address left in ${formatIpv4(ipam.rangeStart)}-${formatIpv4(ipam.rangeEnd)}`, `allocations are files in ${this.dir}`);
	}

	/** The addresses the attachment holds (none after a DEL). */
	find(containerId: string, ifname: string): number[] {
		let names: string[];
		try {
			names = this.files.list(this.dir);
		} catch {
			return []; // no allocation was ever made on this network
		}
		const mine = owner(containerId, ifname);
		return names.flatMap((name) => {
			const ip = parseIpv4(name);
			return ip !== undefined && this.read(name)?.trim() === mine ? [ip] : [];
		});
	}

	/** Frees the attachment's addresses; freeing nothing is not an error (DEL may come twice). */
	release(containerId: string, ifname: string): void {
		for (const ip of this.find(containerId, ifname)) this.files.remove(join(this.dir, formatIpv4(ip)));
	}

	private read(name: string): string | undefined {
		try {
			return this.files.read(join(this.dir, name));
		} catch {
			return undefined;
		}
	}
}

/**
 * net-tools' `arp` (1.60, Debian's), showing the ARP cache as it does: it reads /proc/net/arp
 * and prints each entry in its table (`arp_disp_2`, the default) or BSD's style (`-a`, `arp_disp`).
 * Changing the cache (`-s`, `-d`, `-f`) says to use `ip neigh`, which the book uses.
 */
import { parseIpv4Strict } from '../../addr/ipv4.ts';
import { procNetArp } from '../../shell/proc-net.ts';
import type { VfsOf } from '../../shell/vfs.ts';
import type { Tool } from '../../tool/types.ts';
import { hostNames } from './hosts.ts';

const ATF_COM = 0x2;
const ATF_PERM = 0x4;

/** A line of the table (`-e`, the default): address, type, hardware address, flags, mask, device. */
function tableLine(name: string, type: string, flags: number, hwa: string, dev: string): string {
	const f = `${flags & ATF_COM ? 'C' : ''}${flags & ATF_PERM ? 'M' : ''}`;
	const hw = flags & ATF_COM ? `${type.padEnd(8)}${hwa.padEnd(20)}` : `${''.padEnd(8)}${'(incomplete)'.padEnd(20)}`;
	return `${name.slice(0, 23).padEnd(23)}  ${hw}${f.padEnd(6)}${''.padEnd(15)} ${dev}\n`;
}

/** A line in BSD's style (`-a`): `? (ADDR) at HWADDR [ether] on DEV`. */
function bsdLine(name: string, ip: string, type: string, flags: number, hwa: string, dev: string): string {
	const at = flags & ATF_COM ? `${hwa} [${type}] ` : '<incomplete> ';
	return `${name} (${ip}) at ${at}${flags & ATF_PERM ? 'PERM ' : ''}on ${dev}\n`;
}

const DECLINE = 'arp: only showing the cache is available in this simulator (use ip neigh add, ip neigh del, as the book does)\n';

/** `arp [-n] [-a | -e] [-v] [-i DEV] [ADDR]`. */
export function arpTool(vfsOf: VfsOf): Tool {
	return (argv, ctx) => {
		let numeric = false;
		let bsd = false;
		let verbose = false;
		let device = '';
		let host = '';
		for (let i = 0; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a === '--device') device = argv[++i] ?? '';
			else if (a === '--numeric') numeric = true;
			else if (a === '--all') bsd = true;
			else if (a === '--verbose') verbose = true;
			else if (/^-[naevi]/.test(a)) {
				// A cluster of short options, as getopt reads it: -i takes the rest or the next word.
				for (let k = 1; k < a.length; k++) {
					const c = a[k];
					if (c === 'n') numeric = true;
					else if (c === 'a') bsd = true;
					else if (c === 'e') bsd = false;
					else if (c === 'v') verbose = true;
					else if (c === 'i') {
						device = k + 1 < a.length ? a.slice(k + 1) : (argv[++i] ?? '');
						break;
					} else return { stdout: '', stderr: DECLINE, exit: 1 };
				}
			} else if (a.startsWith('-')) return { stdout: '', stderr: DECLINE, exit: 1 };
			else host = a;
		}
		if (host && parseIpv4Strict(host) === null) return { stdout: '', stderr: `${host}: Unknown host\n`, exit: 255 };
		const names = hostNames(vfsOf(ctx), ctx);
		const lines = procNetArp(ctx.ns).split('\n').slice(1, -1);
		let out = '';
		let shown = 0;
		for (const line of lines) {
			const [addr = '', type = '', flags = '', hwa = '', , dev = ''] = line.split(/\s+/);
			if (host && addr !== host) continue;
			if (device && dev !== device) continue;
			shown++;
			const name = numeric ? addr : (names.get(addr) ?? addr);
			const f = Number.parseInt(flags, 16);
			const hwName = type === '0x1' ? 'ether' : type === '0x304' ? 'loop' : 'ether';
			if (bsd) out += bsdLine(name === addr ? '?' : name, addr, hwName, f, hwa, dev);
			else out += (shown === 1 ? 'Address                  HWtype  HWaddress           Flags Mask            Iface\n' : '') + tableLine(name, hwName, f, hwa, dev);
		}
		if (verbose) out += `Entries: ${lines.length}\tSkipped: ${lines.length - shown}\tFound: ${shown}\n`;
		if (!shown) {
			if (host && !bsd) out += `${host} (${host}) -- no entry\n`;
			else if (host || device) out += `arp: in ${lines.length} entries no match found.\n`;
		}
		return { stdout: out, stderr: '', exit: 0 };
	};
}

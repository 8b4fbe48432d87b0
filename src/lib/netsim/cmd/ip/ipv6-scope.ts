/**
 * How far the simulator's IPv6 goes: the link-local addresses and `::1` the kernel gives every
 * device, and the kernel's routes of every IPv6 address, which `ip -6 addr`/`ip -6 route` print
 * exactly; other IPv6 addresses (global, unique-local) `ip addr` adds, deletes and lists exactly
 * too. What goes beyond (an IPv6 route, neighbour or rule of one's own, a route lookup, a
 * selection or another table of `ip -6 route`) says in one line that it is not available here, rather than
 * answering as if the kernel had done it.
 */
import { canonicalIpv6 } from '../../addr/ipv6.ts';
import type { Tool } from '../../tool/types.ts';

export const IPV6_DECLINE =
	"ip: IPv6 routes and neighbours beyond link-local are not available in this simulator (it models IPv4 and ip addr's IPv6 addresses; for IPv6 routing, run the chapter's script on a real Linux machine)\n";

const IPV4_WORD = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;

/** True for an IPv6 address or prefix the simulator does not model (all but fe80::/10, ::1, ::, ff00::/8). */
export function beyondLinkLocal(word: string): boolean {
	// Most words of an ip command are no IPv6 address at all: skip the parse for them.
	if (!word.includes(':')) return false;
	const [addr = '', len] = word.split('/');
	if (len !== undefined && !/^\d{1,3}$/.test(len)) return false;
	const text = canonicalIpv6(addr);
	if (text === null) return false;
	return !(text === '::1' || text === '::' || /^fe[89ab][0-9a-f]:/.test(text) || /^ff[0-9a-f]{2}:/.test(text));
}

/** `ip`, answering the IPv6 it does not model with one line (exit 2, as a refused request). */
export function withIpv6Scope(ip: Tool): Tool {
	return (argv, ctx) => {
		// Nearly every ip command names no IPv6 at all: no address with a colon, no -6 or inet6.
		if (!argv.some((w) => w.includes(':') || w === '-6' || w === 'inet6')) return ip(argv, ctx);
		const at = argv.findIndex((w, i) => !w.startsWith('-') && !['-n', '-netns', '--netns', '-f', '-family', '--family'].includes(argv[i - 1] ?? ''));
		const obj = argv[at] ?? '';
		if (obj.startsWith('netns') || obj === 'help') return ip(argv, ctx);
		const opts = argv.slice(0, Math.max(at, 0));
		const family = (name: string, flag: string) => opts.some((w, i, all) => w === flag || (w.replace(/^--?/, '-').startsWith('-f') && all[i + 1] === name));
		const six = family('inet6', '-6');
		const rest = argv.slice(at + 1);
		// A word of the other family is a malformed request: ip refuses it in its own words first
		// ("inet prefix is expected rather than …"), before anything reaches the kernel.
		if (family('inet', '-4') || (six && rest.some((w) => IPV4_WORD.test(w)))) return ip(argv, ctx);
		if (at < 0 || /^a(d|dd|ddr|ddre|ddres|ddress)?$/.test(obj)) return ip(argv, ctx);
		const route = /^r(o|ou|out|oute)?$/.test(obj);
		// A listing the model prints: all of the main table's routes (the kernel's prefix routes of
		// every IPv6 address, link-local or not), nothing selected.
		const listing = rest.length === 0 || (/^(s|sh|sho|show|l|li|lis|list|lst)$/.test(rest[0] ?? '') && ['', 'table main', 'table 254'].includes(rest.slice(1).join(' ')));
		if (rest.some(beyondLinkLocal) || (six && route && !listing)) {
			return { stdout: '', stderr: IPV6_DECLINE, exit: 2 };
		}
		return ip(argv, ctx);
	};
}

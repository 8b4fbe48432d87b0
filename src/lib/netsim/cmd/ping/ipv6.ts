/**
 * ping over IPv6 (`-6`, or an IPv6 destination, `::1` included): the simulator's packet walk is
 * IPv4's, so it says so in one line rather than answering as a kernel without IPv6 routes would.
 */
import { parseIpv4Strict } from '../../addr/ipv4.ts';
import { canonicalIpv6 } from '../../addr/ipv6.ts';
import type { Tool } from '../../tool/types.ts';

export const PING6_DECLINE =
	"ping: IPv6 is not available in this simulator (it walks IPv4 packets; for ping -6, run the chapter's script on a real Linux machine)\n";

/** `ping`, declining IPv6 with one line (exit 2, ping's exit for an error). */
export function withoutIpv6(ping: Tool): Tool {
	return (argv, ctx) => {
		const dest = [...argv].reverse().find((w) => !w.startsWith('-')) ?? '';
		const six = argv.some((w) => /^-[^-]*6/.test(w) && !/^-[cwWisIlmMpQStTF]/.test(w));
		// `-6` towards an IPv4 address is ping's own error, which the simulator prints.
		const ipv6 = canonicalIpv6(dest.split('%')[0] ?? '') !== null || (six && parseIpv4Strict(dest) === null);
		return ipv6 ? { stdout: '', stderr: PING6_DECLINE, exit: 2 } : ping(argv, ctx);
	};
}

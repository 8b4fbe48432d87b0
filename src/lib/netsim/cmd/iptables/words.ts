/** iptables 1.8.9's fixed wording: its version banner, the hint after usage errors, its built-in targets. */

/** How iptables names itself at the start of its errors. */
export const V = 'iptables v1.8.9 (nf_tables)';

/** The hint after a usage error. */
export const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";

/** Targets that are not chains. */
export const BUILTIN_TARGETS = ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'LOG', 'MARK', 'CONNMARK', 'NOTRACK', 'CT'];

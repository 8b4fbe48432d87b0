/** ping's command line (iputils 20221126): its options, their checks and words, and its usage text. */
import { exitWith } from '../../tool/exit.ts';

/** ping's usage text, printed after option errors. */
const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

/** Options that take a value (the rest of the word, or the next word). */
const WITH_ARG = new Set(['c', 'i', 'I', 'W', 'w', 's', 't', 'l', 'p', 'Q', 'S', 'm', 'M', 'e', 'F', 'N', 'T']);
/** Options without a value. */
const FLAGS = new Set(['4', '6', 'a', 'A', 'b', 'B', 'C', 'd', 'D', 'f', 'L', 'n', 'O', 'q', 'R', 'U', 'v', 'V', 'h', 'r']);

/** What the options ask for. */
export interface PingOpts {
	count?: number | undefined;
	interval: number;
	iface?: string | undefined;
	timeout?: number | undefined;
	deadline?: number | undefined;
	size: number;
	ttl?: number | undefined;
	quiet: boolean;
	broadcast: boolean;
	pmtu?: string | undefined;
	timestamps: boolean;
	pattern?: string | undefined;
	v6: boolean;
	/** -n: replies name their sender by address only. */
	numeric: boolean;
}

/** A parsed command line: the options, the words that are not options, and warnings already due. */
interface PingArgs {
	o: PingOpts;
	positional: string[];
	warnings: string;
}

/**
 * A numeric option's value. Not a number, or out of range, ends ping with its message (exit 1),
 * or with `instead` (exit 2) for the options that word it their own way.
 */
function num(text: string, min: number, max: number, float: boolean, instead?: string): number {
	const ok = float ? /^\s*[0-9]*\.?[0-9]+\s*$/.test(text) : /^\s*-?[0-9]+$/.test(text);
	if (!ok) exitWith(instead ? 2 : 1, instead ?? `ping: invalid argument: '${text}'\n`);
	const v = Number(text);
	if (v < min || v > max) exitWith(instead ? 2 : 1, instead ?? `ping: invalid argument: '${text}': out of range: ${min} <= value <= ${max === Number.MAX_SAFE_INTEGER ? '9223372036854775807' : max}\n`);
	return v;
}

/** Reads the value of option `c` into the options; returns a warning for ping to print, if any. */
function valueOption(o: PingOpts, c: string, v: string): string {
	if (c === 'c') o.count = num(v, 1, Number.MAX_SAFE_INTEGER, false);
	else if (c === 'i') o.interval = num(v, 0, 2147483, true, `ping: bad timing interval: ${v}\n`);
	else if (c === 'W') {
		if (/^[0-9]*\.?[0-9]+$/.test(v)) o.timeout = Number(v);
		else {
			// iputils reads the number in front and warns about the rest.
			const lead = parseFloat(v);
			if (!Number.isNaN(lead)) o.timeout = lead;
			return `ping: option argument contains garbage: ${v}\nping: this will become fatal error in the future\n`;
		}
	} else if (c === 'w') o.deadline = num(v, 0, 2147483647, true);
	else if (c === 's') o.size = num(v, 0, 2147483647, false);
	else if (c === 't') {
		o.ttl = num(v, 0, 255, false);
		if (o.ttl === 0) exitWith(2, 'ping: cannot set unicast time-to-live: Invalid argument\n');
	} else if (c === 'p') {
		if (!/^[0-9a-fA-F]+$/.test(v)) exitWith(2, `ping: patterns must be specified as hex digits: ${v}\n`);
		o.pattern = v.slice(0, 32);
	} else if (c === 'I') o.iface = v;
	else if (c === 'M') {
		if (!['do', 'dont', 'want', 'probe'].includes(v)) exitWith(2, `ping: invalid -M argument: ${v}\n`);
		o.pmtu = v;
	}
	return '';
}

/** Sets a flag; -V and -h end ping at once. */
function flagOption(o: PingOpts, c: string): void {
	if (!FLAGS.has(c)) exitWith(2, `ping: invalid option -- '${c}'\n${USAGE}`);
	if (c === 'q') o.quiet = true;
	else if (c === 'b') o.broadcast = true;
	else if (c === 'V') exitWith(0, '', 'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n');
	else if (c === 'D') o.timestamps = true;
	else if (c === 'h') exitWith(2, USAGE.slice(1));
	else if (c === '6') o.v6 = true;
	else if (c === 'n') o.numeric = true;
}

/** getopt over ping's options: clusters (`-qc1`), values in the word or the next, `--` ends them. */
export function parseOptions(argv: string[]): PingArgs {
	const o: PingOpts = { interval: 1, size: 56, quiet: false, broadcast: false, timestamps: false, v6: false, numeric: false };
	let warnings = '';
	const positional: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (!arg.startsWith('-') || arg === '-' || arg === '--') {
			if (arg !== '--') positional.push(arg);
			else positional.push(...argv.slice(i + 1));
			if (arg === '--') break;
			continue;
		}
		for (let j = 1; j < arg.length; j++) {
			const c = arg[j] as string;
			if (!WITH_ARG.has(c)) {
				flagOption(o, c);
				continue;
			}
			let v = arg.slice(j + 1);
			if (v === '') {
				const next = argv[++i];
				if (next === undefined) exitWith(2, `ping: option requires an argument -- '${c}'\n${USAGE}`);
				v = next;
			}
			warnings += valueOption(o, c, v);
			break;
		}
	}
	return { o, positional, warnings };
}

/**
 * tcpdump: a packet capture on one device (or `any`) of the namespace it runs in, fed by the
 * devices' taps (engine/l2.ts). Started in the background (`tcpdump -c 2 … &`, then traffic, then
 * `wait`) it prints each frame that passes its filter as the traffic flows, and its counts when
 * it has seen `-c` frames or is stopped. In the foreground nothing else can run meanwhile, so it
 * prints what a real one would before it is interrupted, and a reader's prompt says why.
 */
import { versionText } from '../../profile/profile.ts';
import type { Capture } from '../../model/capture.ts';
import type { Link } from '../../model/link.ts';
import type { Context, ExecResult, Job, Tool } from '../../tool/types.ts';
import { compileFilter, FilterError } from './filter.ts';
import { printFrame, type PrintFlags } from './print.ts';

/** What tcpdump's command line asked for. */
interface Options {
	dev?: string | undefined;
	count?: number | undefined;
	flags: PrintFlags;
	numeric: number;
	list: boolean;
	version: boolean;
	filter: string[];
}

/** Options that take a value (tcpdump's getopt string). */
const WITH_VALUE = new Set(['c', 'C', 'E', 'F', 'G', 'i', 'j', 'm', 'M', 'Q', 'r', 's', 'T', 'V', 'w', 'W', 'y', 'z', 'Z', 'B']);
/** Options the simulator does not model, and what they are. */
const NOT_MODELLED: Record<string, string> = {
	w: 'writing a capture file',
	r: 'reading a capture file',
	x: 'hex dumps',
	X: 'hex and ASCII dumps',
	A: 'ASCII dumps',
	B: 'buffer sizes',
	y: 'link types',
	L: 'link types',
};

const fail = (stderr: string, exit = 1): ExecResult => ({ stdout: '', stderr, exit });

/** A command line tcpdump answers with its usage (a bad option, a missing value, -h). */
interface Usage {
	usage: true;
	help?: true;
	/** The option whose value is missing (getopt says so first). */
	missing?: string;
}

function parse(argv: string[]): Options | ExecResult | Usage {
	const o: Options = { flags: { link: false, quiet: false, verbose: 0, noTime: false, cooked: false }, numeric: 0, list: false, version: false, filter: [] };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '--version') {
			o.version = true;
			continue;
		}
		if (a === '--immediate-mode' || a === '--no-promiscuous-mode' || a === '--list-interfaces') {
			if (a === '--list-interfaces') o.list = true;
			continue;
		}
		if (a.startsWith('--interface=')) {
			o.dev = a.slice('--interface='.length);
			continue;
		}
		if (!a.startsWith('-') || a === '-') {
			o.filter = argv.slice(i);
			break;
		}
		for (let k = 1; k < a.length; k++) {
			const f = a[k] as string;
			if (WITH_VALUE.has(f)) {
				const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
				if (v === undefined) return { usage: true, missing: f };
				if (NOT_MODELLED[f]) return fail(`tcpdump: ${NOT_MODELLED[f]} (-${f}) is not modelled in this simulator; run the chapter's script on a real Linux machine for it\n`);
				if (f === 'i') o.dev = v;
				if (f === 'c') {
					if (!/^\d+$/.test(v) || Number(v) <= 0) return fail(`tcpdump: invalid packet count ${v}\n`);
					o.count = Number(v);
				}
				break;
			}
			if (NOT_MODELLED[f]) return fail(`tcpdump: ${NOT_MODELLED[f]} (-${f}) is not modelled in this simulator; run the chapter's script on a real Linux machine for it\n`);
			if (f === 'e') o.flags.link = true;
			else if (f === 'n') o.numeric++;
			else if (f === 'q') o.flags.quiet = true;
			else if (f === 'v') o.flags.verbose++;
			else if (f === 't') o.flags.noTime = true;
			else if (f === 'D') o.list = true;
			else if (f === 'h') return { usage: true, help: true };
			else if (!'lpSuUNKOI#'.includes(f)) return { usage: true };
		}
	}
	return o;
}

/** `tcpdump --version`, and the head of its usage: its version, libpcap's and OpenSSL's (masked by the normaliser: it changes with every security update). */
function versionLines(ctx: Context): string {
	const p = ctx.world.profile;
	return `tcpdump version ${versionText(p.tcpdump)}\nlibpcap version ${versionText(p.libpcap)} (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n`;
}

/** tcpdump 4.99's usage text (to stderr). */
const USAGE = `Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
`;

/** `tcpdump -D`: the devices of the namespace, then libpcap's pseudo-devices. */
function listDevices(ctx: Context): string {
	const links = [...ctx.ns.links].sort((a, b) => rank(a) - rank(b));
	const lines = links.map((l) => `${l.name} [${[l.adminUp ? 'Up' : '', l.running() && l.kind !== 'loopback' ? 'Running' : l.adminUp && l.kind === 'loopback' ? 'Running' : '', l.kind === 'loopback' ? 'Loopback' : l.running() ? 'Connected' : 'Disconnected'].filter(Boolean).join(', ')}]`);
	const up = links.findIndex((l) => !l.adminUp || l.kind === 'loopback');
	const at = up < 0 ? lines.length : up;
	lines.splice(at, 0, 'any (Pseudo-device that captures on all interfaces) [Up, Running]');
	lines.push('bluetooth-monitor (Bluetooth Linux Monitor) [Wireless]', 'nflog (Linux netfilter log (NFLOG) interface) [none]', 'nfqueue (Linux netfilter queue (NFQUEUE) interface) [none]', 'dbus-system (D-Bus system bus) [none]', 'dbus-session (D-Bus session bus) [none]');
	return lines.map((l, i) => `${i + 1}.${l}\n`).join('');
}

/** libpcap lists running devices first, then up ones, loopback after them, then down ones. */
function rank(l: Link): number {
	if (l.kind === 'loopback') return l.adminUp ? 2 : 3;
	return l.running() ? 0 : l.adminUp ? 1 : 3;
}

/** Builds the tcpdump tool. */
export function tcpdump(): Tool {
	return (argv, ctx) => {
		const o = parse(argv);
		if ('exit' in o) return o;
		// An unknown option gets just the versions and the usage (no getopt complaint); -h exits 0.
		if ('usage' in o) return { stdout: '', stderr: (o.missing ? `tcpdump: option requires an argument -- '${o.missing}'\n` : '') + versionLines(ctx) + USAGE, exit: o.help ? 0 : 1 };
		if (o.version) return { stdout: versionLines(ctx), stderr: '', exit: 0 };
		if (o.list) return { stdout: listDevices(ctx), stderr: '', exit: 0 };
		let dev: Link | undefined;
		const any = o.dev === 'any';
		if (!any) {
			if (o.dev === undefined) dev = [...ctx.ns.links].sort((a, b) => rank(a) - rank(b)).find((l) => l.adminUp && l.kind !== 'loopback');
			else dev = ctx.ns.links.find((l) => l.name === o.dev);
			if (!dev) return o.dev === undefined ? fail('tcpdump: no suitable device found\n') : fail(`tcpdump: ${o.dev}: No such device exists\n(No such device exists)\n`);
			if (!dev.adminUp) return fail(`tcpdump: ${dev.name}: That device is not up\n`);
		}
		let filter;
		try {
			filter = compileFilter(o.filter);
		} catch (e) {
			if (e instanceof FilterError) return fail(`tcpdump: ${e.message}\n`);
			throw e;
		}
		const flags: PrintFlags = { ...o.flags, cooked: any };
		const name = any ? 'any' : (dev as Link).name;
		const linkType = any ? 'LINUX_SLL2 (Linux cooked v2)' : 'EN10MB (Ethernet)';
		let start = any ? 'tcpdump: data link type LINUX_SLL2\n' : '';
		start += flags.verbose ? 'tcpdump: ' : 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n';
		start += `listening on ${name}, link-type ${linkType}, snapshot length 262144 bytes\n`;

		let out = '';
		let captured = 0;
		let done = false;
		const stats = (): string => `${captured} packet${captured === 1 ? '' : 's'} captured\n${captured} packet${captured === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`;
		let err = '';
		const world = ctx.world;
		const capture: Capture = {
			ns: ctx.ns,
			dev,
			frame(link, frame, dir) {
				if (done || !filter(frame)) return;
				out += `${printFrame(frame, flags, { now: world.now, dev: link.name, ifindex: link.ifindex, mac: link.mac, dir })}\n`;
				captured++;
				if (o.count !== undefined && captured >= o.count) finish();
			},
		};
		/** The capture ends: the devices stop handing it frames. */
		const close = (): void => {
			done = true;
			world.captures = world.captures.filter((c) => c !== capture);
		};
		const finish = (): void => {
			if (done) return;
			close();
			err += stats();
		};

		if (!ctx.background) {
			// Nothing else runs while it waits: a real one would sit there until Ctrl-C.
			const r: ExecResult = { stdout: '', stderr: `${start}\n${stats()}`, exit: 0 };
			if (ctx.interactive) r.note = 'tcpdump waits for packets until Ctrl-C, and nothing else runs meanwhile here: the simulator stopped it. Start it in the background with &, send traffic, then wait: tcpdump -c 2 -n -e arp & ping -c 1 ADDR; wait';
			return r;
		}
		world.captures.push(capture);
		const job: Job = {
			take() {
				const r = { stdout: out, stderr: err, done };
				out = '';
				err = '';
				return r;
			},
			stop(killed) {
				if (done) return;
				if (killed) return close();
				if (o.count !== undefined) job.note = `tcpdump had seen ${captured} of its ${o.count} packets: the simulator stopped it, where a real one would still be waiting.`;
				// Interrupted (a signal, or the simulator's wait), tcpdump ends its output with a blank line, then counts.
				out += '\n';
				finish();
			},
		};
		ctx.background(job);
		return { stdout: '', stderr: start, exit: 0 };
	};
}

/**
 * iproute2's `nstat` (misc/nstat.c), for the kernel counters the simulator keeps
 * (`Netns.counters`): today `TcpExtIPReversePathFilter`, the packets reverse-path filtering
 * dropped. The kernel has hundreds more, and the simulator cannot count most of them as the
 * kernel does (its IPv6 background traffic to begin with), so a listing that would reach beyond
 * the kept ones (no pattern, a glob, another name) says so instead of printing zeros.
 *
 * What it shares with the real one: the options (getopt_long's clusters, permutation, long
 * options by unique prefix), the history file (`/tmp/.nstat.u0`, or `$NSTAT_HISTORY`) that makes a
 * plain `nstat` print increments since its last run, `-a` (absolute values), `-z` (zeros too),
 * `-s` (keep the history), `-n` (update it only), `-r` (reset it), `-j`/`-p` (JSON), `-V`.
 */
import { versionText } from '../profile/profile.ts';
import type { VfsOf } from '../shell/vfs.ts';
import type { Context, ExecResult, Tool } from '../tool/types.ts';

/** The counters the simulator keeps, in the order nstat would list them. */
const KEPT = ['TcpExtIPReversePathFilter'];

const USAGE = `Usage: nstat [OPTION] [ PATTERN [ PATTERN ] ]
   -h, --help          this message
   -a, --ignore        ignore history
   -d, --scan=SECS     sample every statistics every SECS
   -j, --json          format output in JSON
   -n, --nooutput      do history only
   -p, --pretty        pretty print
   -r, --reset         reset history
   -s, --noupdate      don't update history
   -t, --interval=SECS report average over the last SECS
   -V, --version       output version information
   -z, --zeros         show entries with zero activity
`;

/** Long options: name → the short option it stands for, and whether it takes an argument. */
const LONG: [string, string, boolean][] = [
	['help', 'h', false],
	['ignore', 'a', false],
	['scan', 'd', true],
	['nooutput', 'n', false],
	['json', 'j', false],
	['reset', 'r', false],
	['noupdate', 's', false],
	['pretty', 'p', false],
	['interval', 't', true],
	['version', 'V', false],
	['zeros', 'z', false],
];

/** getopt's short options: those that take an argument, and the flags. */
const WITH_ARG = 'dt';
const FLAGS = 'h?vVzrnasjp';

const usage = (first = ''): ExecResult => ({ stdout: '', stderr: first + USAGE, exit: 255 });

/** Why a listing is declined: it would need counters the simulator does not keep. */
const DECLINE = `nstat: only ${KEPT.join(', ')} is counted in this simulator (name it: nstat -az ${KEPT[0]}); the kernel's other counters include its own IPv6 traffic, which the simulator does not send; run the chapter's script on a real Linux machine for them\n`;

/** One line of nstat's table: name, value, rate (always 0.0 without the daemon). */
const line = (id: string, val: number, overflow = false): string => `${id.padEnd(32)}${String(val).padEnd(16)}${'0.0'.padStart(6)}${overflow ? ' (overflow)' : ''}\n`;

/** Parses a history file: `#kernel`, then `NAME VALUE RATE` lines. */
function readHistory(text: string): Map<string, number> {
	const hist = new Map<string, number>();
	for (const l of text.split('\n')) {
		const [id, val] = l.trim().split(/\s+/);
		if (!id || id.startsWith('#') || val === undefined || !/^\d+$/.test(val)) continue;
		hist.set(id, Number(val));
	}
	return hist;
}

/** iproute2's json_writer: `{"kernel":{…}}`, or with `-p` four-space indents. */
function json(values: [string, number][], pretty: boolean): string {
	if (!pretty) return `{"kernel":{${values.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}}\n`;
	if (!values.length) return '{\n    "kernel": {}\n}\n';
	return `{\n    "kernel": {\n${values.map(([k, v]) => `        ${JSON.stringify(k)}: ${v}`).join(',\n')}\n    }\n}\n`;
}

/** `nstat [-azsnrjpV] [-t N] PATTERN…`. */
export function nstat(vfsOf: VfsOf): Tool {
	return (argv: string[], ctx: Context): ExecResult => {
		const opt = new Set<string>();
		const patterns: string[] = [];
		let scan = 0;
		const version = (): ExecResult => ({ stdout: `nstat utility, iproute2-${versionText(ctx.world.profile.iproute2)}\n`, stderr: '', exit: 0 });
		// What main() does with each option as getopt hands it over: some end the program at once.
		const apply = (c: string, v?: string): ExecResult | undefined => {
			if (c === 'v' || c === 'V') return version();
			if (c === 'h' || c === '?') return usage();
			if (c === 'd') scan = Number.parseInt(v ?? '', 10) || 0;
			if (c === 't' && !(Number.parseInt(v ?? '', 10) > 0)) return { stdout: '', stderr: 'nstat: invalid time constant divisor\n', exit: 255 };
			opt.add(c);
			return undefined;
		};
		for (let i = 0; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a === '--') {
				patterns.push(...argv.slice(i + 1));
				break;
			}
			if (a.startsWith('--')) {
				const [name = '', value] = a.slice(2).split(/=(.*)/s);
				const exact = LONG.find(([n]) => n === name);
				const found = exact ? [exact] : LONG.filter(([n]) => n.startsWith(name));
				if (found.length > 1) return usage(`nstat: option '${a}' is ambiguous; possibilities:${found.map(([n]) => ` '--${n}'`).join('')}\n`);
				const [long, short, hasArg] = found[0] ?? [];
				if (!long || !short) return usage(`nstat: unrecognized option '${a}'\n`);
				if (!hasArg && value !== undefined) return usage(`nstat: option '--${long}' doesn't allow an argument\n`);
				let v = value;
				if (hasArg && v === undefined) {
					v = argv[++i];
					if (v === undefined) return usage(`nstat: option '--${long}' requires an argument\n`);
				}
				const end = apply(short, v);
				if (end) return end;
				continue;
			}
			if (!a.startsWith('-') || a === '-') {
				patterns.push(a);
				continue;
			}
			// A cluster of short options; -d and -t take the rest of the word or the next one.
			for (let k = 1; k < a.length; k++) {
				const c = a[k] as string;
				if (WITH_ARG.includes(c)) {
					const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
					if (v === undefined) return usage(`nstat: option requires an argument -- '${c}'\n`);
					const end = apply(c, v);
					if (end) return end;
					break;
				}
				if (!FLAGS.includes(c)) return usage(`nstat: invalid option -- '${c}'\n`);
				const end = apply(c);
				if (end) return end;
			}
		}
		if (scan > 0) return { stdout: '', stderr: `nstat: its sampling daemon (-d) is not available in this simulator; ${DECLINE.slice('nstat: '.length)}`, exit: 1 };
		if (!patterns.length || patterns.some((p) => !KEPT.includes(p))) return { stdout: '', stderr: DECLINE, exit: 1 };

		const vfs = vfsOf(ctx);
		const path = ctx.env['NSTAT_HISTORY'] ?? '/tmp/.nstat.u0';
		const ignore = opt.has('a');
		const noUpdate = opt.has('s');
		const zeros = opt.has('z');
		if (opt.has('r')) vfs.remove(path, false);
		let hist: Map<string, number> | undefined;
		if (!ignore || !noUpdate) {
			const old = vfs.readFile(path, ctx.ns);
			if (!old.ok) {
				const made = vfs.write(path, '', false, ctx.ns);
				if (!made.ok) return { stdout: '', stderr: 'nstat: open history file: No such file or directory\n', exit: 255 };
			}
			if (!ignore) hist = readHistory(old.ok ? old.value : '');
		}
		const kern = KEPT.map((id): [string, number] => [id, ctx.ns.counters.get(id) ?? 0]);
		const matches = (id: string): boolean => patterns.includes(id);

		let stdout = '';
		if (!opt.has('n')) {
			// Absolute values when told, or when there is no history yet; else increments.
			const shown: [string, number, boolean][] = [];
			for (const [id, val] of kern) {
				const h = hist?.size ? hist.get(id) : undefined;
				// A counter below its history (another namespace's, or reset) reads 0, "overflow".
				const v = h === undefined ? val : Math.max(0, val - h);
				if ((zeros || v) && matches(id)) shown.push([id, v, h !== undefined && val < h]);
			}
			stdout = opt.has('j') ? json(shown.map(([id, v]) => [id, v]), opt.has('p')) : `#kernel\n${shown.map(([id, v, o]) => line(id, v, o)).join('')}`;
		}
		if (!noUpdate) {
			// The history keeps the counters it was not asked about at their old values.
			let text = '#kernel\n';
			for (const [id, val] of kern) {
				if (!zeros && !val) continue;
				text += line(id, matches(id) ? val : (hist?.get(id) ?? val));
			}
			vfs.write(path, text, false, ctx.ns);
		}
		return { stdout, stderr: '', exit: 0 };
	};
}

/** The handful of coreutils the book's lines use: echo, printf, cat, ls, mkdir, rm, rmdir, tee, grep, head, tail, wc, sort, sleep, true, false, hostname, timeout, kill, sh. */
import { fsMessage, type Vfs } from '../shell/vfs.ts';
import type { Context, ExecResult, Tool } from '../tool/types.ts';

/** Tools that need the host's files get them through this accessor. */
export type VfsOf = (ctx: Context) => Vfs;

/** Builds the coreutils table for a host file system accessor. */
export function coreutils(vfsOf: VfsOf, runLine: (ctx: Context, line: string, argv0: string) => ExecResult): Record<string, Tool> {
	const echo: Tool = (argv) => {
		let newline = true;
		let escapes = false;
		let i = 0;
		for (; i < argv.length; i++) {
			const a = argv[i] as string;
			if (!/^-[neE]+$/.test(a)) break;
			if (a.includes('n')) newline = false;
			if (a.includes('e')) escapes = true;
			if (a.includes('E')) escapes = false;
		}
		let text = argv.slice(i).join(' ');
		if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
		return { stdout: newline ? `${text}\n` : text, stderr: '', exit: 0 };
	};

	const printf: Tool = (argv) => {
		const fmt = argv[0];
		if (fmt === undefined) return { stdout: '', stderr: 'printf: usage: printf [-v var] format [arguments]\n', exit: 2 };
		const args = argv.slice(1);
		let out = '';
		let k = 0;
		do {
			out += fmt.replace(/\\n|\\t|\\\\|%%|%[-0-9]*[sdu]/g, (m) => {
				if (m === '\\n') return '\n';
				if (m === '\\t') return '\t';
				if (m === '\\\\') return '\\';
				if (m === '%%') return '%';
				const v = args[k++] ?? '';
				return m.endsWith('d') || m.endsWith('u') ? String(Number(v) || 0) : v;
			});
		} while (k < args.length && /%[-0-9]*[sdu]/.test(fmt));
		return { stdout: out, stderr: '', exit: 0 };
	};

	const cat: Tool = (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const files = argv.filter((a) => !/^-[vAenET]+$/.test(a));
		const showNonPrinting = argv.some((a) => /^-[vAeT]+$/.test(a) && /[vAeT]/.test(a));
		if (files.length === 0) return { stdout: ctx.stdin, stderr: '', exit: 0 };
		let stdout = '';
		let stderr = '';
		let exit = 0;
		for (const f of files) {
			const read = f === '-' ? { ok: true as const, value: ctx.stdin } : vfs.readFile(f, ctx.ns);
			if (!read.ok) {
				stderr += `cat: ${f}: ${fsMessage(read.error)}\n`;
				exit = 1;
				continue;
			}
			const data = read.value;
			stdout += showNonPrinting ? data.replace(/[\x00-\x08\x0b-\x1f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) + 64)}`) : data;
		}
		return { stdout, stderr, exit };
	};

	const ls: Tool = (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const paths = argv.filter((a) => !a.startsWith('-'));
		if (paths.length === 0) paths.push('/root');
		let stdout = '';
		let stderr = '';
		let exit = 0;
		for (const p of paths) {
			const r = vfs.list(p, ctx.ns);
			if (!r.ok) {
				stderr += `ls: cannot access '${p}': ${fsMessage(r.error)}\n`;
				exit = 2;
				continue;
			}
			if (paths.length > 1) stdout += `${p}:\n`;
			stdout += r.value.map((x) => `${x}\n`).join('');
		}
		return { stdout, stderr, exit };
	};

	const mkdir: Tool = (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const parents = argv.some((a) => /^-[a-z]*p/.test(a) || a === '--parents');
		let stderr = '';
		let exit = 0;
		for (const p of argv.filter((a) => !a.startsWith('-'))) {
			const made = vfs.mkdir(p, parents);
			if (!made.ok) {
				stderr += `mkdir: cannot create directory ‘${p}’: ${fsMessage(made.error)}\n`;
				exit = 1;
			}
		}
		return { stdout: '', stderr, exit };
	};

	const rm: Tool = (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const flags = argv.filter((a) => a.startsWith('-')).join('');
		const recursive = /r|R/.test(flags);
		const force = flags.includes('f');
		let stderr = '';
		let exit = 0;
		for (const p of argv.filter((a) => !a.startsWith('-'))) {
			const removed = vfs.remove(p, recursive);
			if (removed.ok || (removed.error === 'ENOENT' && force)) continue;
			stderr += `rm: cannot remove ‘${p}’: ${fsMessage(removed.error)}\n`;
			exit = 1;
		}
		return { stdout: '', stderr, exit };
	};

	const rmdir: Tool = (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const ignoreNonEmpty = argv.includes('--ignore-fail-on-non-empty');
		let stderr = '';
		let exit = 0;
		for (const p of argv.filter((a) => !a.startsWith('-'))) {
			const removed = vfs.rmdir(p);
			if (removed.ok || (removed.error === 'ENOTEMPTY' && ignoreNonEmpty)) continue;
			stderr += `rmdir: failed to remove '${p}': ${fsMessage(removed.error)}\n`;
			exit = 1;
		}
		return { stdout: '', stderr, exit };
	};

	const tee: Tool = (argv, ctx) => {
		const vfs = vfsOf(ctx);
		const append = argv.includes('-a');
		for (const p of argv.filter((a) => !a.startsWith('-'))) vfs.write(p, ctx.stdin, append, ctx.ns);
		return { stdout: ctx.stdin, stderr: '', exit: 0 };
	};

	const lines = (text: string): string[] => {
		const l = text.split('\n');
		if (l[l.length - 1] === '') l.pop();
		return l;
	};

	const grep: Tool = (argv, ctx) => {
		let invert = false;
		let count = false;
		let ignoreCase = false;
		let quiet = false;
		let only = false;
		let pattern: string | undefined;
		const files: string[] = [];
		for (let i = 0; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a === '-e') pattern = argv[++i];
			else if (/^-[vcEiqFowx]+$/.test(a)) {
				if (a.includes('v')) invert = true;
				if (a.includes('c')) count = true;
				if (a.includes('i')) ignoreCase = true;
				if (a.includes('q')) quiet = true;
				if (a.includes('o')) only = true;
			} else if (pattern === undefined) pattern = a;
			else files.push(a);
		}
		if (pattern === undefined) return { stdout: '', stderr: 'Usage: grep [OPTION]... PATTERNS [FILE]...\nTry \'grep --help\' for more information.\n', exit: 2 };
		let re: RegExp;
		try {
			re = new RegExp(pattern.replace(/\\\|/g, '|').replace(/\\\(/g, '(').replace(/\\\)/g, ')'), ignoreCase ? 'i' : '');
		} catch {
			return { stdout: '', stderr: 'grep: Unmatched ( or \\(\n', exit: 2 };
		}
		const input = files.length ? files.map((f) => vfsOf(ctx).readFile(f, ctx.ns)).flatMap((r) => (r.ok ? [r.value] : [])).join('') : ctx.stdin;
		const hits = lines(input).filter((l) => re.test(l) !== invert);
		if (quiet) return { stdout: '', stderr: '', exit: hits.length ? 0 : 1 };
		if (count) return { stdout: `${hits.length}\n`, stderr: '', exit: hits.length ? 0 : 1 };
		const out = only ? hits.map((l) => (l.match(re) ?? [''])[0]) : hits;
		return { stdout: out.map((l) => `${l}\n`).join(''), stderr: '', exit: hits.length ? 0 : 1 };
	};

	const headTail = (tail: boolean): Tool => (argv, ctx) => {
		let n = 10;
		for (let i = 0; i < argv.length; i++) {
			const a = argv[i] as string;
			if (a === '-n') n = Number(argv[++i]);
			else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''));
		}
		const l = lines(ctx.stdin);
		const pick = tail ? l.slice(Math.max(0, l.length - n)) : l.slice(0, n);
		return { stdout: pick.map((x) => `${x}\n`).join(''), stderr: '', exit: 0 };
	};

	const wc: Tool = (argv, ctx) => {
		const l = lines(ctx.stdin).length;
		if (argv.includes('-l')) return { stdout: `${l}\n`, stderr: '', exit: 0 };
		const words = ctx.stdin.split(/\s+/).filter(Boolean).length;
		return { stdout: `${String(l).padStart(7)} ${String(words).padStart(7)} ${String(ctx.stdin.length).padStart(7)}\n`, stderr: '', exit: 0 };
	};

	const sort: Tool = (argv, ctx) => {
		const l = lines(ctx.stdin).sort();
		if (argv.includes('-r')) l.reverse();
		const out = argv.includes('-u') ? [...new Set(l)] : l;
		return { stdout: out.map((x) => `${x}\n`).join(''), stderr: '', exit: 0 };
	};

	const sleep: Tool = (argv, ctx) => {
		const s = Number(argv[0]);
		if (argv[0] === undefined || Number.isNaN(s)) return { stdout: '', stderr: argv[0] === undefined ? "sleep: missing operand\nTry 'sleep --help' for more information.\n" : `sleep: invalid time interval '${argv[0]}'\nTry 'sleep --help' for more information.\n`, exit: 1 };
		ctx.world.advance(ctx.world.now + s * 1000);
		return { stdout: '', stderr: '', exit: 0 };
	};

	const hostname: Tool = (argv, ctx) => {
		if (argv.length === 0) return { stdout: `${ctx.host.hostname}\n`, stderr: '', exit: 0 };
		if (argv[0] === '-I' || argv[0] === '--all-ip-addresses') {
			const ips = ctx.ns.v4().filter((a) => a.scope === 'global').map((a) => { const v = a.local as number; return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.'); });
			return { stdout: `${ips.join(' ')} \n`, stderr: '', exit: 0 };
		}
		if (argv[0] === '-i' || argv[0] === '--ip-address') {
			// /etc/hosts of a lab machine: 127.0.1.1 is its own name, localhost is ::1 and 127.0.0.1.
			const name = ctx.host.hostname;
			if (name === ctx.host.name) return { stdout: '127.0.1.1\n', stderr: '', exit: 0 };
			if (name === 'localhost') return { stdout: '::1 127.0.0.1\n', stderr: '', exit: 0 };
			return { stdout: '', stderr: 'hostname: Name or service not known\n', exit: 1 };
		}
		const known = /^-(?:[aAdfsybVhF]|-alias|-all-fqdns|-domain|-fqdn|-long|-short|-yp|-nis|-boot)$/;
		if (argv[0]?.startsWith('-') && argv[0] !== '-' && !known.test(argv[0])) {
			const bad = argv[0].startsWith('--') ? `hostname: unrecognized option '${argv[0]}'\n` : `hostname: invalid option -- '${argv[0][1] ?? ''}'\n`;
			return { stdout: HOSTNAME_USAGE, stderr: bad, exit: 255 };
		}
		if (argv[0]?.startsWith('-')) return { stdout: `${ctx.host.hostname}\n`, stderr: '', exit: 0 };
		if (argv.length > 1) return { stdout: '', stderr: HOSTNAME_USAGE, exit: 255 };
		ctx.host.hostname = argv[0] as string;
		return { stdout: '', stderr: '', exit: 0 };
	};

	const timeout: Tool = (argv, ctx) => {
		const rest = argv.filter((a, i) => !(a.startsWith('-') && i === 0));
		if (rest.length < 2) return { stdout: '', stderr: "timeout: missing operand\nTry 'timeout --help' for more information.\n", exit: 125 };
		return ctx.run(ctx, rest.slice(1));
	};

	const shell = (name: string): Tool => (argv, ctx) => {
		if (argv[0] === '-c' && argv[1] !== undefined) return runLine(ctx, argv[1], 'sh');
		// At a reader's prompt a shell with nothing to read would wait for them; it cannot here.
		if (ctx.interactive && ctx.stdin === '' && argv.every((a) => a.startsWith('-'))) {
			const ns = [...ctx.host.named].find(([, n]) => n === ctx.ns)?.[0];
			const instead = ns ? `run each command as ip netns exec ${ns} CMD` : 'type the commands at this prompt';
			return { stdout: '', stderr: `${name}: an interactive shell is not available in this simulator (${instead})\n`, exit: 1 };
		}
		return { stdout: '', stderr: '', exit: 0 };
	};

	const xargs: Tool = (argv, ctx) => {
		let i = 0;
		let noEmpty = false;
		for (; i < argv.length && (argv[i] as string).startsWith('-'); i++) if (argv[i] === '-r' || argv[i] === '--no-run-if-empty') noEmpty = true;
		const words = ctx.stdin.split(/\s+/).filter(Boolean);
		if (words.length === 0 && noEmpty) return { stdout: '', stderr: '', exit: 0 };
		const cmd = argv.slice(i);
		if (cmd.length === 0) cmd.push('echo');
		const r = ctx.run({ ...ctx, stdin: '' }, [...cmd, ...words]);
		return { ...r, exit: r.exit === 0 ? 0 : r.exit === 127 ? 127 : 123 };
	};

	const uniq: Tool = (argv, ctx) => {
		const count = argv.includes('-c');
		const out: [string, number][] = [];
		for (const l of lines(ctx.stdin)) {
			const last = out[out.length - 1];
			if (last && last[0] === l) last[1]++;
			else out.push([l, 1]);
		}
		return { stdout: out.map(([l, n]) => (count ? `${String(n).padStart(7)} ${l}\n` : `${l}\n`)).join(''), stderr: '', exit: 0 };
	};

	return {
		echo,
		printf,
		cat,
		ls,
		mkdir,
		rm,
		rmdir,
		tee,
		grep,
		egrep: (argv, ctx) => grep(['-E', ...argv], ctx),
		head: headTail(false),
		tail: headTail(true),
		wc,
		sort,
		sleep,
		hostname,
		timeout,
		sh: shell('sh'),
		bash: shell('bash'),
		xargs,
		uniq,
		true: () => ({ stdout: '', stderr: '', exit: 0 }),
		false: () => ({ stdout: '', stderr: '', exit: 1 }),
		':': () => ({ stdout: '', stderr: '', exit: 0 }),
	};
}

/** net-tools hostname's usage (stdout after a bad option, stderr after extra arguments). */
const HOSTNAME_USAGE = "Usage: hostname [-b] {hostname|-F file}         set host name (from file)\n       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n       hostname                                 display host name\n\n       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)\n       {yp,nis,}domainname                      display NIS domain name\n\n       dnsdomainname                            display dns domain name\n\n       hostname -V|--version|-h|--help          print info and exit\n\nProgram name:\n       {yp,nis,}domainname=hostname -y\n       dnsdomainname=hostname -d\n\nProgram options:\n    -a, --alias            alias names\n    -A, --all-fqdns        all long host names (FQDNs)\n    -b, --boot             set default hostname if none available\n    -d, --domain           DNS domain name\n    -f, --fqdn, --long     long host name (FQDN)\n    -F, --file             read host name or NIS domain name from given file\n    -i, --ip-address       addresses for the host name\n    -I, --all-ip-addresses all addresses for the host\n    -s, --short            short host name\n    -y, --yp, --nis        NIS/YP domain name\n\nDescription:\n   This command can get or set the host name or the NIS domain name. You can\n   also get the DNS domain or the FQDN (fully qualified domain name).\n   Unless you are using bind or NIS for host lookups you can change the\n   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is\n   part of the FQDN) in the /etc/hosts file.\n";

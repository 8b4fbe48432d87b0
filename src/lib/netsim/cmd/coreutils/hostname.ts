/** net-tools' hostname: prints, sets, and answers -I and -i from the namespace's addresses and /etc/hosts. */
import type { Tool } from '../../tool/types.ts';

/** hostname [NAME], -I, -i, and the options that print the name. */
export const hostname: Tool = (argv, ctx) => {
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

/** net-tools hostname's usage (stdout after a bad option, stderr after extra arguments). */
const HOSTNAME_USAGE = "Usage: hostname [-b] {hostname|-F file}         set host name (from file)\n       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n       hostname                                 display host name\n\n       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)\n       {yp,nis,}domainname                      display NIS domain name\n\n       dnsdomainname                            display dns domain name\n\n       hostname -V|--version|-h|--help          print info and exit\n\nProgram name:\n       {yp,nis,}domainname=hostname -y\n       dnsdomainname=hostname -d\n\nProgram options:\n    -a, --alias            alias names\n    -A, --all-fqdns        all long host names (FQDNs)\n    -b, --boot             set default hostname if none available\n    -d, --domain           DNS domain name\n    -f, --fqdn, --long     long host name (FQDN)\n    -F, --file             read host name or NIS domain name from given file\n    -i, --ip-address       addresses for the host name\n    -I, --all-ip-addresses all addresses for the host\n    -s, --short            short host name\n    -y, --yp, --nis        NIS/YP domain name\n\nDescription:\n   This command can get or set the host name or the NIS domain name. You can\n   also get the DNS domain or the FQDN (fully qualified domain name).\n   Unless you are using bind or NIS for host lookups you can change the\n   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is\n   part of the FQDN) in the /etc/hosts file.\n";

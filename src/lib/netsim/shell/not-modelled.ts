/**
 * The shell's answer for a command it cannot find (bash's command_not_found_handle, as Debian's
 * command-not-found uses it): tools a reader may reach for that the simulator does not model.
 * Rather than bash's bare `command not found`, which reads as if the tool were missing from a
 * real machine, each says in one line that it is not available in this simulator and what to use
 * instead (the pattern of `ip monitor: not available in this simulator`), with bash's exit code
 * for a missing command.
 */
import type { ExecResult } from '../tool/types.ts';

/** The real-kernel option: every chapter downloads as a script that runs on a Linux machine. */
const REAL = "run the chapter's script on a real Linux machine";
const PACKETS = 'use tcpdump (tcpdump -n -e -c 2 arp & ping -c 1 ADDR; wait), or ping --trace ADDR to walk a packet on the diagram';
const ROUTE = `not installed where the book is verified; ${REAL} with it; here ping --trace ADDR walks a packet hop by hop, ip route get ADDR names the route`;
const DNS = 'the lab has no DNS: use addresses (ping, curl); the names in /etc/hosts resolve, and getent hosts NAME shows what a name resolves to';
const SOCKETS = 'use curl http://ADDR:PORT/ against python3 -m http.server PORT, and ss -ltn';
const CONTAINERS = 'containers are not simulated: the chapter shows their recorded output; ip netns builds one by hand';
const SYSTEM = "nothing to install or start here: the simulator runs the book's tools (type help for the list)";
const EDITOR = 'no editor or pager here: write files with echo TEXT > FILE, read them with cat';

/** Command name → what to use instead. */
const INSTEAD: Record<string, string> = {
	tshark: PACKETS,
	wireshark: PACKETS,
	traceroute: ROUTE,
	tracepath: ROUTE,
	mtr: ROUTE,
	nft: `the simulator models iptables (iptables-nft): use iptables -S, iptables -t nat -S; for nft itself, ${REAL}`,
	'iptables-save': 'use iptables -S and iptables -t nat -S to list the rules',
	'iptables-restore': 'add rules one at a time with iptables -A',
	'iptables-legacy': 'use iptables (the nf_tables variant, as on Debian)',
	ip6tables: 'IPv6 filtering is not modelled; iptables filters IPv4',
	ebtables: 'bridged IPv4 goes through iptables FORWARD here (br_netfilter)',
	man: 'no manual pages here: try ip help, ip link help, iptables -h, or the chapter',
	ifconfig: 'use ip addr (ip -br addr: one line per interface), ip link set DEV up',
	brctl: 'use ip link add BR type bridge, ip link set DEV master BR, bridge link',
	ethtool: `not installed where the book is verified; ${REAL} with it; here ip -d link names a device's kind and details`,
	dig: DNS,
	nslookup: DNS,
	host: DNS,
	tc: 'traffic control (qdiscs, shaping) is not modelled',
	nc: SOCKETS,
	ncat: SOCKETS,
	netcat: SOCKETS,
	socat: SOCKETS,
	telnet: SOCKETS,
	wget: 'use curl',
	docker: CONTAINERS,
	podman: CONTAINERS,
	kubectl: CONTAINERS,
	crictl: CONTAINERS,
	apt: SYSTEM,
	'apt-get': SYSTEM,
	systemctl: SYSTEM,
	service: SYSTEM,
	modprobe: 'kernel modules are not modelled: the simulated kernel has what the book needs',
	lsmod: 'kernel modules are not modelled: the simulated kernel has what the book needs',
	dhclient: 'there is no DHCP in the lab: give addresses with ip addr add',
	nmcli: 'there is no network manager here: use ip',
	networkctl: 'there is no network manager here: use ip',
	vi: EDITOR,
	vim: EDITOR,
	nano: EDITOR,
	less: EDITOR,
	more: EDITOR,
	su: 'you are root already: type the command itself',
	sudo: 'everyone is root here: run the command without sudo',
	ps: 'processes are not modelled beyond servers started with &: ip netns pids NAME, ss -ltn',
};

/** Names of the tools that answer that they are not modelled, sorted. */
export function notModelledNames(): string[] {
	return Object.keys(INSTEAD).sort();
}

/** The answer of a tool the simulator knows it does not model, else undefined. */
export function notModelled(name: string): ExecResult | undefined {
	const instead = Object.prototype.hasOwnProperty.call(INSTEAD, name) ? INSTEAD[name] : undefined;
	return instead === undefined ? undefined : { stdout: '', stderr: `${name}: not available in this simulator (${instead})\n`, exit: 127 };
}

/**
 * The one list of system packages: every program that the book's commands, the lab sandbox, the
 * tests and the benchmark call, and the Debian package that provides it. Everything that needs a
 * package name reads it from here: `npm test`'s preflight (which installs what is missing), the
 * chapter scripts' prerequisite check, the README's install line (checked by a test) and `.ci/run`
 * (through `npm test`).
 *
 * The chapters' own programs are derived from the runbook; this table only says which package
 * provides each. A test fails when a chapter, `sandbox.sh` or the tests call a program that is not
 * here, and (on Debian) when `dpkg -S` says the listed package does not provide it.
 */

/** Who calls a program, besides the chapters (whose calls are derived, not declared). */
export type Caller =
	/** The real-kernel engine outside the sandbox (`src/lib/engines/local/local.ts`). */
	| 'engine'
	/** Unit tests (the sandbox safety tests read the machine's firewall; the SSH tests start a loopback sshd). */
	| 'tests'
	/** Browser tests and the benchmark's page measurements. */
	| 'browser'
	/** The benchmark: its machine description, and the loopback sshd of its SSH target (`engines/ssh/loopback-sshd.ts`). */
	| 'bench'
	/** The VM targets on the host: the image builder (`src/lib/engines/vm/image.sh`) and QEMU. */
	| 'vm';

/** Where a program comes from. */
export interface ProgramSource {
	/** Debian (and Raspberry Pi OS, Ubuntu) package that provides it. */
	package: string;
	/** On every Debian system (a package of priority "required"): chapter scripts don't check it. */
	essential?: true;
	/** Callers other than the chapters and the sandbox, which are derived from their sources. */
	calledBy?: readonly Caller[];
}

const essential = (pkg: string, programs: string): [string, ProgramSource][] =>
	programs.split(' ').map((p) => [p, { package: pkg, essential: true }]);

/** Program name (or absolute path) → its package. Sorted by package. */
export const PROGRAMS: Readonly<Record<string, ProgramSource>> = Object.fromEntries([
	['apt-get', { package: 'apt', essential: true, calledBy: ['tests', 'bench', 'vm'] }],
	['apt-cache', { package: 'apt', essential: true, calledBy: ['tests', 'bench'] }],
	...essential('bash', 'bash /bin/bash'),
	...essential('dash', 'sh'),
	...essential(
		'coreutils',
		'base64 basename cat chmod cp cut date dirname env head id ls mkdir mkfifo mv readlink rm rmdir sleep sort stat tail tee timeout touch tr uname wc',
	),
	...essential('dpkg', 'dpkg-query'),
	['flock', { package: 'util-linux', essential: true, calledBy: ['vm'] }],
	['sha256sum', { package: 'coreutils', essential: true, calledBy: ['vm'] }],
	...essential('findutils', 'find xargs'),
	...essential('grep', 'grep'),
	...essential('hostname', 'hostname'),
	...essential('mawk', 'awk'),
	...essential('mount', 'mount umount'),
	...essential('sed', 'sed'),
	...essential('util-linux', 'nsenter lsns'),
	['setpriv', { package: 'util-linux', essential: true, calledBy: ['engine'] }],
	['unshare', { package: 'util-linux', essential: true, calledBy: ['engine'] }],
	['tar', { package: 'tar', essential: true, calledBy: ['engine', 'vm'] }],
	['ssh', { package: 'openssh-client', calledBy: ['engine', 'tests', 'bench'] }],
	['ssh-keygen', { package: 'openssh-client', calledBy: ['tests', 'bench'] }],
	['dpkg-deb', { package: 'dpkg', essential: true, calledBy: ['tests', 'bench', 'vm'] }],
	['getent', { package: 'libc-bin', essential: true }],
	['ldd', { package: 'libc-bin', essential: true, calledBy: ['tests', 'bench'] }],
	['chromium', { package: 'chromium', calledBy: ['browser'] }],
	['cpio', { package: 'cpio', calledBy: ['vm'] }],
	['depmod', { package: 'kmod', calledBy: ['vm'] }],
	['lz4', { package: 'lz4', calledBy: ['vm'] }],
	['qemu-system-aarch64', { package: 'qemu-system-arm', calledBy: ['vm'] }],
	['qemu-system-x86_64', { package: 'qemu-system-x86', calledBy: ['vm'] }],
	['xz', { package: 'xz-utils', calledBy: ['vm'] }],
	['conntrack', { package: 'conntrack' }],
	['/usr/lib/cni/bridge', { package: 'containernetworking-plugins' }],
	['/usr/lib/cni/host-local', { package: 'containernetworking-plugins' }],
	['/usr/lib/cni/loopback', { package: 'containernetworking-plugins' }],
	['/usr/lib/cni/portmap', { package: 'containernetworking-plugins' }],
	['curl', { package: 'curl' }],
	['git', { package: 'git', calledBy: ['bench'] }],
	['ip', { package: 'iproute2' }],
	['bridge', { package: 'iproute2' }],
	['nstat', { package: 'iproute2' }],
	['ss', { package: 'iproute2' }],
	['iptables', { package: 'iptables' }],
	['iptables-save', { package: 'iptables', calledBy: ['tests'] }],
	['ip6tables-save', { package: 'iptables', calledBy: ['tests'] }],
	['ping', { package: 'iputils-ping' }],
	['jq', { package: 'jq' }],
	['nft', { package: 'nftables', calledBy: ['tests'] }],
	['sysctl', { package: 'procps' }],
	['python3', { package: 'python3' }],
	// The book's CNI plugin (examples/cni-plugin) is one JavaScript file that Debian's Node.js runs,
	// as on a lab's pi; its tests run it so, in the sandbox (the project's own Node 24 is npm's).
	['node', { package: 'nodejs', calledBy: ['tests'] }],
	['tcpdump', { package: 'tcpdump' }],
]);

/** The package of a program, or undefined when the table does not list it. */
export function packageOf(program: string): ProgramSource | undefined {
	return Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program] : undefined;
}

/** Programs that a caller other than the chapters and the sandbox needs. */
export function programsCalledBy(callers: readonly Caller[]): string[] {
	return Object.entries(PROGRAMS)
		.filter(([, s]) => s.calledBy?.some((c) => callers.includes(c)))
		.map(([p]) => p);
}


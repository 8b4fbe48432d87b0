/**
 * A scripted stand-in for the simulator, for tests: answers from a table, keeps a tiny state
 * (addresses added with `ip addr add`), and goes through the real simulator adapter.
 */
import type { Lab } from '../shared/lab.ts';
import type { LabState } from '../shared/lab-state.ts';
import { createSimTerminalEngine, } from './sim-engine.ts';
import type { ExecResult } from '../netsim/index.ts';

/** Output of `ping -c 3 -i 0.2 192.168.1.2` recorded on the kernel (chapter 1). */
export const PING_OK =
	'PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.\n64 bytes from 192.168.1.2: icmp_seq=1 ttl=64 time=0.271 ms\n64 bytes from 192.168.1.2: icmp_seq=2 ttl=64 time=0.055 ms\n64 bytes from 192.168.1.2: icmp_seq=3 ttl=64 time=0.081 ms\n\n--- 192.168.1.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 406ms\nrtt min/avg/max/mdev = 0.055/0.135/0.271/0.096 ms\n';

/** Output of `ping -c 1 -W 1 192.168.1.9` (nobody home). */
export const PING_SILENT =
	'PING 192.168.1.9 (192.168.1.9) 56(84) bytes of data.\n\n--- 192.168.1.9 ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n';

/** The two-hosts lab. */
export const TWO_HOSTS: Lab = {
	name: 'two-hosts',
	description: 'Alice and Bob on one switch.',
	hosts: [
		{ name: 'alice', interfaces: [{ name: 'eth0', switch: 'switch1' }], routes: [], sysctls: {} },
		{ name: 'bob', interfaces: [{ name: 'eth0', switch: 'switch1' }], routes: [], sysctls: {} },
	],
	switches: [{ name: 'switch1' }],
};

const link = (ifindex: number, ifname: string, extra: object = {}) => ({ ifindex, ifname, flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], operstate: 'UP', ...extra });

/** A fresh state of the two-hosts lab. */
function freshState(): LabState {
	const host = () => ({
		'': { link: [{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], operstate: 'UNKNOWN' }, link(2, 'eth0', { link_index: 2, link_netnsid: 99 })], addr: [], route: [], neigh: [] },
	});
	return { alice: host(), bob: host() };
}

/** Options of {@link fakeEngine}. */
export interface FakeOptions {
	/** Answers for command lines; the default answers a few of chapter 1's commands. */
	answer?: (host: string, line: string) => ExecResult | undefined;
	msPerSecond?: number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A fake engine over the two-hosts lab, plus the list of commands it received. */
export function fakeEngine(options: FakeOptions = {}) {
	const calls: { host: string; line: string }[] = [];
	let labs = 0;
	const engine = createSimTerminalEngine(TWO_HOSTS, {
		msPerSecond: options.msPerSecond ?? 0,
		...(options.sleep ? { sleep: options.sleep } : {}),
		load: async () => (definition: Lab) => {
			labs++;
			const state = freshState();
			return {
				exec(host: string, line: string): ExecResult {
					calls.push({ host, line });
					const custom = options.answer?.(host, line);
					if (custom) return custom;
					const add = /^ip addr add (\S+)\/(\d+) dev (\S+)$/.exec(line);
					if (add) {
						state[host]!['']!.addr.push({ ifname: add[3], addr_info: [{ family: 'inet', local: add[1], prefixlen: Number(add[2]) }] });
						return { stdout: '', stderr: '', exit: 0 };
					}
					if (line.startsWith('ping -c 3')) return { stdout: PING_OK, stderr: '', exit: 0 };
					if (line.startsWith('ping')) return { stdout: PING_SILENT, stderr: '', exit: 1 };
					if (line === 'hostname') return { stdout: `${host}\n`, stderr: '', exit: 0 };
					if (line === 'ip route') return { stdout: '', stderr: '', exit: 0 };
					return { stdout: '', stderr: `bash: ${line.split(' ')[0]}: command not found\n`, exit: 127 };
				},
				state: () => JSON.parse(JSON.stringify(state)) as LabState,
				definition,
			};
		},
	});
	return { engine, calls, labs: () => labs };
}

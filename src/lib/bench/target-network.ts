/**
 * The machine's own network as `ip -j` sees it from the namespace the bench runs in (the real
 * one): interfaces, addresses and IPv4 routes, captured before and after the SSH target ran the
 * book on this machine, and compared. The SSH target promises a reader's Pi that the book never
 * touches the machine's network; the loopback run proves it here.
 */
import { spawnSync } from 'node:child_process';
import { diffLines } from '../snapshot/diff.ts';

/** `ip -j link`, `ip -j addr`, `ip -j route` of the namespace this process runs in. */
export interface MachineNetwork {
	link: unknown[];
	addr: unknown[];
	route: unknown[];
}

/** Reads one `ip -j` listing; throws with what ip said when it fails. */
function ipJson(object: 'link' | 'addr' | 'route'): unknown[] {
	const r = spawnSync('ip', ['-j', object], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`ip -j ${object} failed (${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim()}`);
	return JSON.parse(r.stdout || '[]') as unknown[];
}

/** The machine's interfaces, addresses and routes now. */
export function captureNetwork(): MachineNetwork {
	return { link: ipJson('link'), addr: ipJson('addr'), route: ipJson('route') };
}

/** Address lifetimes count down by themselves (DHCP, SLAAC): they are not a change. */
function stable(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(stable);
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).filter(([k]) => !/_life_time$/.test(k)).map(([k, v]) => [k, stable(v)]));
	return value;
}

/** One line per `ip -j` entry, prefixed with its object, in `ip`'s own order. */
function networkText(network: MachineNetwork): string {
	return (['link', 'addr', 'route'] as const).flatMap((kind) => network[kind].map((e) => `${kind} ${JSON.stringify(stable(e))}`)).join('\n');
}

/**
 * What changed between two captures: `- ` lines only before, `+ ` lines only after (one per
 * `ip -j` entry); empty when the network is unchanged.
 */
export function networkChanges(before: MachineNetwork, after: MachineNetwork): string[] {
	return diffLines(networkText(before), networkText(after))
		.filter((l) => l.op !== ' ')
		.map((l) => `${l.op} ${l.text}`);
}

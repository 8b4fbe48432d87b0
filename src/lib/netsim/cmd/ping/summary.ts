/** What ping prints of what it heard: a line per reply or error, then its statistics. */
import { formatIpv4 } from '../../addr/ipv4.ts';
import type { SocketEvent } from '../../engine/stack.ts';
import { WALL_START } from '../../model/world.ts';
import type { PingOpts } from './options.ts';
import type { Sent } from './send.ts';

/** Formats an rtt in ms the way iputils does for small values. */
function ms(us: number): string {
	return `${Math.floor(us / 1000)}.${String(Math.floor(us % 1000)).padStart(3, '0')}`;
}

/** `%g` of a loss percentage. */
function pct(v: number): string {
	return String(Number(v.toPrecision(6)));
}

/** The words of an ICMP error, as iputils prints them after `From ADDR icmp_seq=N`. */
function icmpText(e: Extract<SocketEvent, { kind: 'error' }>): string {
	if (e.type === 11) return e.code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
	if (e.type === 3) {
		switch (e.code) {
			case 0:
				return 'Destination Net Unreachable';
			case 1:
				return 'Destination Host Unreachable';
			case 2:
				return 'Destination Protocol Unreachable';
			case 3:
				return 'Destination Port Unreachable';
			case 4:
				return `Frag needed and DF set (mtu = ${e.mtu ?? 0})`;
			case 13:
				return 'Packet filtered';
			default:
				return `Dest Unreachable, Bad Code: ${e.code}`;
		}
	}
	return `Bad ICMP type: ${e.type}`;
}

/** What the events came to. */
interface Tally {
	lines: string;
	rx: number;
	errors: number;
	pipe: number;
	/** Round-trip times (µs) of the replies that carried a send time. */
	rtts: number[];
}

/** A line per first reply to a request and per ICMP error (none with -q); duplicates are not counted. */
function tally(sent: Sent, o: PingOpts, nameOf: (addr: number) => string | undefined): Tally {
	// pr_addr: `NAME (ADDR)` when a reverse lookup names the address, else the address.
	const named = (a: number): string => {
		const name = nameOf(a);
		return name !== undefined && name !== '' ? `${name} (${formatIpv4(a)})` : formatIpv4(a);
	};
	const t: Tally = { lines: '', rx: 0, errors: 0, pipe: 1, rtts: [] };
	const seen = new Set<number>();
	for (const e of sent.events) {
		const sentBefore = sent.sendTimes.filter((x) => x <= e.at).length;
		t.pipe = Math.max(t.pipe, sentBefore - e.seq + 1);
		if (e.kind === 'reply') {
			if (seen.has(e.seq)) continue;
			seen.add(e.seq);
			t.rx++;
			const rtt = 40 + ((e.seq * 37) % 60);
			// Under 16 data bytes there is no room for the send time: no rtt.
			if (o.size >= 16) t.rtts.push(rtt);
			const from = named(e.from);
			const stamp = o.timestamps ? `[${(WALL_START + e.at / 1000).toFixed(6)}] ` : '';
			if (!o.quiet) t.lines += `${stamp}${e.len - 20} bytes from ${from}: icmp_seq=${e.seq} ttl=${e.ttl}${o.size >= 16 ? ` time=${ms(rtt)} ms` : ''}\n`;
		} else if (e.kind === 'local') t.errors++;
		else {
			t.errors++;
			if (!o.quiet) t.lines += `From ${named(e.from)} icmp_seq=${e.seq} ${icmpText(e)}\n`;
		}
	}
	return t;
}

/** The statistics block: counts, loss and time, rtt min/avg/max/mdev, pipe. */
function statistics(sent: Sent, t: Tally, host: string): string {
	const count = sent.sendTimes.length;
	const lastSend = sent.sendTimes[count - 1] as number;
	const loss = count ? (100 * (count - t.rx)) / count : 0;
	let out = `\n--- ${host} ping statistics ---\n`;
	out += `${count} packets transmitted, ${t.rx} received`;
	if (t.errors) out += `, +${t.errors} errors`;
	out += `, ${pct(loss)}% packet loss, time ${Math.round(lastSend - sent.start)}ms\n`;
	let comma = '';
	if (t.rtts.length > 0) {
		const min = Math.min(...t.rtts);
		const max = Math.max(...t.rtts);
		const avg = t.rtts.reduce((a, b) => a + b, 0) / t.rtts.length;
		const mdev = Math.sqrt(t.rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / t.rtts.length);
		out += `rtt min/avg/max/mdev = ${ms(min)}/${ms(Math.round(avg))}/${ms(max)}/${ms(Math.round(mdev))} ms`;
		comma = ', ';
	}
	if (t.pipe > 1) out += `${comma}pipe ${t.pipe}`;
	return `${out}\n`;
}

/** The reply lines and the statistics, and how many requests were answered. */
export function summarize(sent: Sent, o: PingOpts, host: string, nameOf: (addr: number) => string | undefined): { text: string; rx: number } {
	const t = tally(sent, o, nameOf);
	return { text: t.lines + statistics(sent, t, host), rx: t.rx };
}

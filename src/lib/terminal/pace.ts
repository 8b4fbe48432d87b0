/**
 * Pacing: the simulator answers a command at once, but a reader should see `ping` print its
 * replies one per (virtual) second, as on a real machine. This turns a finished output into a
 * timeline and plays it back; a skip (Ctrl-C) prints the rest at once.
 */
import type { OutputChunk } from './engine.ts';

/** A piece of output and the virtual time (seconds after the command started) it appears at. */
export interface TimedChunk extends OutputChunk {
	at: number;
}

/** Options of ping that change its timing. */
interface PingTiming {
	count: number;
	interval: number;
	/** How long ping waits for a missing reply after the last request. */
	wait: number;
}

/** Reads `-c`, `-i`, `-W` and `-w` from a ping command line (iputils defaults otherwise). */
function pingTiming(words: string[]): PingTiming {
	const timing: PingTiming = { count: 1, interval: 1, wait: 10 };
	for (let i = 0; i < words.length; i++) {
		const m = /^-([ciWw])(.*)$/.exec(words[i]!);
		if (!m) continue;
		const value = Number(m[2] !== '' ? m[2] : words[++i]);
		if (!Number.isFinite(value)) continue;
		if (m[1] === 'c') timing.count = Math.max(1, value);
		else if (m[1] === 'i') timing.interval = Math.max(0.002, value);
		else timing.wait = Math.max(0, value);
	}
	return timing;
}

/** The program a command line runs, seen through `ip netns exec NS`, `sudo` and `timeout N`. */
export function programOf(line: string): { program: string; args: string[] } {
	let words = line.trim().split(/\s+/).filter(Boolean);
	for (;;) {
		if (words[0] === 'sudo') words = words.slice(1);
		else if (words[0] === 'ip' && words[1] === 'netns' && words[2] === 'exec') words = words.slice(4);
		else if (words[0] === 'timeout' && words.length > 2) words = words.slice(2);
		else break;
	}
	return { program: words[0] ?? '', args: words.slice(1) };
}

const lines = (text: string): string[] => (text === '' ? [] : text.match(/[^\n]*\n|[^\n]+$/g) ?? []);

/** Times the lines of a ping's output: replies one interval apart, the summary when ping gives up. */
function pingTimeline(args: string[], stdout: string, stderr: string): TimedChunk[] {
	const { count, interval, wait } = pingTiming(args);
	const out: TimedChunk[] = [];
	let t = 0;
	let received = 0;
	let lastSeq = 0;
	for (const text of lines(stdout)) {
		const seq = Number(/icmp_seq=(\d+)/.exec(text)?.[1] ?? NaN);
		if (Number.isFinite(seq)) {
			lastSeq = seq;
			if (/bytes from/.test(text)) received++;
			// Unanswered ARP: the kernel reports the host unreachable after about three seconds.
			const late = /Host Unreachable/.test(text) ? 3 : 0;
			t = Math.max(t, (seq - 1) * interval + late);
		} else if (/^---|packets transmitted|^rtt|^\s*$|^\^C$/.test(text) && !/^PING/.test(text)) {
			const sent = Math.max(count, lastSeq);
			t = Math.max(t, (sent - 1) * interval + (received >= sent ? 0 : wait));
		}
		out.push({ stream: 'stdout', text, at: t });
	}
	if (stderr !== '') out.push({ stream: 'stderr', text: stderr, at: t });
	return out;
}

/**
 * The timeline of a finished command: `ping` paced like the real tool, everything else at once
 * (stdout, then stderr: the streams arrive apart, so their interleaving is not known).
 */
export function timelineOf(line: string, stdout: string, stderr: string): TimedChunk[] {
	const { program, args } = programOf(line);
	if (program === 'ping') return pingTimeline(args, stdout, stderr);
	const out: TimedChunk[] = [];
	if (stdout !== '') out.push({ stream: 'stdout', text: stdout, at: 0 });
	if (stderr !== '') out.push({ stream: 'stderr', text: stderr, at: 0 });
	return out;
}

/** Options of {@link play}. */
export interface PlayOptions {
	onOutput?: ((chunk: OutputChunk) => void) | undefined;
	signal?: AbortSignal | undefined;
	/** Real milliseconds per virtual second (default 1000; 0 plays everything at once). */
	msPerSecond?: number | undefined;
	/** Waits `ms` or until `signal` aborts (injectable for tests). */
	sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/** setTimeout as a promise that also settles when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		signal?.addEventListener('abort', done, { once: true });
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
	});
}

/** Plays a timeline: waits until each chunk's time, or not at all once `signal` aborted. */
export async function play(timeline: TimedChunk[], options: PlayOptions = {}): Promise<void> {
	const ms = options.msPerSecond ?? 1000;
	const wait = options.sleep ?? sleep;
	let now = 0;
	for (const { stream, text, at } of timeline) {
		if (at > now && ms > 0 && !options.signal?.aborted) await wait((at - now) * ms, options.signal);
		now = Math.max(now, at);
		options.onOutput?.({ stream, text });
	}
}

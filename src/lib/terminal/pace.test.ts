import { describe, expect, it } from 'vitest';
import { PING_OK, PING_SILENT } from './fake-engine.test-helper.ts';
import { play, programOf, timelineOf } from './pace.ts';

describe('timelineOf', () => {
	it('spaces ping replies by the interval and prints the summary with the last one', () => {
		const t = timelineOf('ping -c 3 -i 0.2 192.168.1.2', PING_OK, '');
		expect(t.map((c) => [c.at, c.text.slice(0, 12)])).toEqual([
			[0, 'PING 192.168'],
			[0, '64 bytes fro'],
			[0.2, '64 bytes fro'],
			[0.4, '64 bytes fro'],
			[0.4, '\n'],
			[0.4, '--- 192.168.'],
			[0.4, '3 packets tr'],
			[0.4, 'rtt min/avg/'],
		]);
		expect(t.map((c) => c.text).join('')).toBe(PING_OK);
	});

	it('waits -W seconds for a reply that never comes', () => {
		const t = timelineOf('ping -c 1 -W 1 192.168.1.9', PING_SILENT, '');
		expect(t.map((c) => c.at)).toEqual([0, 1, 1, 1, 1]);
	});

	it('sees through ip netns exec and sudo, and prints everything else at once', () => {
		expect(programOf('sudo ip netns exec alice ping -c 1 10.0.0.2')).toEqual({ program: 'ping', args: ['-c', '1', '10.0.0.2'] });
		expect(timelineOf('ip link', 'a\nb\n', 'err\n')).toEqual([
			{ stream: 'stdout', text: 'a\nb\n', at: 0 },
			{ stream: 'stderr', text: 'err\n', at: 0 },
		]);
	});
});

describe('play', () => {
	it('waits between chunks in real milliseconds per virtual second', async () => {
		const waits: number[] = [];
		const out: string[] = [];
		await play(timelineOf('ping -c 3 -i 0.2 192.168.1.2', PING_OK, ''), {
			msPerSecond: 1000,
			sleep: async (ms) => void waits.push(Math.round(ms)),
			onOutput: (c) => out.push(c.text),
		});
		expect(waits).toEqual([200, 200]);
		expect(out.join('')).toBe(PING_OK);
	});

	it('prints the rest at once when skipped', async () => {
		const controller = new AbortController();
		const out: string[] = [];
		const done = play(timelineOf('ping -c 3 -i 0.2 192.168.1.2', PING_OK, ''), {
			msPerSecond: 60_000,
			signal: controller.signal,
			onOutput: (c) => out.push(c.text),
		});
		await new Promise((r) => setTimeout(r, 5));
		expect(out).toHaveLength(2);
		controller.abort();
		await done;
		expect(out.join('')).toBe(PING_OK);
	});
});

import { describe, expect, it } from 'vitest';
import { foldNeighbourTiming } from './blocks.ts';

describe('foldNeighbourTiming', () => {
	it('folds the neighbour states that time decides, one family each, in ip neigh lines and ip -j states', () => {
		const text = (a: string, b: string): string =>
			`192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 ${a} \n10.0.0.1 lladdr <mac1> router ${a} \n192.168.1.9 dev eth0  ${b} \n{"dst":"10.0.0.1","state":["${a}"]}`;
		expect(foldNeighbourTiming(text('REACHABLE', 'INCOMPLETE'))).toBe(foldNeighbourTiming(text('DELAY', 'FAILED')));
		expect(foldNeighbourTiming(text('STALE', 'FAILED'))).toBe(
			'192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 <nud> \n10.0.0.1 lladdr <mac1> router <nud> \n192.168.1.9 dev eth0  <unresolved> \n{"dst":"10.0.0.1","state":["<nud>"]}',
		);
	});

	it('keeps the states that time does not decide, and words elsewhere', () => {
		for (const kept of ['192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n', '10.0.0.1 dev eth0 lladdr 02:00:00:00:00:02 NOARP \n', 'the entry is REACHABLE\n'])
			expect(foldNeighbourTiming(kept)).toBe(kept);
		expect(foldNeighbourTiming('192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n')).not.toBe(foldNeighbourTiming('192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE \n'));
	});
});

import { describe, expect, it } from 'vitest';
import { columns } from './columns.ts';

describe('columns', () => {
	it('fills down first, then across, each column the longest word plus two spaces', () => {
		expect(columns(['-4', '-6', '-br', '-brief', '-c', '-color', '-d'], 30)).toEqual([
			'-4      -brief  -d',
			'-6      -c',
			'-br     -color',
		]);
	});

	it('never makes a row wider than the terminal, and leaves the last column free when cells fill it exactly', () => {
		const words = ['address', 'link', 'neigh', 'netns', 'route', 'rule'];
		// Cells of 9: 36 would fit 4 exactly, so readline uses 3.
		expect(columns(words, 36)).toEqual(['address  neigh    route', 'link     netns    rule']);
		for (const width of [10, 20, 37, 80]) for (const row of columns(words, width)) expect(row.length).toBeLessThanOrEqual(width);
	});

	it('puts one word per row when the terminal is narrower than a word, and nothing for no words', () => {
		expect(columns(['conntrack', 'ip'], 5)).toEqual(['conntrack', 'ip']);
		expect(columns([], 80)).toEqual([]);
	});
});

import { describe, expect, it } from 'vitest';
import { diffLines, formatDiff } from './diff.ts';

describe('diffLines', () => {
	it('keeps common lines and marks removed and added ones', () => {
		expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
			{ op: ' ', text: 'a' },
			{ op: '+', text: 'x' },
			{ op: '-', text: 'b' },
			{ op: ' ', text: 'c' },
		]);
	});

	it('handles insertions at the ends and empty texts', () => {
		expect(diffLines('', 'a').map((l) => l.op)).toEqual(['+', '-']);
		expect(diffLines('a\nb', 'a\nb\nc').map((l) => l.op + l.text)).toEqual([' a', ' b', '+c']);
	});
});

describe('formatDiff', () => {
	it('is empty for equal texts', () => {
		expect(formatDiff('same\n', 'same\n')).toBe('');
	});

	it('shows context around changes, elides the rest, and makes trailing spaces visible', () => {
		const before = ['1', '2', '3', '4', '5', '6', '7', '8', 'x ', '10'].join('\n');
		const after = ['1', '2', '3', '4', '5', '6', '7', '8', 'x', '10'].join('\n');
		expect(formatDiff(before, after, 1, '')).toBe(['  …', '  8', '+ x', '- x·', '  10'].join('\n'));
	});

	it('says when only the final newline differs', () => {
		expect(formatDiff('a\n', 'a', 0, '')).toContain('final newline differs');
	});
});

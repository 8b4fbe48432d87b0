import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bookChapters, DIST } from './book.ts';
import { pageWeight } from './budget.ts';

/** At most this much JavaScript (gzip) before the reader interacts with anything. */
const JS_BUDGET = 30 * 1024;

describe('size budget', () => {
	it.each(bookChapters().map((c) => [c.chapter.id]))('%s ships at most 30 KB of JS (gzip) up front', (id) => {
		const weight = pageWeight(DIST, join(DIST, id, 'index.html'));
		console.log(
			`[budget] ${id}: JS ${weight.js.gzip} B gzip (${weight.js.raw} B raw, ${weight.js.files.length} files + ${weight.js.inline} inline), CSS ${weight.css.gzip} B gzip (${weight.css.raw} B raw)`,
		);
		expect(weight.js.gzip).toBeLessThanOrEqual(JS_BUDGET);
	});
});

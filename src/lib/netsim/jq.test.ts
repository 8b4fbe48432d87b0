/** jq against jq 1.6 itself: whole stdout, stderr and exit of every recorded run (jq.recorded.json). */
import { describe, expect, it } from 'vitest';
import { loadLab } from '../book/labs.ts';
import { createLab } from './index.ts';
import recorded from './jq.recorded.json' with { type: 'json' };

describe('jq', () => {
	it('prints, indexes, fails and exits as jq 1.6 does', () => {
		const lab = createLab(loadLab('machine'));
		for (const [name, text] of Object.entries(recorded.files as Record<string, string>)) {
			for (const line of text.split('\n').slice(0, -1)) lab.exec('pi', `echo '${line}' >> /root/${name}`);
		}
		for (const s of recorded.steps) {
			const r = lab.exec('pi', s.cmd);
			expect({ cmd: s.cmd, ...r }).toEqual({ cmd: s.cmd, stdout: s.stdout, stderr: s.stderr, exit: s.exit });
		}
	});
});

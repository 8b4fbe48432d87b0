// The one line "Open in a full shell" shows when it falls back to the simulated terminal.
import { describe, expect, it } from 'vitest';
import { asFailure, FullShellError, preflight, reasonLine, type Failure } from './reasons.ts';

const ok = { crossOriginIsolated: true, sharedArrayBuffer: true, onLine: true };

describe('preflight', () => {
	it('lets an isolated, online browser with SharedArrayBuffer through', () => {
		expect(preflight(ok)).toBeUndefined();
	});

	it('names the first thing missing: the network, then isolation, then shared memory', () => {
		expect(preflight({ crossOriginIsolated: false, sharedArrayBuffer: false, onLine: false })).toEqual({ kind: 'offline' });
		expect(preflight({ ...ok, crossOriginIsolated: false, sharedArrayBuffer: false })).toEqual({ kind: 'not-isolated' });
		expect(preflight({ ...ok, sharedArrayBuffer: false })).toEqual({ kind: 'no-shared-memory' });
	});
});

describe('asFailure', () => {
	it('keeps a FullShellError\'s reason, and makes any other error one line of the given kind', () => {
		expect(asFailure(new FullShellError({ kind: 'timeout', seconds: 45 }), 'boot')).toEqual({ kind: 'timeout', seconds: 45 });
		expect(asFailure(new TypeError('Failed to fetch dynamically imported module: /_astro/shell.js\nmore'), 'load')).toEqual({ kind: 'load', detail: 'Failed to fetch dynamically imported module: /_astro/shell.js' });
		expect(asFailure('x'.repeat(300), 'boot')).toEqual({ kind: 'boot', detail: 'x'.repeat(160) });
		expect(asFailure(new Error(''), 'shell')).toEqual({ kind: 'shell', detail: 'no message' });
	});
});

describe('reasonLine', () => {
	const cases: [Failure, string][] = [
		[{ kind: 'offline' }, 'You are offline, and the full shell starts from stackblitz.com'],
		[{ kind: 'not-isolated' }, 'This page was served without the cross-origin isolation headers that the full shell needs'],
		[{ kind: 'no-shared-memory' }, 'This browser does not give the page SharedArrayBuffer, which the full shell needs'],
		[{ kind: 'load', detail: 'HTTP 404' }, 'The full shell’s code did not load (HTTP 404)'],
		[{ kind: 'files', detail: 'HTTP 500 for /full-shell/tree.json' }, 'The plugin’s files did not load (HTTP 500 for /full-shell/tree.json)'],
		[{ kind: 'timeout', seconds: 45 }, 'The WebContainer did not start within 45 s (stackblitz.com unreachable, or its frame blocked by the browser?)'],
		[{ kind: 'boot', detail: 'Unable to create more instances' }, 'The WebContainer did not start (Unable to create more instances)'],
		[{ kind: 'shell', detail: 'jsh did not start within 45 s' }, 'The shell did not start in the WebContainer (jsh did not start within 45 s)'],
	];
	it.each(cases)('says why (%o), then what the page does instead', (failure, why) => {
		expect(reasonLine(failure, true)).toBe(`${why}: here is the simulated terminal instead.`);
		expect(reasonLine(failure, false)).toBe(`${why}: this page has no simulated terminal to offer instead.`);
		expect(reasonLine(failure, true)).not.toMatch(/\n/);
	});
});

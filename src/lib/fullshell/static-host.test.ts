// `npm run preview`'s server: the built site with the headers of its _headers file, path by path.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolationRules, renderHeadersFile } from './headers.ts';
import { serveSite } from './static-host.ts';

const dir = mkdtempSync(join(tmpdir(), 'full-shell-host-'));
let url = '';
let close: () => void = () => {};

beforeAll(async () => {
	for (const page of ['', '09-x', '10-y']) {
		mkdirSync(join(dir, page), { recursive: true });
		writeFileSync(join(dir, page, 'index.html'), `<p>${page || 'home'}</p>`);
	}
	writeFileSync(join(dir, '404.html'), '<p>not found</p>');
	writeFileSync(join(dir, 'app.js'), 'x');
	writeFileSync(join(dir, '_headers'), renderHeadersFile(isolationRules(['/09-x/'])));
	const server = await serveSite(dir, { host: '127.0.0.1', port: 0, base: '/' });
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	close = () => server.close();
});
afterAll(() => {
	close();
	rmSync(dir, { recursive: true, force: true });
});

async function get(path: string) {
	const r = await fetch(url + path);
	return { status: r.status, type: r.headers.get('content-type'), coep: r.headers.get('cross-origin-embedder-policy'), coop: r.headers.get('cross-origin-opener-policy'), body: await r.text() };
}

describe('serveSite', () => {
	it('sends the isolation headers with the page that has them, by its folder or its index.html', async () => {
		for (const path of ['/09-x/', '/09-x/index.html'])
			expect(await get(path), path).toEqual({ status: 200, type: 'text/html; charset=utf-8', coep: 'require-corp', coop: 'same-origin', body: '<p>09-x</p>' });
	});

	it('sends none with the other pages and files', async () => {
		expect(await get('/10-y/')).toEqual({ status: 200, type: 'text/html; charset=utf-8', coep: null, coop: null, body: '<p>10-y</p>' });
		expect(await get('/')).toEqual({ status: 200, type: 'text/html; charset=utf-8', coep: null, coop: null, body: '<p>home</p>' });
		expect(await get('/app.js')).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', coep: null, coop: null, body: 'x' });
	});

	it('answers a missing file with the site\'s 404 page, and stays inside the folder', async () => {
		expect(await get('/nope/')).toEqual({ status: 404, type: 'text/html; charset=utf-8', coep: null, coop: null, body: '<p>not found</p>' });
		expect((await get('/../../etc/passwd')).status).toBe(404);
	});
});

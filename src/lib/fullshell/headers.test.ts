// The isolation headers in each host's form, and the reading back that the project's own servers do.
import { describe, expect, it } from 'vitest';
import { COEP, GENERATED_MARK, headersFor, isolationRules, nginxSnippet, pagePaths, parseHeadersFile, renderHeadersFile, vercelHeaders } from './headers.ts';

const ISOLATED = { 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Opener-Policy': 'same-origin' };
const pages = ['/09-cni-by-hand/', '/15-write-your-own-cni-plugin/'];

describe('the rules', () => {
	it('cover a page\'s folder and its index.html, and nothing else', () => {
		expect(pagePaths('/09-cni-by-hand/')).toEqual(['/09-cni-by-hand/', '/09-cni-by-hand/index.html']);
		expect(pagePaths('/')).toEqual(['/', '/index.html']);
		expect(() => pagePaths('/09-cni-by-hand')).toThrow('starts and ends with "/"');
		expect(isolationRules(pages).map((r) => r.path)).toEqual(['/09-cni-by-hand/', '/09-cni-by-hand/index.html', '/15-write-your-own-cni-plugin/', '/15-write-your-own-cni-plugin/index.html']);
		expect(COEP).toBe('require-corp');
	});
});

describe('_headers (Netlify, Cloudflare Pages)', () => {
	const text = renderHeadersFile(isolationRules(pages.slice(0, 1)));

	it('lists each path with its headers indented under it', () => {
		expect(text).toBe(
			`# ${GENERATED_MARK}\n/09-cni-by-hand/\n  Cross-Origin-Embedder-Policy: require-corp\n  Cross-Origin-Opener-Policy: same-origin\n` +
				'/09-cni-by-hand/index.html\n  Cross-Origin-Embedder-Policy: require-corp\n  Cross-Origin-Opener-Policy: same-origin\n',
		);
	});

	it('reads back as the same rules, which give the headers to exactly those paths', () => {
		const rules = parseHeadersFile(text);
		expect(rules).toEqual(isolationRules(pages.slice(0, 1)));
		expect(headersFor(rules, '/09-cni-by-hand/')).toEqual(ISOLATED);
		expect(headersFor(rules, '/09-cni-by-hand/index.html')).toEqual(ISOLATED);
		for (const other of ['/', '/09-cni-by-hand', '/10-cri-and-the-kubelet/', '/09-cni-by-hand/x.js', '/_astro/a.js']) expect(headersFor(rules, other), other).toEqual({});
	});

	it('reads splats and other headers as the hosts do, and refuses a header without a path', () => {
		const rules = parseHeadersFile('# a comment\n\n/assets/*\n  Cache-Control: max-age=60\n/\n  X-Frame-Options: DENY\n');
		expect(headersFor(rules, '/assets/a/b.css')).toEqual({ 'Cache-Control': 'max-age=60' });
		expect(headersFor(rules, '/')).toEqual({ 'X-Frame-Options': 'DENY' });
		expect(() => parseHeadersFile('  X-Frame-Options: DENY\n')).toThrow('_headers line 1: "X-Frame-Options: DENY" is not "Name: value" under a path');
	});
});

describe('vercel.json and nginx', () => {
	it('gives Vercel each page with and without its trailing slash, and its index.html', () => {
		const headers = [{ key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' }, { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' }];
		expect(vercelHeaders(pages.slice(0, 1))).toEqual({
			headers: ['/09-cni-by-hand', '/09-cni-by-hand/', '/09-cni-by-hand/index.html'].map((source) => ({ source, headers })),
		});
	});

	it('gives nginx one regular-expression location that matches the pages and their index.html only', () => {
		const snippet = nginxSnippet(pages);
		const location = /^location ~ (\S+) \{$/m.exec(snippet)?.[1];
		expect(location).toBe('^(/09-cni-by-hand|/15-write-your-own-cni-plugin)/(index\\.html)?$');
		const re = new RegExp(location!);
		expect(['/09-cni-by-hand/', '/09-cni-by-hand/index.html', '/15-write-your-own-cni-plugin/'].every((p) => re.test(p))).toBe(true);
		expect(['/', '/09-cni-by-hand', '/09-cni-by-handx/', '/09-cni-by-hand/a.js', '/x/09-cni-by-hand/'].some((p) => re.test(p))).toBe(false);
		expect(snippet).toContain('\tadd_header Cross-Origin-Embedder-Policy "require-corp" always;\n\tadd_header Cross-Origin-Opener-Policy "same-origin" always;\n}\n');
	});
});

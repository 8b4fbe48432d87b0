import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_TARGET, ROOT } from '../../lib/book/paths.ts';
import type { RecordedOutputOptions } from './index.ts';
import { fakeSvg, renderBlock, textOf } from './render.test-helper.ts';

const BOOK = join(ROOT, 'tests/fixtures/book');
const CHAPTER = join(BOOK, 'chapters/01-two-machines.mdx');
const SOURCE = readFileSync(CHAPTER, 'utf8').split('\n');

/** The n-th sh fence of the fixture chapter, as the Markdown processor hands it to Expressive Code. */
function fence(n: number): { code: string; meta: string } {
	const starts = SOURCE.flatMap((l, i) => (l.startsWith('```sh') ? [i] : []));
	const start = starts[n]!;
	const end = SOURCE.findIndex((l, i) => i > start && l === '```');
	return { meta: SOURCE[start]!.slice('```sh'.length).trim(), code: SOURCE.slice(start + 1, end).join('\n') };
}

// The fixture book is recorded on one target, `local` (its snapshots/ has no other set).
const render = (input: { code: string; meta: string; file?: string; language?: string }, options?: RecordedOutputOptions) =>
	renderBlock({ ...input, file: input.file ?? CHAPTER }, { primary: LOCAL_TARGET, ...(options ?? { renderTopology: fakeSvg }) });
const text = textOf;

describe('preprocessMetadata', () => {
	const dir = mkdtempSync(join(tmpdir(), 'netbook-book-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	mkdirSync(join(dir, 'chapters'));
	mkdirSync(join(dir, 'snapshots'));
	const draft = join(dir, 'chapters/03-draft.mdx');
	writeFileSync(draft, '---\ntitle: Draft\ndescription: D\nlab: two-hosts\n---\n\nText.\n\n```sh host=bob\nip link\n```\n');

	it('fails for a runnable block without a recording, naming chapter, line and host, with a hint', async () => {
		await expect(render({ code: 'ip link', meta: 'host=bob', file: draft })).rejects.toThrow(
			/03-draft\.mdx:9: block on host "bob" in chapter 03-draft has no recorded output: .*snapshots\/03-draft\.json does not exist\n {2}hint: run npm run verify -- --update/,
		);
	});

	it('fails when the snapshot lacks the block (its commands changed)', async () => {
		writeFileSync(
			join(dir, 'snapshots/03-draft.json'),
			JSON.stringify({ chapter: '03-draft', recorded: { kernel: '6.18.44', iproute2: '6.1.0', iptables: '1.8.9 (nf_tables)', arch: 'x86_64', os: 'Debian GNU/Linux 12 (bookworm)', date: '2026-11-26' }, blocks: [] }),
		);
		await expect(render({ code: 'ip link', meta: 'host=bob', file: draft })).rejects.toThrow(/has no block with key [0-9a-f]{16} \(its commands changed/);
	});

	it('renders a "not yet verified" badge instead when drafting is allowed', async () => {
		const html = await render({ code: 'ip link', meta: 'host=bob', file: draft }, { allowUnverified: true, renderTopology: fakeSvg });
		expect(text(html)).toContain('root@bob:~# ip link');
		expect(html).toContain('class="nb-badge nb-unverified"');
		expect(text(html)).toContain('not yet verified');
	});

	it('leaves sh blocks outside chapters and other languages alone', async () => {
		expect(await render({ code: 'ip link', meta: '', file: join(ROOT, 'README.md') })).not.toContain('nb-');
		expect(await render({ code: 'ip link', meta: '', language: 'text' })).not.toContain('nb-');
	});
});

describe('postprocessRenderedBlock', () => {
	it('shows a root prompt naming the host before each command, and its output under it', async () => {
		const html = await render(fence(3));
		expect(text(html)).toContain(
			'root@alice:~# ping -c 1 192.168.1.2PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.\n64 bytes from 192.168.1.2',
		);
		expect(text(html)).toContain('root@alice:~# ip neigh show 192.168.1.2192.168.1.2 dev eth0 lladdr 02:00:00:00:02:02 REACHABLE ');
		expect(html.match(/data-nb-output/g)).toHaveLength(2);
	});

	it('marks continuation lines and comments', async () => {
		const html = await render(fence(2));
		expect(text(html)).toContain('root@bob:~# ip addr add 192.168.1.2/24 \\>   dev eth0root@bob:~# ip link set eth0 up');
		const comment = await render(fence(1));
		expect(comment).toContain('class="ec-line nb-comment"');
		expect(text(comment)).toContain('# Alice takes .1root@alice:~# ip addr add');
	});

	it('shows stderr in its own style and a fails block\'s error as expected', async () => {
		const html = await render(fence(4));
		expect(html).toContain('<span class="nb-stderr">ping: connect: Network is unreachable</span>');
		expect(html).toContain('<span class="nb-exit nb-expected">expected error · exit 2</span>');
	});

	it('collapses long outputs behind a native expander', async () => {
		const html = await render(fence(5));
		expect(html).toContain('<details class="nb-more"><summary>18 more lines</summary>');
		expect(text(html)).toContain('local 127.0.0.12 dev lo');
	});

	it('folds a predict block\'s output until the reader opens it', async () => {
		const html = await render(fence(5));
		expect(html).toMatch(/<div class="nb-out" data-nb-output="" data-pagefind-ignore=""><details class="nb-reveal"><summary>Predict it, then show what the kernel printed<\/summary>/);
		expect(html).not.toContain('<details class="nb-reveal" open');
		expect(await render(fence(3))).not.toContain('nb-reveal');
	});

	it('adds the badge from the recording, or says why a block is not verified', async () => {
		// The fixture book has the local target's snapshots only: the badge names that one.
		expect(text(await render(fence(0)))).toContain("verified on this project's x86_64 machine (Debian 12, Linux 6.18)");
		const norun = await render(fence(6));
		expect(text(norun)).toContain('not verified: needs Docker');
		expect(norun).not.toContain('data-nb-output');
	});

	it('copies exactly the commands, and their sudo variant', async () => {
		const html = await render(fence(2));
		const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(html)![1]!.replace(/\u007f/g, '\n').replace(/&#x26;/g, '&');
		expect(attr('data-code')).toBe('ip addr add 192.168.1.2/24 \\\n  dev eth0\nip link set eth0 up');
		expect(attr('data-code-sudo')).toBe('sudo ip addr add 192.168.1.2/24 \\\n  dev eth0\nsudo ip link set eth0 up');
		const comment = await render(fence(1));
		expect(/data-code="([^"]*)"/.exec(comment)![1]).toBe('ip addr add 192.168.1.1/24 dev eth0\u007fip link set eth0 up');
	});

	it.each([0, 2, 4, 6])('renders block %i as in its file snapshot', async (n) => {
		const html = (await render(fence(n))).replace(/<style>[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, '');
		await expect(html.replace(/></g, '>\n<')).toMatchFileSnapshot(`./__snapshots__/block-${n}.html`);
	});
});

describe('postprocessRenderedBlockGroup', () => {
	it('draws the recorded state under a diagram block, with its text alternative', async () => {
		const calls: unknown[] = [];
		const html = await render(fence(2), {
			renderTopology: (state, options) => {
				calls.push([Object.keys(state), options.id, options.lab.name]);
				return fakeSvg(state, options);
			},
		});
		expect(calls).toEqual([[['alice', 'bob'], 'nb-01-two-machines-3', 'two-hosts']]);
		// The drawing and its text come from recorded state, like outputs: not in the search index.
		expect(html).toContain('<figure class="nb-diagram" data-nb-diagram="svg"><div class="nb-diagram-svg" data-pagefind-ignore style="--nb-diagram-width: 0px" data-nb-label="The lab after “Bob joins the network” (scrolls sideways)"><svg id="nb-01-two-machines-3" role="img"><title>The lab after “Bob joins the network”</title>');
		expect(html).toContain('<figcaption>The lab as the kernel recorded it after “Bob joins the network”.</figcaption>');
		expect(html).toMatch(/<details class="nb-diagram-text" data-pagefind-ignore><summary>The diagram as text<\/summary>.*192\.168\.1\.2\/24/);
	});

	it('draws with src/lib/topology by default', async () => {
		const html = await render(fence(2), {});
		expect(html).toMatch(/<div class="nb-diagram-svg" data-pagefind-ignore style="--nb-diagram-width: \d+(\.\d+)?px"[^>]*><svg [^>]*role="img"[^>]*>\s*<title id="nb-01-two-machines-3-title">The lab after “Bob joins the network”<\/title>/);
	});

	it('names chapter and line when the state cannot be drawn', async () => {
		const broken = () => {
			throw new Error('no such interface');
		};
		await expect(render(fence(2), { renderTopology: broken })).rejects.toThrow(
			/01-two-machines\.mdx:25: cannot draw the recorded state \(no such interface\)\n {2}hint:/,
		);
	});

	it('draws nothing for blocks without diagram', async () => {
		expect(await render(fence(3))).not.toContain('nb-diagram');
	});
});

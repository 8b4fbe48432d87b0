import { describe, expect, it } from 'vitest';
import { RunbookError } from './errors.ts';
import { blockKey, parseChapter } from './parse.ts';

const lab = (name: string) => (name === 'two-hosts' ? { hosts: ['alice', 'bob'] } : undefined);
const parse = (source: string) => parseChapter(source, { file: 'content/chapters/01-x.mdx', lab });
const front = '---\ntitle: T\ndescription: D\nlab: two-hosts\nsidebar:\n  order: 3\n---\n';

function errorOf(source: string): string {
	try {
		parse(source);
	} catch (e) {
		expect(e).toBeInstanceOf(RunbookError);
		return (e as Error).message;
	}
	throw new Error('expected a RunbookError');
}

describe('parseChapter', () => {
	it('reads frontmatter and sh blocks with their commands and lines', () => {
		const chapter = parse(
			front +
				'Prose.\n\n```sh host=bob title="Give Bob an address"\n# a comment\nip addr add 192.168.1.2/24 dev eth0\n\nip link set eth0 \\\n  up\n```\n\n```text\nnot run\n```\n\n```sh\nping -c 1 192.168.1.2\n```\n',
		);
		expect(chapter).toEqual({
			id: '01-x',
			file: 'content/chapters/01-x.mdx',
			title: 'T',
			description: 'D',
			lab: 'two-hosts',
			order: 3,
			checks: [],
			blocks: [
				{
					index: 0,
					line: 10,
					host: 'bob',
					attributes: { host: 'bob', title: 'Give Bob an address', fails: false, diagram: false },
					code: '# a comment\nip addr add 192.168.1.2/24 dev eth0\n\nip link set eth0 \\\n  up',
					commands: [
						{ text: 'ip addr add 192.168.1.2/24 dev eth0', line: 12 },
						{ text: 'ip link set eth0 \\\n  up', line: 14 },
					],
					key: blockKey('bob', ['ip addr add 192.168.1.2/24 dev eth0', 'ip link set eth0 \\\n  up']),
					runnable: true,
				},
				{
					index: 1,
					line: 22,
					host: 'alice',
					attributes: { fails: false, diagram: false },
					code: 'ping -c 1 192.168.1.2',
					commands: [{ text: 'ping -c 1 192.168.1.2', line: 23 }],
					key: blockKey('alice', ['ping -c 1 192.168.1.2']),
					runnable: true,
				},
			],
		});
	});

	it('keeps keys stable under prose, comment and attribute edits but not command edits', () => {
		const a = parse(front + '```sh host=alice\nip link\n```\n').blocks[0]!;
		const b = parse(front + 'More prose.\n\n```sh host=alice diagram title="x"\n# look\nip link\n```\n').blocks[0]!;
		const c = parse(front + '```sh host=alice\nip link show\n```\n').blocks[0]!;
		const d = parse(front + '```sh host=bob\nip link\n```\n').blocks[0]!;
		expect(b.key).toBe(a.key);
		expect(new Set([a.key, c.key, d.key]).size).toBe(3);
	});

	it('reads fails, diagram and norun', () => {
		const [x, y] = parse(front + '```sh fails diagram\nping -c 1 -W 1 10.0.0.9\n```\n```sh norun="needs Docker"\ndocker network ls\n```\n').blocks;
		expect(x!.attributes).toEqual({ fails: true, diagram: true });
		expect(y!.attributes).toEqual({ fails: false, diagram: false, norun: 'needs Docker' });
		expect(y!.runnable).toBe(false);
	});
});

describe('parseChapter: what it refuses, and where', () => {
	it('skips sh blocks nested inside a longer fence', () => {
		const chapter = parse(front + '````md\n```sh host=nobody\nip link\n```\n````\n');
		expect(chapter.blocks).toEqual([]);
	});

	it('names file and line for an unknown attribute', () => {
		expect(errorOf(front + '\n```sh hots=alice\nip link\n```\n')).toBe(
			'content/chapters/01-x.mdx:9: unknown attribute "hots"\n  hint: attributes are host=NAME, fails, norun="why", diagram, title="…"',
		);
	});

	it('names file and line for an unknown host', () => {
		expect(errorOf(front + '```sh host=carol\nip link\n```\n')).toBe(
			'content/chapters/01-x.mdx:8: unknown host "carol" in lab "two-hosts"\n  hint: hosts of this lab: alice, bob',
		);
	});

	it('names the line of an unterminated continuation', () => {
		expect(errorOf(front + '```sh\nip link\nip link add veth-a \\\n```\n')).toBe(
			'content/chapters/01-x.mdx:10: the command ends with "\\" but the block ends before its continuation\n  hint: finish the command or remove the trailing backslash',
		);
	});

	it('rejects a norun without a reason', () => {
		expect(errorOf(front + '```sh norun\ndocker ps\n```\n')).toBe(
			'content/chapters/01-x.mdx:8: attribute "norun" needs a value, like norun="…"\n  hint: attributes are host=NAME, fails, norun="why", diagram, title="…"',
		);
	});

	it('rejects an unknown lab, a missing title and an unclosed fence', () => {
		expect(errorOf('---\ntitle: T\ndescription: D\nlab: nowhere\n---\n')).toMatch(/^content\/chapters\/01-x.mdx:1: unknown lab "nowhere"/);
		expect(errorOf('---\ndescription: D\nlab: two-hosts\n---\n')).toMatch(/:1: frontmatter has no "title"/);
		expect(errorOf(front + '```sh\nip link\n')).toMatch(/:8: code fence ``` is never closed/);
	});

	it('reads progress checks from the frontmatter and names what is wrong with them', () => {
		const withChecks = (checks: string) => `---\ntitle: T\ndescription: D\nlab: two-hosts\nchecks:\n${checks}\n---\n`;
		const ok = parse(withChecks("  - id: ping\n    label: Alice can ping Bob\n    when: { any: [{ ping: '192.168.1.2', host: alice }, { ran: '^ping\\b', host: bob }] }"));
		expect(ok.checks).toEqual([{ id: 'ping', label: 'Alice can ping Bob', when: { any: [{ ping: '192.168.1.2', host: 'alice' }, { ran: '^ping\\b', host: 'bob' }] } }]);
		expect(errorOf(withChecks('  - id: a\n    label: L\n    when: { ping: 10.0.0.1, host: carol }'))).toBe(
			'content/chapters/01-x.mdx:1: check "a" looks at unknown host "carol" of lab "two-hosts"\n  hint: hosts of this lab: alice, bob',
		);
		expect(errorOf(withChecks("  - id: a\n    label: L\n    when: { ran: '(', host: alice }"))).toMatch(/^content\/chapters\/01-x.mdx:1: check "a": ran: Invalid regular expression/);
		expect(errorOf(withChecks('  - id: a\n    label: L\n    when: { pnig: 10.0.0.1, host: alice }'))).toMatch(/^content\/chapters\/01-x.mdx:1: the frontmatter's checks are not valid: checks.0.when: /);
		expect(errorOf(withChecks('  - id: a\n    label: L\n    when: { up: lo, host: alice }\n  - id: a\n    label: M\n    when: { up: lo, host: bob }'))).toMatch(/duplicate check id "a"/);
	});
});

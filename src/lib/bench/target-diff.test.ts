// The "blocks that differ between targets" figure, on the book's real snapshot of chapter 1: what
// normalisation hides (MACs, ping times, neighbour ages) is no difference, and each kind of real
// difference is counted once per block with its first differing line on each side.
import { describe, expect, it } from 'vitest';
import { ROOT, snapshotPath } from '../book/paths.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { loadSnapshot } from '../snapshot/store.ts';
import { compareSnapshots, firstDifferingLines } from './target-diff.ts';

const CHAPTER = '01-two-machines-and-a-switch';
const local = loadSnapshot(snapshotPath(ROOT, CHAPTER))!;

/** A deep copy of the real snapshot, its JSON text rewritten by `edit`. */
const variant = (edit: (json: string) => string = (j) => j): Snapshot => JSON.parse(edit(JSON.stringify(local))) as Snapshot;

describe('compareSnapshots', () => {
	it('counts every block of the real snapshot, and none differs from itself', () => {
		expect(local.blocks.length).toBeGreaterThanOrEqual(13);
		expect(compareSnapshots(local, variant())).toEqual({ chapter: CHAPTER, blocks: local.blocks.length, differing: 0, differences: [] });
	});

	it('sees no difference in what normalisation masks: other MACs, ping times, neighbour ages', () => {
		const other = variant((j) =>
			j
				// alice and bob swap MACs (and the link-locals made from them)
				.replace(/02:00:00:00:00:0([12])/g, (_, n: string) => `02:00:00:00:00:0${n === '1' ? '2' : '1'}`)
				.replace(/fe80::ff:fe00:([12])\b/g, (_, n: string) => `fe80::ff:fe00:${n === '1' ? '2' : '1'}`)
				.replace(/time=[\d.]+ ms/g, 'time=9.99 ms')
				.replace(/"REACHABLE"/g, '"STALE"'),
		);
		expect(other.blocks[0]!.steps[0]!.stdout).toContain('link/ether 02:00:00:00:00:02');
		expect(local.blocks[0]!.steps[0]!.stdout).toContain('link/ether 02:00:00:00:00:01');
		expect(compareSnapshots(local, other).differing).toBe(0);
	});

	it('counts a block once, at its first difference: stdout, exit, state, a block one side lacks', () => {
		const other = variant();
		const addr = other.blocks[2]!.steps[0]!;
		addr.stdout = addr.stdout.replace('inet6 ::1/128 scope host ', 'inet6 ::1/128 scope host proto kernel_lo ');
		addr.stdout = addr.stdout.replace('scope link ', 'scope link proto kernel_ll ');
		other.blocks[2]!.steps[1]!.exit = 1;
		other.blocks[4]!.steps[0]!.exit = 2;
		const link = other.blocks.at(-1)!.state!['alice']!['']!.link[1] as { qdisc: string };
		link.qdisc = 'fq_codel';
		other.blocks.splice(10, 1);
		expect(compareSnapshots(local, other)).toEqual({
			chapter: CHAPTER,
			blocks: local.blocks.length,
			differing: 4,
			differences: [
				{ line: local.blocks[2]!.line, host: 'alice', cmd: 'ip addr show', what: 'stdout', local: '    inet6 ::1/128 scope host ', target: '    inet6 ::1/128 scope host proto kernel_lo ' },
				{ line: local.blocks[4]!.line, host: 'alice', cmd: 'ip addr add 192.168.1.1/24 dev eth0', what: 'exit', local: 'exit 0', target: 'exit 2' },
				{
					line: local.blocks.at(-1)!.line,
					host: 'bob',
					what: 'state',
					local: expect.stringMatching(/^alice \(host\) link \{"ifindex":2,.*"qdisc":"noqueue",/),
					target: expect.stringMatching(/^alice \(host\) link \{"ifindex":2,.*"qdisc":"fq_codel",/),
				},
				{ line: local.blocks[10]!.line, host: 'alice', what: 'only-local' },
			],
		});
	});
});

describe('firstDifferingLines', () => {
	it('takes the first removed and the first added line of the first hunk', () => {
		expect(firstDifferingLines('a\nb\nc\nd', 'a\nB\nc\nD')).toEqual({ local: 'b', target: 'B' });
		expect(firstDifferingLines('a\nc', 'a\nb\nc')).toEqual({ target: 'b' });
		expect(firstDifferingLines('a\nb', 'a')).toEqual({ local: 'b' });
		expect(firstDifferingLines('same', 'same')).toEqual({});
	});
});
